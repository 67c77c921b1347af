package org.dsasim.core.reuse;

import java.util.Arrays;

/**
 * Exact LRU stack distances of a stream of {@code long} keys, and the histogram of those distances
 * from which the hit count of an LRU cache of <em>any</em> capacity follows: one pass over a trace
 * gives the whole miss-ratio curve (Mattson et al., 1970).
 *
 * <p>The stack distance of an access is the position of its key in the LRU stack just before the
 * access, counting from 1: 1 for a re-access of the most recently used key, {@code d} when {@code d
 * - 1} other distinct keys were used since the key's previous access. An LRU cache of capacity
 * {@code c} (in keys) hits exactly the accesses with {@code distance <= c}. A first touch has no
 * distance: {@link #access} returns {@link #COLD}, which is larger than any capacity. (The "reuse
 * distance" of the analyzer literature is {@code distance - 1}.)
 *
 * <p>How: every access takes the next timestamp; a bit per timestamp marks, for each distinct key,
 * the timestamp of its latest access, and a {@link LongIntHashMap} maps each key to that timestamp.
 * The distance of a re-access is one plus the number of marks after the key's previous timestamp:
 * the later marks of its 512-timestamp block (popcounts over one 64-byte cache line) plus the marks
 * of the later blocks, which a Fenwick tree of per-block counts sums in O(log(T / 512)) for T
 * timestamps. The bits and the tree take about T / 7 bytes and stay in the processor's caches; the
 * map lookup is the one random memory access. When the timestamps run out, they are compacted: the
 * live marks are renumbered 0..D-1 in order (D distinct keys so far) and the bits rebuilt with room
 * for 7D more accesses, so memory is bounded by the number of distinct keys (about 32 to 64 bytes
 * each, mostly the map), not by the number of accesses, and compaction costs O(log T) per access
 * amortised.
 *
 * <p>Allocation-free per access: arrays grow only when the number of distinct keys (or the largest
 * distance seen) doubles. Not thread-safe.
 */
public final class LruStackDistance {
  /**
   * Returned by {@link #access} for the first access to a key; compares greater than any capacity.
   */
  public static final int COLD = Integer.MAX_VALUE;

  /** A block of timestamps: 8 words of marks, one cache line. */
  private static final int BLOCK_BITS = 9;

  private static final int WORDS_PER_BLOCK = 8;
  private static final int MIN_WORDS = 64;

  /** Timestamps are ints: at most 2^31 - 512 of them (the map holds at most 2^28 keys). */
  private static final int MAX_WORDS = (1 << 25) - WORDS_PER_BLOCK;

  /** After a compaction, there are timestamps for this many times the live keys. */
  private static final int ROOM_FACTOR = 8;

  /** key -> timestamp of its latest access. */
  private final LongIntHashMap lastAccess;

  /** Bit t of word t / 64: timestamp t is the latest access of a key. */
  private long[] marks;

  /** 1-based Fenwick tree over the number of marks in each block of 512 timestamps. */
  private int[] blockTree;

  private int nextTimestamp;

  private long accesses;

  /** histogram[d] = accesses with stack distance d (index 0 unused). */
  private long[] histogram = new long[64];

  private int maxDistance;

  /** cumulativeHits[c] = accesses with distance <= c, valid while {@code !cumulativeStale}. */
  private long[] cumulativeHits = new long[0];

  private boolean cumulativeStale;

  /**
   * An engine sized for about {@code expectedKeys} distinct keys (it grows past that as needed).
   */
  public LruStackDistance(int expectedKeys) {
    this(expectedKeys, 0);
  }

  /**
   * An engine whose keys are mostly in {@code [0, directKeys)}: those are looked up in a direct
   * array (4 bytes per key of the range) instead of the hash map, which is faster when most of the
   * range is used; see {@link LongIntHashMap}. Other keys still work.
   *
   * @param expectedKeys distinct keys expected outside the direct range
   */
  public LruStackDistance(int expectedKeys, int directKeys) {
    lastAccess = new LongIntHashMap(expectedKeys, -1, directKeys);
    allocateTimestamps(expectedKeys + directKeys / 2);
  }

  public LruStackDistance() {
    this(0);
  }

  private void allocateTimestamps(int liveKeys) {
    long wanted = Math.max(MIN_WORDS, ((long) ROOM_FACTOR * liveKeys + 63) / 64);
    int words = (int) Math.min((wanted + WORDS_PER_BLOCK - 1) & -WORDS_PER_BLOCK, MAX_WORDS);
    if (marks == null || marks.length != words) {
      marks = new long[words];
      blockTree = new int[words / WORDS_PER_BLOCK + 1];
    }
  }

