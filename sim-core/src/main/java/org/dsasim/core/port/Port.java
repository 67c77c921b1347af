package org.dsasim.core.port;

/**
 * A named connection point of a component ({@code system.llc.slice3.cpu_side}). Messages leave
 * through the {@link Link} attached to it and arrive through the owner's {@link MessageReceiver}.
 */
public final class Port {
  private final String name;
  private final MessageReceiver receiver;
  private Link out;
  private Runnable onCredit;

  Port(String name, MessageReceiver receiver) {
    this.name = name;
    this.receiver = receiver;
  }

  public String name() {
    return name;
  }

  /** The link messages sent from this port travel on. */
  public Link link() {
    if (out == null) {
      throw new IllegalStateException("port " + name + " is not connected");
    }
    return out;
  }

  public boolean isConnected() {
    return out != null;
  }

  void attach(Link link) {
    if (out != null) {
      throw new IllegalStateException("port " + name + " is already connected");
    }
    out = link;
  }

  /** Whether the link can take another message now (its in-flight limit is not reached). */
  public boolean canSend() {
    return link().hasCredit();
  }

  /** Sends {@code message}; returns the time it will arrive at the peer port. */
  public long send(int message) {
    return link().send(message);
  }

  /**
   * Back-pressure: {@code callback} runs whenever a delivery frees a slot of this port's full
   * link, i.e. after {@link #canSend()} has returned false it runs once a send is possible again
   * (at the delivery time, right after the receiver). It replaces any earlier callback.
   */
  public void onCredit(Runnable callback) {
    this.onCredit = callback;
  }

  void creditReturned() {
    if (onCredit != null) {
      onCredit.run();
    }
  }

  void deliver(int message) {
    receiver.receive(this, message);
  }

  @Override
  public String toString() {
    return name;
  }
}
