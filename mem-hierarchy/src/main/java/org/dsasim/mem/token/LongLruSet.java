package org.dsasim.mem.token;

import java.util.Arrays;
import org.dsasim.core.reuse.LongIntHashMap;

/**
 * An exact LRU set of {@code long} keys with a fixed capacity: {@link #access} is O(1) and
 * allocation-free (the node array grows by doubling up to the capacity, so a large capacity that
 * is never filled costs no memory).
 *
 * <p>An open-addressing map gives each resident key its node; nodes form an intrusive doubly
 * linked list, most recently used first, in one {@code long} array: a node's key and both its
 * links share 16 bytes, one cache line. Memory: about 48 bytes per resident key (plus 4 bytes per
 * key of the direct range, if one is given).
 */
public final class LongLruSet {
  private static final int NONE = -1;
  private static final int INITIAL_NODES = 1024;
  private static final long LOW = 0xFFFF_FFFFL;

  private final int capacity;
  private final LongIntHashMap nodeOf;
  /** Node n: its key at 2n; at 2n + 1 its previous node (high half) and next node (low half). */
  private long[] nodes;
  private int head = NONE;
  private int tail = NONE;
  private int size;

  public LongLruSet(int capacity) {
    this(capacity, 0);
  }

  /**
   * A set whose keys are mostly in {@code [0, directKeys)}, which are then found through a direct
   * array instead of hashing (see {@link LongIntHashMap}); other keys still work.
   */
  public LongLruSet(int capacity, int directKeys) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity < 0: " + capacity);
    }
    this.capacity = capacity;
    int initial = Math.min(capacity, INITIAL_NODES);
    this.nodeOf = new LongIntHashMap(directKeys > 0 ? 0 : initial, NONE, directKeys);
    this.nodes = new long[2 * initial];
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
      if (2 * node == nodes.length) {
        nodes = Arrays.copyOf(nodes, 2 * (int) Math.min(capacity, Math.max(INITIAL_NODES, 2L * node)));
      }
      nodeOf.insertAt(slot, key, node);
      nodes[2 * node] = key;
      pushFront(node);
    } else {
      int node = tail;
      nodeOf.remove(nodes[2 * node]);
      nodeOf.put(key, node);
      nodes[2 * node] = key;
      moveToFront(node);
    }
    return false;
  }

  private void moveToFront(int node) {
    if (node == head) {
      return;
    }
    final long[] n = nodes;
    long links = n[2 * node + 1];
    int prev = (int) (links >>> 32);
    int next = (int) links;
    // prev.next = next
    n[2 * prev + 1] = (n[2 * prev + 1] & ~LOW) | (next & LOW);
    if (next == NONE) {
      tail = prev;
    } else {
      // next.prev = prev
      n[2 * next + 1] = ((long) prev << 32) | (n[2 * next + 1] & LOW);
    }
    pushFront(node);
  }

  private void pushFront(int node) {
    final long[] n = nodes;
    n[2 * node + 1] = ((long) NONE << 32) | (head & LOW);
    if (head == NONE) {
      tail = node;
    } else {
      // head.prev = node
      n[2 * head + 1] = ((long) node << 32) | (n[2 * head + 1] & LOW);
    }
    head = node;
  }
}
