package org.dsasim.core.event;

/**
 * Receives the events it scheduled. An event carries no object of its own: {@code kind} says
 * what happened (a constant of the handler's choosing) and {@code arg} carries a primitive payload
 * (a message handle, a bank index, a request id), so scheduling and dispatching allocate nothing.
 */
@FunctionalInterface
public interface EventHandler {
  void onEvent(int kind, long arg);
}
