package org.dsasim.core.port;

/** What a component does when a message arrives at one of its ports. */
@FunctionalInterface
public interface MessageReceiver {
  void receive(Port at, int message);
}
