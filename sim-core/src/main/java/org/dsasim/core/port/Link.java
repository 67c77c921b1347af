package org.dsasim.core.port;

import org.dsasim.core.event.EventHandler;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.time.SerialChannel;

/**
 * A one-way connection from one port to another with a latency, a bandwidth and optionally a
 * limit on messages in flight.
 *
 * <p>Messages are serialised in FIFO order: a message of {@code b} bytes starts when the link is
 * free, occupies it for {@code b / bandwidth}, and arrives {@code latency} after it has been sent
 * completely, rounded up to the picosecond. The wire's time is kept exactly (see
 * {@link SerialChannel}): {@code n} messages sent back to back from time {@code t0} arrive at
 * {@code t0 + ceil(bytes_1..k * 1e12 / bandwidth) + latency}, and a long stream moves exactly
 * {@code bandwidth} bytes per second. Messages sent at the same time arrive in the order sent.
 *
 * <p>With an in-flight limit, a message occupies one of the link's slots from {@link Port#send}
 * until it is delivered (its receiver has been called). Senders check {@link Port#canSend()}; when
 * a delivery frees a slot of a full link, the sending port's {@link Port#onCredit} callback runs,
 * right after the receiver, at the delivery time.
 */
public final class Link implements EventHandler {
  private static final int DELIVER = 0;

  private final Simulator sim;
  private final Messages messages;
  private final Port from;
  private final Port to;
  private final long latency;
  private final SerialChannel wire;
  private final int maxInFlight;
  private int inFlight;
  private long bytesSent;
  private long messagesSent;

  /**
   * @param latency in ps, after the last byte is sent
   * @param bytesPerSecond bandwidth, rounded to whole bytes per second;
   *     {@code Double.POSITIVE_INFINITY} for a latency-only link
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
    String link = "link " + from + " -> " + to + ": ";
    if (latency < 0) {
      throw new IllegalArgumentException(link + "negative latency " + latency + " ps");
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException(link + "in-flight limit " + maxInFlight + " < 1");
    }
    try {
      this.wire = new SerialChannel(bytesPerSecond);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(link + e.getMessage(), e);
    }
    this.sim = sim;
    this.messages = messages;
    this.from = from;
    this.to = to;
    this.latency = latency;
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
    int bytes = messages.bytes(message);
    long arrival = wire.transfer(sim.now(), bytes) + latency;
    inFlight++;
    bytesSent += bytes;
    messagesSent++;
    sim.scheduleAt(arrival, this, DELIVER, message);
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

  /** Bandwidth in bytes per second, as held (whole bytes per second, or infinity). */
  public double bandwidth() {
    return wire.bytesPerSecond();
  }

  /** The earliest time the next message could start on the wire. */
  public long wireFreeAt() {
    return wire.freeAt();
  }

  /** The in-flight limit; {@code Integer.MAX_VALUE} for none. */
  public int maxInFlight() {
    return maxInFlight;
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
