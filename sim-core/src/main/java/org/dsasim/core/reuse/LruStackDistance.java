package org.dsasim.core.reuse;

import java.util.Arrays;

/**
 * Exact LRU stack distances of a stream of {@code long} keys, and the histogram of those distances
 * from which the hit count of an LRU cache of <em>any</em> capacity follows: one pass over a trace
 * gives the whole miss-ratio curve (Mattson et al., 1970).
 *
 * <p>The stack distance of an access is the position of its key in the LRU stack just before the
 * access, counting from 1: 1 for a re-access of the most recently used key, {@code d} when
 * {@code d - 1} other distinct keys were used since the key's previous access. An LRU cache of
 * capacity {@code c} (in keys) hits exactly the accesses with {@code distance <= c}. A first touch
 * has no distance: {@link #access} returns {@link #COLD}, which is larger than any capacity. (The
 * "reuse distance" of the analyzer literature is {@code distance - 1}.)
 *
 * <p>How: every access takes the next timestamp; a Fenwick tree over timestamps marks, for each
 * distinct key, the timestamp of its latest access, and a {@link LongIntHashMap} maps each key to
 * that timestamp. The distance of a re-access is one plus the number of marks after the key's
 * previous timestamp, a prefix sum: O(log T) per access for T timestamps in the tree. When the
 * timestamps run out, they are compacted: the live marks are renumbered 0..D-1 in order (D distinct
 * keys so far) and the tree is rebuilt with room for 3D more accesses, so memory is bounded by the
 * number of distinct keys (about 16 bytes each for the tree, about 24 for the map), not by the
 * number of accesses, and compaction costs O(log T) per access amortised.
 *
 * <p>Allocation-free per access: arrays grow only when the number of distinct keys (or the largest
 * distance seen) doubles. Not thread-safe.
 */
public final class LruStackDistance {
  /** Returned by {@link #access} for the first access to a key; compares greater than any capacity. */
  public static final int COLD = Integer.MAX_VALUE;

  private static final int MIN_TIMESTAMPS = 1024;
  /** After a compaction, the tree has room for this many times the live keys. */
  private static final int ROOM_FACTOR = 4;

  /** key -> timestamp of its latest access. */
  private final LongIntHashMap lastAccess;
  /** 1-based Fenwick tree over timestamps 0..tree.length-2; a mark counts 1. */
  private int[] tree;
  private int nextTimestamp;

  private long accesses;
  /** histogram[d] = accesses with stack distance d (index 0 unused). */
  private long[] histogram = new long[64];
  private int maxDistance;
  /** cumulativeHits[c] = accesses with distance <= c, valid while {@code !cumulativeStale}. */
  private long[] cumulativeHits = new long[0];
  private boolean cumulativeStale;

  /** An engine sized for about {@code expectedKeys} distinct keys (it grows past that as needed). */
  public LruStackDistance(int expectedKeys) {
    lastAccess = new LongIntHashMap(expectedKeys, -1);
    tree = new int[Math.max(MIN_TIMESTAMPS, ROOM_FACTOR * expectedKeys) + 1];
  }

  public LruStackDistance() {
    this(0);
  }

  /**
   * Records an access to {@code key}.
   *
   * @return its stack distance (>= 1), or {@link #COLD} on the first access to the key
   */
  public int access(long key) {
    if (nextTimestamp == tree.length - 1) {
      compact();
    }
    accesses++;
    int now = nextTimestamp++;
    int slot = lastAccess.find(key);
    int distance;
    if (slot >= 0) {
      int previous = lastAccess.valueAt(slot);
      distance = lastAccess.size() - prefixCount(previous) + 1;
      add(previous, -1);
      lastAccess.setValueAt(slot, now);
      count(distance);
    } else {
      lastAccess.insertAt(slot, key, now);
      distance = COLD;
    }
    add(now, 1);
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

  /** Marks at timestamps 0..t inclusive. */
  private int prefixCount(int t) {
    final int[] f = tree;
    int sum = 0;
    for (int i = t + 1; i > 0; i -= i & -i) {
      sum += f[i];
    }
    return sum;
  }

  private void add(int t, int delta) {
    final int[] f = tree;
    for (int i = t + 1; i < f.length; i += i & -i) {
      f[i] += delta;
    }
  }

  /**
   * Renumbers the live timestamps 0..D-1 keeping their order (a key's new timestamp is the number
   * of marks before its old one) and rebuilds the tree as D leading marks.
   */
  private void compact() {
    lastAccess.replaceAll((key, t) -> prefixCount(t) - 1);
    int live = lastAccess.size();
    int slots = Math.max(MIN_TIMESTAMPS, ROOM_FACTOR * live);
    if (slots + 1 != tree.length) {
      tree = new int[slots + 1];
    }
    // Node i covers timestamps (i - lowbit(i), i] in 1-based terms; count those below `live`.
    for (int i = 1; i < tree.length; i++) {
      int low = i - (i & -i);
      tree[i] = Math.max(0, Math.min(i, live) - low);
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
   * Hits of an LRU cache of {@code capacity} keys that started empty and saw the same accesses:
   * the accesses with distance <= capacity. O(1), after an O({@link #maxDistance}) refresh of the
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
