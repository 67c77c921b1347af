package org.dsasim.accel.memory;

import java.util.Arrays;

/**
 * Address lists of gather requests: a compute unit gathering many entries at once (as a bulk
 * gather copy does) sends one message whose address is a list id, and the memory side reads the
 * entries' addresses here. One message and one response per list instead of per entry; the
 * requester releases the list with the response. A pool of fixed-size blocks, allocation-free
 * once grown.
 */
public final class GatherLists {
  /** Entries a list holds at most. */
  public static final int MAX = 64;

  private long[] addrs = new long[256 * MAX];
  private int[] counts = new int[256];
  private int[] free = new int[256];
  private int freeCount;
  private int capacity;

  public GatherLists() {
    grow(256);
  }

  /** Stores {@code n} (1..{@link #MAX}) addresses from {@code src[from..]}; returns the id. */
  public int put(long[] src, int from, int n) {
    if (n < 1 || n > MAX) {
      throw new IllegalArgumentException("a gather list holds 1 to " + MAX + " entries, not " + n);
    }
    if (freeCount == 0) {
      grow(capacity * 2);
    }
    int id = free[--freeCount];
    System.arraycopy(src, from, addrs, id * MAX, n);
    counts[id] = n;
    return id;
  }

  public int count(int id) {
    return counts[id];
  }

  public long addr(int id, int i) {
    return addrs[id * MAX + i];
  }

  public void release(int id) {
    counts[id] = 0;
    free[freeCount++] = id;
  }

  private void grow(int newCapacity) {
    addrs = Arrays.copyOf(addrs, newCapacity * MAX);
    counts = Arrays.copyOf(counts, newCapacity);
    free = Arrays.copyOf(free, newCapacity);
    for (int id = newCapacity - 1; id >= capacity; id--) {
      free[freeCount++] = id;
    }
    capacity = newCapacity;
  }
}