  /**
   * Records an access to {@code key}.
   *
   * @return its stack distance (>= 1), or {@link #COLD} on the first access to the key
   */
  public int access(long key) {
    if (nextTimestamp == marks.length << 6) {
      compact();
    }
    accesses++;
    int now = nextTimestamp++;
    int slot = lastAccess.find(key);
    int distance;
    if (slot >= 0) {
      int previous = lastAccess.valueAt(slot);
      int block = previous >>> BLOCK_BITS;
      // marks after `previous`: later ones of its block, then those of every later block
      int after = laterInBlock(previous) + lastAccess.size() - blockPrefix(block);
      distance = after + 1;
      marks[previous >>> 6] &= ~(1L << previous);
      addToBlock(block, -1);
      lastAccess.setValueAt(slot, now);
      count(distance);
    } else {
      lastAccess.insertAt(slot, key, now);
      distance = COLD;
    }
    marks[now >>> 6] |= 1L << now;
    addToBlock(now >>> BLOCK_BITS, 1);
    return distance;
  }

  private void count(int distance) {
    if (distance >= histogram.length) {
      histogram = Arrays.copyOf(histogram, Math.max(histogram.length * 2, distance + 1));
    }
    histogram[distance]++;
    if (distance > maxDistance) {
      maxDistance = distance;
    }
    cumulativeStale = true;
  }

  /** Marks at timestamps after {@code t} within t's block. */
  private int laterInBlock(int t) {
    final long[] m = marks;
    int word = t >>> 6;
    int later = Long.bitCount(m[word] & (-2L << t));
    for (int w = word + 1, end = (word | (WORDS_PER_BLOCK - 1)) + 1; w < end; w++) {
      later += Long.bitCount(m[w]);
    }
    return later;
  }

  /** Marks in blocks 0..block inclusive. */
  private int blockPrefix(int block) {
    final int[] f = blockTree;
    int sum = 0;
    for (int i = block + 1; i > 0; i -= i & -i) {
      sum += f[i];
    }
    return sum;
  }

  private void addToBlock(int block, int delta) {
    final int[] f = blockTree;
    for (int i = block + 1; i < f.length; i += i & -i) {
      f[i] += delta;
    }
  }

  /** Marks at timestamps 0..t inclusive. */
  private int prefixCount(int t) {
    return blockPrefix(t >>> BLOCK_BITS) - laterInBlock(t);
  }

  /**
   * Renumbers the live timestamps 0..D-1 keeping their order (a key's new timestamp is the number
   * of marks before its old one) and rebuilds the marks as D leading bits.
   */
  private void compact() {
    lastAccess.replaceAll((key, t) -> prefixCount(t) - 1);
    int live = lastAccess.size();
    allocateTimestamps(live);
    Arrays.fill(marks, 0);
    Arrays.fill(marks, 0, live >>> 6, -1L);
    if ((live & 63) != 0) {
      marks[live >>> 6] = (1L << live) - 1;
    }
    // Fenwick tree built in linear time: each node passes its sum on to its parent.
    int[] f = blockTree;
    for (int i = 1; i < f.length; i++) {
      f[i] = Math.max(0, Math.min(1 << BLOCK_BITS, live - ((i - 1) << BLOCK_BITS)));
    }
    for (int i = 1; i < f.length; i++) {
      int parent = i + (i & -i);
      if (parent < f.length) {
        f[parent] += f[i];
      }
    }
    nextTimestamp = live;
  }

  /** Number of accesses recorded. */
  public long accesses() {
    return accesses;
  }

  /**
   * Number of distinct keys seen, which is also the number of {@link #COLD} accesses (the
   * compulsory misses at any capacity).
   */
  public int distinctKeys() {
    return lastAccess.size();
  }

  /** Largest stack distance seen so far (0 when no key was accessed twice). */
  public int maxDistance() {
    return maxDistance;
  }

  /** Number of accesses with stack distance exactly {@code distance} (0 outside 1..max). */
  public long countAt(int distance) {
    return distance >= 1 && distance <= maxDistance ? histogram[distance] : 0;
  }

  /**
   * Hits of an LRU cache of {@code capacity} keys that started empty and saw the same accesses: the
   * accesses with distance <= capacity. O(1), after an O({@link #maxDistance}) refresh of the
   * cumulative histogram the first time it is asked after new accesses.
   */
  public long hits(long capacity) {
    if (capacity <= 0) {
      return 0;
    }
    if (cumulativeStale || cumulativeHits.length != maxDistance + 1) {
      refreshCumulative();
    }
    return cumulativeHits[(int) Math.min(capacity, maxDistance)];
  }

  /** Misses of an LRU cache of {@code capacity} keys: {@code accesses() - hits(capacity)}. */
  public long misses(long capacity) {
    return accesses - hits(capacity);
  }

  private void refreshCumulative() {
    if (cumulativeHits.length != maxDistance + 1) {
      cumulativeHits = new long[maxDistance + 1];
    }
    long sum = 0;
    for (int d = 1; d <= maxDistance; d++) {
      sum += histogram[d];
      cumulativeHits[d] = sum;
    }
    cumulativeStale = false;
  }
}
