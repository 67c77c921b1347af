package org.dsasim.accel.memory;

/**
 * A least-recently-used set of token entries keyed by non-negative longs (the memory side uses an
 * entry's index in the KV buffer), with a fixed capacity in entries: an open-addressing hash table (linear probing, backward-shift
 * deletion) of node numbers, and an intrusive doubly-linked recency list in int arrays. Each node
 * remembers when its entry's data is ready. Nothing is allocated after construction.
 */
final class TokenLru {
  private final int capacity;
  private final int[] table; // node + 1, 0 = empty
  private final int mask;
  private final long[] key;
  private final long[] ready;
  private final int[] prev;
  private final int[] next;
  private int head = -1; // most recent
  private int tail = -1; // least recent
  private int size;
  private int allocated; // nodes handed out so far; those evicted wait in freeNodes
  private final int[] freeNodes;
  private int freeTop;

  /** Key of the entry evicted by the last {@link #insert}, or -1. */
  long evicted = -1;

  TokenLru(int capacity) {
    this.capacity = capacity;
    int t = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1;
    table = new int[t];
    mask = t - 1;
    key = new long[Math.max(1, capacity)];
    ready = new long[Math.max(1, capacity)];
    prev = new int[Math.max(1, capacity)];
    next = new int[Math.max(1, capacity)];
    freeNodes = new int[Math.max(1, capacity)];
  }

  int capacity() {
    return capacity;
  }

  int size() {
    return size;
  }

  /** The node holding {@code k}, or -1. */
  int find(long k) {
    int i = slot(k);
    while (table[i] != 0) {
      int n = table[i] - 1;
      if (key[n] == k) {
        return n;
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  long readyAt(int node) {
    return ready[node];
  }

  void setReadyAt(int node, long t) {
    ready[node] = t;
  }

  /** Makes {@code node} the most recently used. */
  void touch(int node) {
    if (node == head) {
      return;
    }
    unlink(node);
    pushFront(node);
  }

  /**
   * Inserts {@code k} (absent) as the most recently used, evicting the least recently used entry
   * when full ({@link #evicted} then holds its key). Returns the node, or -1 if the capacity is 0.
   */
  int insert(long k, long readyAt) {
    evicted = -1;
    if (capacity == 0) {
      return -1;
    }
    int n;
    if (size == capacity) {
      n = tail;
      evicted = key[n];
      remove(evicted);
      unlink(n);
    } else {
      n = freeTop > 0 ? freeNodes[--freeTop] : allocated++;
      size++;
    }
    key[n] = k;
    ready[n] = readyAt;
    int i = slot(k);
    while (table[i] != 0) {
      i = (i + 1) & mask;
    }
    table[i] = n + 1;
    pushFront(n);
    return n;
  }

  /** The least recently used node, or -1 when empty. */
  int lru() {
    return tail;
  }

  /** Removes {@code node} (its entry leaves). */
  void evict(int node) {
    remove(key[node]);
    unlink(node);
    freeNodes[freeTop++] = node;
    size--;
  }

  private void remove(long k) {
    int i = slot(k);
    while (key[table[i] - 1] != k) {
      i = (i + 1) & mask;
    }
    // backward-shift deletion keeps probe sequences intact
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (table[j] == 0) {
        break;
      }
      int home = slot(key[table[j] - 1]);
      boolean between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!between) {
        table[i] = table[j];
        i = j;
      }
    }
    table[i] = 0;
  }

  private void unlink(int n) {
    int p = prev[n];
    int q = next[n];
    if (p >= 0) {
      next[p] = q;
    } else {
      head = q;
    }
    if (q >= 0) {
      prev[q] = p;
    } else {
      tail = p;
    }
  }

  private void pushFront(int n) {
    prev[n] = -1;
    next[n] = head;
    if (head >= 0) {
      prev[head] = n;
    }
    head = n;
    if (tail < 0) {
      tail = n;
    }
  }

  private int slot(long k) {
    return (int) (LineCache.mix(k) & mask);
  }
}
