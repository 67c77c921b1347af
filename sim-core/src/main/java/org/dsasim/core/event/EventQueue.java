package org.dsasim.core.event;

import java.util.Arrays;

/**
 * A priority queue of events ordered by (time, priority, insertion order), so that simultaneous
 * events run in a deterministic order: lower priority value first, then first scheduled first.
 *
 * <p>An implicit 4-ary min-heap over primitive arrays: the entries of a node live at the same
 * position of {@code times}, {@code keys}, {@code kinds}, {@code args} and {@code handlers}, and
 * are moved together. A 4-ary heap halves the depth of a binary one, and keeping the comparison
 * keys in their own {@code long} arrays keeps sift loops within a few cache lines. The arrays
 * grow by doubling; nothing is allocated per event.
 */
public final class EventQueue {
  /** Priorities are packed above a 48-bit insertion counter in one comparison key. */
  static final int PRIORITY_BITS = 15;

  static final long SEQ_BITS = 48;
  public static final int MIN_PRIORITY = -(1 << (PRIORITY_BITS - 1));
  public static final int MAX_PRIORITY = (1 << (PRIORITY_BITS - 1)) - 1;

  private long[] times;
  private long[] keys;
  private int[] kinds;
  private long[] args;
  private EventHandler[] handlers;
  private int size;
  private long nextSeq;

  public EventQueue() {
    this(1024);
  }

  public EventQueue(int initialCapacity) {
    int cap = Math.max(16, initialCapacity);
    times = new long[cap];
    keys = new long[cap];
    kinds = new int[cap];
    args = new long[cap];
    handlers = new EventHandler[cap];
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Time of the earliest event; undefined when empty. */
  public long peekTime() {
    return times[0];
  }

  /** Inserts an event. */
  public void add(long time, int priority, EventHandler handler, int kind, long arg) {
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException("priority " + priority + " outside ["
          + MIN_PRIORITY + ", " + MAX_PRIORITY + "]");
    }
    if (size == times.length) {
      grow();
    }
    long key = ((long) (priority - MIN_PRIORITY) << SEQ_BITS) | (nextSeq++ & ((1L << SEQ_BITS) - 1));
    // sift up: move parents down until the new entry's place is found
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 2;
      long pt = times[parent];
      if (pt < time || (pt == time && keys[parent] < key)) {
        break;
      }
      moveEntry(parent, i);
      i = parent;
    }
    times[i] = time;
    keys[i] = key;
    kinds[i] = kind;
    args[i] = arg;
    handlers[i] = handler;
  }

  EventHandler topHandler() {
    return handlers[0];
  }

  int topKind() {
    return kinds[0];
  }

  long topArg() {
    return args[0];
  }

  /** Removes the earliest event (read it first with the {@code top*} accessors). */
  void removeTop() {
    int last = --size;
    long t = times[last];
    long k = keys[last];
    int kind = kinds[last];
    long a = args[last];
    EventHandler h = handlers[last];
    handlers[last] = null;
    if (last == 0) {
      return;
    }
    // sift down from the root with the former last entry
    int i = 0;
    while (true) {
      int first = (i << 2) + 1;
      if (first >= last) {
        break;
      }
      int best = first;
      long bt = times[first];
      long bk = keys[first];
      int end = Math.min(first + 4, last);
      for (int c = first + 1; c < end; c++) {
        long ct = times[c];
        if (ct < bt || (ct == bt && keys[c] < bk)) {
          best = c;
          bt = ct;
          bk = keys[c];
        }
      }
      if (t < bt || (t == bt && k < bk)) {
        break;
      }
      moveEntry(best, i);
      i = best;
    }
    times[i] = t;
    keys[i] = k;
    kinds[i] = kind;
    args[i] = a;
    handlers[i] = h;
  }

  private void moveEntry(int from, int to) {
    times[to] = times[from];
    keys[to] = keys[from];
    kinds[to] = kinds[from];
    args[to] = args[from];
    handlers[to] = handlers[from];
  }

  private void grow() {
    int cap = times.length * 2;
    times = Arrays.copyOf(times, cap);
    keys = Arrays.copyOf(keys, cap);
    kinds = Arrays.copyOf(kinds, cap);
    args = Arrays.copyOf(args, cap);
    handlers = Arrays.copyOf(handlers, cap);
  }

  /** Drops every pending event. */
  public void clear() {
    Arrays.fill(handlers, 0, size, null);
    size = 0;
  }
}
