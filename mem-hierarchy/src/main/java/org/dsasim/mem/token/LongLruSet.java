package org.dsasim.mem.token;

import java.util.Arrays;
import org.dsasim.core.reuse.LongIntHashMap;

/**
 * An exact LRU set of {@code long} keys with a fixed capacity: {@link #access} is O(1) and
 * allocation-free (arrays grow by doubling up to what the capacity needs, so a large capacity that
 * is never filled costs no memory).
 *
 * <p>Residents form an intrusive doubly linked list, most recently used first, whose links live in
 * one int array (a node's two links share a cache line). Keys in an optional <em>direct range</em>
 * {@code [0, directKeys)} are their own nodes: no lookup at all, and keys that are numerically
 * close (the entries of one (sequence, layer) numbered by {@link TokenSpace#entryIndex}) keep their
 * links close in memory. Other keys get a node through an open-addressing map. Memory: 8 bytes per
 * key of the direct range, plus about 48 bytes per resident outside it.
 */
public final class LongLruSet {
  private static final int NONE = -1;

  /** The previous-link of a direct node that is not resident. */
  private static final int ABSENT = -2;

  private static final int INITIAL_HASHED_NODES = 1024;

  private final int capacity;
  private final int directKeys;

  /** Keys outside the direct range -> their node, numbered from {@link #directKeys}. */
  private final LongIntHashMap hashedNodeOf;

  /** Key of hashed node {@code directKeys + i} at i. */
  private long[] hashedKey = new long[0];

  /** Hashed node numbers handed out so far, and those freed by evictions for reuse. */
  private int hashedNodes;

  private int[] freeHashed = new int[0];
  private int freeCount;

  /** Node n: previous node at 2n, next node at 2n + 1. */
  private int[] links;

  private int head = NONE;
  private int tail = NONE;
  private int size;

  public LongLruSet(int capacity) {
    this(capacity, 0);
  }

  /** A set whose keys in {@code [0, directKeys)} are their own nodes (8 bytes each). */
  public LongLruSet(int capacity, int directKeys) {
    if (capacity < 0 || directKeys < 0) {
      throw new IllegalArgumentException(
          "capacity and directKeys must be >= 0: " + capacity + ", " + directKeys);
    }
    this.capacity = capacity;
    this.directKeys = directKeys;
    this.hashedNodeOf =
        new LongIntHashMap(directKeys > 0 ? 0 : Math.min(capacity, INITIAL_HASHED_NODES), NONE);
    this.links = new int[2 * directKeys];
    Arrays.fill(links, ABSENT);
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
    if (key >= 0 && key < directKeys) {
      int node = (int) key;
      if (links[2 * node] != ABSENT) {
        moveToFront(node);
        return true;
      }
      if (makeRoom()) {
        pushFront(node);
      }
      return false;
    }
    int slot = hashedNodeOf.find(key);
    if (slot >= 0) {
      moveToFront(hashedNodeOf.valueAt(slot));
      return true;
    }
    if (makeRoom()) {
      int node = newHashedNode();
      hashedNodeOf.put(key, node);
      hashedKey[node - directKeys] = key;
      pushFront(node);
    }
    return false;
  }

  /** Evicts the least recently used key if full; false when nothing can be inserted. */
  private boolean makeRoom() {
    if (size < capacity) {
      size++;
      return true;
    }
    if (capacity == 0) {
      return false;
    }
    int victim = tail;
    tail = links[2 * victim];
    if (tail == NONE) {
      head = NONE;
    } else {
      links[2 * tail + 1] = NONE;
    }
    if (victim < directKeys) {
      links[2 * victim] = ABSENT;
    } else {
      hashedNodeOf.remove(hashedKey[victim - directKeys]);
      if (freeCount == freeHashed.length) {
        freeHashed = Arrays.copyOf(freeHashed, Math.max(16, 2 * freeCount));
      }
      freeHashed[freeCount++] = victim;
    }
    return true;
  }

  private int newHashedNode() {
    if (freeCount > 0) {
      return freeHashed[--freeCount];
    }
    int i = hashedNodes++;
    if (i == hashedKey.length) {
      int grown = (int) Math.min(capacity, Math.max(INITIAL_HASHED_NODES, 2L * i));
      hashedKey = Arrays.copyOf(hashedKey, grown);
      links = Arrays.copyOf(links, 2 * (directKeys + grown));
    }
    return directKeys + i;
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
