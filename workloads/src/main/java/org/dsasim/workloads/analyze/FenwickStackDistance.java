package org.dsasim.workloads.analyze;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * Exact LRU stack distances of a stream of accesses and their histogram, from which the miss ratio
 * of an LRU cache of any capacity follows in one pass (Mattson et al., 1970).
 *
 * <p>The stack distance of an access is the key's position in the LRU stack just before the
 * access, counted from 1: an LRU cache of {@code c} keys hits exactly the accesses with distance
 * {@code <= c}. A first access is {@link #COLD}.
 *
 * <p>The caller keeps, next to its own per-key state, the timestamp of each key's last access
 * (the analyzer already has a slot per token, so this saves a second lookup per access) and
 * passes it to {@link #access}. When the timestamps run out they are renumbered through
 * {@link Timestamps#renumber}, which the caller implements over all the timestamps it holds.
 *
 * <p>How: each access takes the next timestamp; one bit per timestamp marks the latest access of
 * every distinct key, so the distance of a re-access is one plus the number of marks after the
 * key's previous timestamp: the later marks of its 64-bit word (a popcount) plus those of all later
 * words, which a Fenwick tree of per-word counts sums in O(log(T / 64)). Bits and tree are small
 * enough to stay in the processor's caches. When the timestamps run out, the live marks are
 * renumbered 0..D-1 in order and the bits rebuilt with room for more, so memory is bounded by the
 * number of distinct keys D, not by the number of accesses. Not thread-safe.
 */
public final class FenwickStackDistance {
  /** The distance of a first access; compares greater than any capacity. */
  public static final int COLD = Integer.MAX_VALUE;
  /** The previous timestamp of a key never accessed. */
  public static final int NO_TIMESTAMP = -1;

  private static final int MIN_WORDS = 64;
  /** After a compaction there are timestamps for this many times the live keys. */
  private static final int ROOM_FACTOR = 8;

  /** Where the caller keeps the keys' last timestamps. */
  public interface Timestamps {
    /** Replaces every stored timestamp {@code t} (never {@link #NO_TIMESTAMP}) by {@code f(t)}. */
    void renumber(IntUnaryOperator f);
  }

  private final Timestamps owner;
  /** Bit t % 64 of word t / 64: timestamp t is the latest access of some key. */
  private long[] marks;
  /** 1-based Fenwick tree over the number of marks in each word. */
  private int[] tree;
  private int nextTimestamp;
  private int liveKeys;
  private int lastTimestamp = NO_TIMESTAMP;
  private long accesses;
  private long[] histogram = new long[64];
  private int maxDistance;

  public FenwickStackDistance(int expectedKeys, Timestamps owner) {
    this.owner = owner;
    allocate(expectedKeys);
  }

  private void allocate(int live) {
    int words = (int) Math.max(MIN_WORDS, ((long) ROOM_FACTOR * live + 63) / 64);
    if (marks == null || marks.length != words) {
      marks = new long[words];
      tree = new int[words + 1];
    }
  }

  /**
   * Records an access to a key whose previous access had timestamp {@code previous}, or
   * {@link #NO_TIMESTAMP} for its first access. The caller then stores {@link #lastTimestamp()}
   * as the key's timestamp.
   *
   * @return the stack distance (>= 1), or {@link #COLD}
   */
  public int access(int previous) {
    if (nextTimestamp == marks.length << 6) {
      previous = compact(previous);
    }
    accesses++;
    int now = nextTimestamp++;
    int distance;
    if (previous != NO_TIMESTAMP) {
      int word = previous >>> 6;
      long bits = marks[word];
      // later marks of the same word, then every mark of the later words
      distance = Long.bitCount(bits & (-2L << previous)) + liveKeys - wordPrefix(word) + 1;
      marks[word] = bits & ~(1L << previous);
      addToWord(word, -1);
      if (distance >= histogram.length) {
        histogram = Arrays.copyOf(histogram, Math.max(histogram.length * 2, distance + 1));
      }
      histogram[distance]++;
      if (distance > maxDistance) {
        maxDistance = distance;
      }
    } else {
      liveKeys++;
      distance = COLD;
    }
    marks[now >>> 6] |= 1L << now;
    addToWord(now >>> 6, 1);
    lastTimestamp = now;
    return distance;
  }

  /** The timestamp of the latest access, to be stored as its key's timestamp. */
  public int lastTimestamp() {
    return lastTimestamp;
  }

  /** Marks in words 0..word inclusive. */
  private int wordPrefix(int word) {
    final int[] f = tree;
    int sum = 0;
    for (int i = word + 1; i > 0; i -= i & -i) {
      sum += f[i];
    }
    return sum;
  }

  private void addToWord(int word, int delta) {
    final int[] f = tree;
    for (int i = word + 1; i < f.length; i += i & -i) {
      f[i] += delta;
    }
  }

  /** Marks at timestamps 0..t inclusive. */
  private int prefixCount(int t) {
    int word = t >>> 6;
    return wordPrefix(word) - Long.bitCount(marks[word] & (-2L << t));
  }

  /**
   * Renumbers the live timestamps 0..D-1 in their order, rebuilds the marks as D leading bits,
   * and returns the new number of {@code pending} (a timestamp the caller is about to pass in).
   */
  private int compact(int pending) {
    IntUnaryOperator renumber = t -> prefixCount(t) - 1;
    int pendingRenumbered = pending == NO_TIMESTAMP ? NO_TIMESTAMP : renumber.applyAsInt(pending);
    owner.renumber(renumber);
    allocate(liveKeys);
    Arrays.fill(marks, 0L);
    Arrays.fill(marks, 0, liveKeys >>> 6, -1L);
    if ((liveKeys & 63) != 0) {
      marks[liveKeys >>> 6] = (1L << liveKeys) - 1;
    }
    // linear-time Fenwick build: every node passes its sum on to its parent
    int[] f = tree;
    for (int i = 1; i < f.length; i++) {
      f[i] = Long.bitCount(marks[i - 1]);
    }
    for (int i = 1; i < f.length; i++) {
      int parent = i + (i & -i);
      if (parent < f.length) {
        f[parent] += f[i];
      }
    }
    nextTimestamp = liveKeys;
    return pendingRenumbered;
  }

  public long accesses() {
    return accesses;
  }

  /** Distinct keys seen: also the number of cold accesses. */
  public int distinctKeys() {
    return liveKeys;
  }

  /** Largest stack distance seen (0 when no key was accessed twice). */
  public int maxDistance() {
    return maxDistance;
  }

  /** Accesses with stack distance exactly {@code distance}. */
  public long countAt(int distance) {
    return distance >= 1 && distance <= maxDistance ? histogram[distance] : 0;
  }
}
