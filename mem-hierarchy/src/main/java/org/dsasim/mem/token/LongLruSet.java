package org.dsasim.mem.token;

import java.util.Arrays;
import org.dsasim.core.reuse.LongIntHashMap;

/**
 * An exact LRU set of {@code long} keys with a fixed capacity: {@link #access} is O(1) and
 * allocation-free (node arrays grow by doubling up to the capacity, so a large capacity that is
 * never filled costs no memory).
 *
 * <p>An open-addressing map gives each resident key its node; nodes form an intrusive doubly
 * linked list in int arrays, most recently used first. Memory: about 40 bytes per resident key.
 */
public final class LongLruSet {
  private static final int NONE = -1;
  private static final int INITIAL_NODES = 1024;

  private final int capacity;
  private final LongIntHashMap nodeOf;
  private long[] nodeKey;
  /** prev of node n at 2n, next at 2n + 1: both links of a node share a cache line. */
  private int[] links;
  private int head = NONE;
  private int tail = NONE;
  private int size;

  public LongLruSet(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity < 0: " + capacity);
    }
    this.capacity = capacity;
    int nodes = Math.min(capacity, INITIAL_NODES);
    this.nodeOf = new LongIntHashMap(nodes, NONE);
    this.nodeKey = new long[nodes];
    this.links = new int[2 * nodes];
  }

  public int capacity() {
    return capacity;
  }

  /** Number of resident keys. */
  public int size() {
    return size;
  }

  /**
   * Accesses {@code key}: a resident key becomes the most recently used; an absent one is inserted
   * as the most recently used, evicting the least recently used key when full.
   *
   * @return true if {@code key} was resident
   */
  public boolean access(long key) {
    int slot = nodeOf.find(key);
    if (slot >= 0) {
      moveToFront(nodeOf.valueAt(slot));
      return true;
    }
    if (capacity == 0) {
      return false;
    }
    if (size < capacity) {
      int node = size++;
      if (node == nodeKey.length) {
        grow();
      }
      nodeOf.insertAt(slot, key, node);
      nodeKey[node] = key;
      pushFront(node);
    } else {
      int node = tail;
      nodeOf.remove(nodeKey[node]);
      nodeOf.put(key, node);
      nodeKey[node] = key;
      moveToFront(node);
    }
    return false;
  }

  /** Whether {@code key} is resident, without touching its recency. */
  public boolean contains(long key) {
    return nodeOf.find(key) >= 0;
  }

  private void grow() {
    int nodes = (int) Math.min(capacity, Math.max(INITIAL_NODES, 2L * nodeKey.length));
    nodeKey = Arrays.copyOf(nodeKey, nodes);
    links = Arrays.copyOf(links, 2 * nodes);
  }

  private void moveToFront(int node) {
    if (node == head) {
      return;
    }
    final int[] l = links;
    int prev = l[2 * node];
    int next = l[2 * node + 1];
    l[2 * prev + 1] = next;
    if (next == NONE) {
      tail = prev;
    } else {
      l[2 * next] = prev;
    }
    pushFront(node);
  }

  private void pushFront(int node) {
    final int[] l = links;
    l[2 * node] = NONE;
    l[2 * node + 1] = head;
    if (head == NONE) {
      tail = node;
    } else {
      l[2 * head] = node;
    }
    head = node;
  }
}
