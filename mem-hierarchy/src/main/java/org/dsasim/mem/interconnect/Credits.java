package org.dsasim.mem.interconnect;

/**
 * Credit-based flow control for one input buffer: a sender may send only while it holds a credit;
 * the receiver returns the credit when the message leaves its buffer. When the credits run out the
 * sender registers a callback once and is called when a credit comes back, so nobody polls.
 *
 * <p>Credits travel without delay (the credit wire is not modelled). The callback runs inside the
 * receiver's {@link #give}; it may send at once, since sends are delivered by later events.
 */
public final class Credits {
  private final String name;
  private final int capacity;
  private int available;
  private Runnable onAvailable;

  /**
   * @param name for error messages ({@code system.llc.cpu_side.3})
   * @param capacity the depth of the buffer the credits stand for
   */
  public Credits(String name, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException(name + ": credit count must be >= 1, got " + capacity);
    }
    this.name = name;
    this.capacity = capacity;
    this.available = capacity;
  }

  /** Whether a message may be sent now. */
  public boolean available() {
    return available > 0;
  }

  public int count() {
    return available;
  }

  public int capacity() {
    return capacity;
  }

  /** Takes one credit before sending; the sender must have checked {@link #available()}. */
  public void take() {
    if (available == 0) {
      throw new IllegalStateException(name + ": no credit left: check available() before sending");
    }
    available--;
  }

  /** Returns one credit; runs the callback when the credits had run out. */
  public void give() {
    if (available == capacity) {
      throw new IllegalStateException(name + ": more credits returned than taken");
    }
    if (available++ == 0 && onAvailable != null) {
      onAvailable.run();
    }
  }

  /**
   * Sets the one callback run whenever a credit returns after they had all been taken. It stays
   * registered; the sender checks {@link #available()} again when called.
   */
  public void onAvailable(Runnable callback) {
    this.onAvailable = callback;
  }

  @Override
  public String toString() {
    return name + "[" + available + "/" + capacity + "]";
  }
}
