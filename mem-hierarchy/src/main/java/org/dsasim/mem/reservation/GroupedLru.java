package org.dsasim.mem.reservation;

import org.dsasim.core.reuse.LongIntHashMap;

/**
 * A fixed number of slots, each holding one {@code long} key, kept in LRU order within groups: the
 * directory of a reservation (a group per layer or per sequence when capacity is split) and of
 * the admission filter's ghost list.
 *
 * <p>All operations are O(1) and allocation-free: keys find their slot through an open-addressing
 * map; each group is a doubly linked list threaded through {@code int} arrays, most recently used
 * at the head; free slots form a stack, so a slot freed is the next one handed out.
 */
final class GroupedLru {
  private static final int NONE = -1;

  private final int capacity;
  private final long[] keys;
  private final int[] groupOf;
  private final int[] newer;
  private final int[] older;
  private final int[] head;
  private final int[] tail;
  private final int[] count;
  private final int[] free;
  private int freeTop;
  private final LongIntHashMap index;

  GroupedLru(int capacity, int groups) {
    if (capacity < 0 || groups < 1) {
      throw new IllegalArgumentException("capacity >= 0 and groups >= 1 required");
    }
    this.capacity = capacity;
    keys = new long[capacity];
    groupOf = new int[capacity];
    newer = new int[capacity];
    older = new int[capacity];
    head = new int[groups];
    tail = new int[groups];
    count = new int[groups];
    java.util.Arrays.fill(head, NONE);
    java.util.Arrays.fill(tail, NONE);
    free = new int[capacity];
    for (int s = capacity - 1; s >= 0; s--) {
      free[freeTop++] = s;
    }
    index = new LongIntHashMap(capacity, NONE);
  }

  int capacity() {
    return capacity;
  }

  int size() {
    return capacity - freeTop;
  }

  int count(int group) {
    return count[group];
  }

  /** The slot holding {@code key}, or -1. */
  int find(long key) {
    return index.get(key);
  }

  long key(int slot) {
    return keys[slot];
  }

  int group(int slot) {
    return groupOf[slot];
  }

  /** The least recently used slot of {@code group}, or -1 when it is empty. */
  int lru(int group) {
    return tail[group];
  }

  /** Inserts an absent key as the most recent of {@code group}; a slot must be free. */
  int insert(long key, int group) {
    if (freeTop == 0) {
      throw new IllegalStateException("no free slot among " + capacity);
    }
    int slot = free[--freeTop];
    keys[slot] = key;
    groupOf[slot] = group;
    index.put(key, slot);
    link(slot, group);
    return slot;
  }

  /** Gives an occupied slot a new key and group, as the most recent of that group. */
  void rekey(int slot, long key, int group) {
    index.remove(keys[slot]);
    unlink(slot);
    keys[slot] = key;
    groupOf[slot] = group;
    index.put(key, slot);
    link(slot, group);
  }

  /** Makes {@code slot} the most recent of its group. */
  void touch(int slot) {
    int g = groupOf[slot];
    if (head[g] != slot) {
      unlink(slot);
      link(slot, g);
    }
  }

  /** Frees {@code slot}. */
  void remove(int slot) {
    index.remove(keys[slot]);
    unlink(slot);
    free[freeTop++] = slot;
  }

  private void link(int slot, int g) {
    int h = head[g];
    newer[slot] = NONE;
    older[slot] = h;
    if (h != NONE) {
      newer[h] = slot;
    } else {
      tail[g] = slot;
    }
    head[g] = slot;
    count[g]++;
  }

  private void unlink(int slot) {
    int g = groupOf[slot];
    int n = newer[slot];
    int o = older[slot];
    if (n != NONE) {
      older[n] = o;
    } else {
      head[g] = o;
    }
    if (o != NONE) {
      newer[o] = n;
    } else {
      tail[g] = n;
    }
    count[g]--;
  }
}
