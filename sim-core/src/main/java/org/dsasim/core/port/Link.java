package org.dsasim.core.port;

import org.dsasim.core.event.EventHandler;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.time.Time;

/**
 * A one-way connection from one port to another with a latency, a bandwidth and optionally a
 * limit on messages in flight.
 *
 * <p>Messages are serialised in FIFO order: a message of {@code b} bytes starts when the link is
 * free, occupies it for {@code ceil(b / bandwidth)}, and arrives {@code latency} after it has been
 * sent completely. With an in-flight limit, senders check {@link Port#canSend()} and are called
 * back through {@link Port#onCredit} when a delivery frees a slot.
 */
public final class Link implements EventHandler {
  private static final int DELIVER = 0;

  private final Simulator sim;
  private final Messages messages;
  private final Port from;
  private final Port to;
  private final long latency;
  private final double psPerByte;
  private final int maxInFlight;
  private long busyUntil;
  private int inFlight;
  private long bytesSent;
  private long messagesSent;

  /**
   * @param latency in ps, after the last byte is sent
   * @param bytesPerSecond bandwidth; {@code Double.POSITIVE_INFINITY} for a latency-only link
   * @param maxInFlight messages sent but not yet delivered; {@code Integer.MAX_VALUE} for no limit
   */
  public Link(
      Simulator sim,
      Messages messages,
      Port from,
      Port to,
      long latency,
      double bytesPerSecond,
      int maxInFlight) {
    if (latency < 0 || !(bytesPerSecond > 0) || maxInFlight < 1) {
      throw new IllegalArgumentException(
          "link " + from + " -> " + to + ": latency >= 0, bandwidth > 0, maxInFlight >= 1");
    }
    this.sim = sim;
    this.messages = messages;
    this.from = from;
    this.to = to;
    this.latency = latency;
    this.psPerByte = Time.S / bytesPerSecond;
    this.maxInFlight = maxInFlight;
    from.attach(this);
  }

  /** Connects {@code from} to {@code to} and returns the link. */
  public static Link connect(
      Simulator sim, Messages messages, Port from, Port to, long latency, double bytesPerSecond) {
    return new Link(sim, messages, from, to, latency, bytesPerSecond, Integer.MAX_VALUE);
  }

  boolean hasCredit() {
    return inFlight < maxInFlight;
  }

  long send(int message) {
    if (inFlight >= maxInFlight) {
      throw new IllegalStateException(
          "link " + from + " -> " + to + " is full: check canSend() before send()");
    }
    long now = sim.now();
    long start = Math.max(now, busyUntil);
    int bytes = messages.bytes(message);
    busyUntil = start + (long) Math.ceil(bytes * psPerByte);
    long arrival = busyUntil + latency;
    inFlight++;
    bytesSent += bytes;
    messagesSent++;
    sim.scheduleAt(arrival, Simulator.DEFAULT_PRIORITY, this, DELIVER, message);
    return arrival;
  }

  @Override
  public void onEvent(int kind, long arg) {
    boolean wasFull = inFlight == maxInFlight;
    inFlight--;
    to.deliver((int) arg);
    if (wasFull) {
      from.creditReturned();
    }
  }

  public long latency() {
    return latency;
  }

  /** Bandwidth in bytes per second. */
  public double bandwidth() {
    return Time.S / psPerByte;
  }

  public long bytesSent() {
    return bytesSent;
  }

  public long messagesSent() {
    return messagesSent;
  }

  public int inFlight() {
    return inFlight;
  }
}
