package org.dsasim.workloads.analyze;

import java.util.Arrays;

/**
 * A set of ints for one selection at a time (its tokens, or its pages), sized for at most a known
 * number of elements. Slots carry the stamp of the selection that filled them, so {@link #clear}
 * costs nothing, and the table is small enough to stay in the processor's caches.
 */
final class StampedIntSet {
  private final int[] values;
  private final int[] stamps;
  private final int shift;
  private final int mask;
  private int stamp = 1;
  private int size;

  /** A set for at most {@code maxElements} elements between two {@link #clear} calls. */
  StampedIntSet(int maxElements) {
    int capacity = Integer.highestOneBit(Math.max(16, maxElements * 2 - 1)) << 1;
    values = new int[capacity];
    stamps = new int[capacity];
    shift = 32 - Integer.numberOfTrailingZeros(capacity);
    mask = capacity - 1;
  }

  void clear() {
    stamp++;
    if (stamp == 0) {
      // wrapped after 2^32 clears: old stamps could collide with new ones
      Arrays.fill(stamps, 0);
      stamp = 1;
    }
    size = 0;
  }

  /** Adds {@code v}; true if it was not in the set. */
  boolean add(int v) {
    int i = (v * 0x9E3779B9) >>> shift;
    while (stamps[i] == stamp) {
      if (values[i] == v) {
        return false;
      }
      i = (i + 1) & mask;
    }
    stamps[i] = stamp;
    values[i] = v;
    size++;
    return true;
  }

  boolean contains(int v) {
    int i = (v * 0x9E3779B9) >>> shift;
    while (stamps[i] == stamp) {
      if (values[i] == v) {
        return true;
      }
      i = (i + 1) & mask;
    }
    return false;
  }

  int size() {
    return size;
  }
}
