package org.dsasim.core.port;

/**
 * A first-in first-out queue of ints (message handles waiting for a credit, a port or a slot)
 * in a ring that doubles when full, so that adding never fails and, once grown, never allocates.
 */
public final class IntFifo {
  private int[] ring;
  private int head;
  private int size;

  /** A queue with room for {@code capacity} values before it first grows. */
  public IntFifo(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    ring = new int[capacity];
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public int size() {
    return size;
  }

  /** Appends {@code v}. */
  public void add(int v) {
    if (size == ring.length) {
      int[] bigger = new int[ring.length * 2];
      for (int i = 0; i < size; i++) {
        bigger[i] = ring[(head + i) % ring.length];
      }
      ring = bigger;
      head = 0;
    }
    ring[(head + size) % ring.length] = v;
    size++;
  }

  /** The oldest value, which stays queued; the queue must not be empty. */
  public int peek() {
    if (size == 0) {
      throw new IllegalStateException("empty queue");
    }
    return ring[head];
  }

  /** Removes and returns the oldest value; the queue must not be empty. */
  public int poll() {
    int v = peek();
    head = (head + 1) % ring.length;
    size--;
    return v;
  }
}
