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
 * key's previous timestamp: the later marks of its 64-bit word and of the rest of its block of 16
 * words (popcounts over neighbouring memory) plus those of all later blocks, which a Fenwick tree
 * of per-block counts sums in O(log(T / 1024)). The word new timestamps go to (the open word)
 * enters the tree only once it is full, which saves a tree update per access. Bits and tree are
 * small enough to stay in the processor's caches. When the timestamps run out, the live marks are
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
  /** 1-based Fenwick tree over the number of marks in each block of words. */
  private int[] tree;
  private static final int BLOCK_SHIFT = 4;
  private static final int BLOCK_WORDS = 1 << BLOCK_SHIFT;
  private int nextTimestamp;
  /** Word of the latest timestamps, whose marks are not in the tree yet; -1 if none. */
  private int openWord = -1;
  private int liveKeys;
  private int lastTimestamp = NO_TIMESTAMP;
  private long accesses;
  private final DistanceHistogram histogram = new DistanceHistogram();

  public FenwickStackDistance(int expectedKeys, Timestamps owner) {
    this.owner = owner;
    allocate(expectedKeys);
  }

  private void allocate(int live) {
    long wanted = Math.max(MIN_WORDS, ((long) ROOM_FACTOR * live + 63) / 64);
    int words = (int) ((wanted + BLOCK_WORDS - 1) & -BLOCK_WORDS);
    if (marks == null || marks.length != words) {
      marks = new long[words];
      tree = new int[(words >>> BLOCK_SHIFT) + 1];
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
    if (now >>> 6 != openWord) {
      flushOpenWord();
      openWord = now >>> 6;
    }
    int distance;
    if (previous != NO_TIMESTAMP) {
      int word = previous >>> 6;
      long bits = marks[word];
      long bit = 1L << previous;
      if (word == openWord) {
        // only later marks of the open word come after it
        distance = Long.bitCount(bits & (-2L << previous)) + 1;
      } else {
        // later marks of its word and of the rest of its block, then every mark of the later
        // blocks; the tree lacks the open word's marks, which liveKeys counts
        int block = word >>> BLOCK_SHIFT;
        int later = Long.bitCount(bits & (-2L << previous));
        for (int w = word + 1, end = (block + 1) << BLOCK_SHIFT; w < end; w++) {
          later += Long.bitCount(marks[w]);
        }
        if (openWord >>> BLOCK_SHIFT == block) {
          later -= Long.bitCount(marks[openWord]);
        }
        distance = later + liveKeys - blockPrefix(block) + 1;
        addToBlock(block, -1);
      }
      marks[word] = bits & ~bit;
      histogram.add(distance);
    } else {
      liveKeys++;
      distance = COLD;
    }
    marks[now >>> 6] |= 1L << now;
    lastTimestamp = now;
    return distance;
  }

  private void flushOpenWord() {
    if (openWord >= 0) {
      addToBlock(openWord >>> BLOCK_SHIFT, Long.bitCount(marks[openWord]));
      openWord = -1;
    }
  }

  /** The timestamp of the latest access, to be stored as its key's timestamp. */
  public int lastTimestamp() {
    return lastTimestamp;
  }

  /** Marks in blocks 0..block inclusive (those in the tree). */
  private int blockPrefix(int block) {
    final int[] f = tree;
    int sum = 0;
    for (int i = block + 1; i > 0; i -= i & -i) {
      sum += f[i];
    }
    return sum;
  }

  private void addToBlock(int block, int delta) {
    final int[] f = tree;
    for (int i = block + 1; i < f.length; i += i & -i) {
      f[i] += delta;
    }
  }

  /**
   * Renumbers the live timestamps 0..D-1 in their order, rebuilds the marks as D leading bits,
   * and returns the new number of {@code pending} (a timestamp the caller is about to pass in).
   */
  private int compact(int pending) {
    flushOpenWord();
    // a live timestamp's new number is the count of marks before it: marks of the earlier words
    // (a prefix sum per word, computed once) plus the earlier marks of its own word
    int[] marksBefore = new int[marks.length];
    for (int w = 0, sum = 0; w < marks.length; w++) {
      marksBefore[w] = sum;
      sum += Long.bitCount(marks[w]);
    }
    final long[] oldMarks = marks;
    IntUnaryOperator renumber =
        t -> marksBefore[t >>> 6] + Long.bitCount(oldMarks[t >>> 6] & ((1L << t) - 1));
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
    Arrays.fill(f, 0);
    for (int w = 0; w < marks.length; w++) {
      f[(w >>> BLOCK_SHIFT) + 1] += Long.bitCount(marks[w]);
    }
    for (int i = 1; i < f.length; i++) {
      int parent = i + (i & -i);
      if (parent < f.length) {
        f[parent] += f[i];
      }
    }
    // new timestamps start in a fresh word, so that the words in the tree stay complete
    nextTimestamp = (liveKeys + 63) & ~63;
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
    return histogram.maxDistance();
  }

  /** Accesses with stack distance exactly {@code distance}. */
  public long countAt(int distance) {
    return histogram.countAt(distance);
  }

  DistanceHistogram histogram() {
    return histogram;
  }
}
