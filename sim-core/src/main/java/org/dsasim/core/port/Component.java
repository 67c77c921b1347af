package org.dsasim.core.port;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dsasim.core.event.EventHandler;
import org.dsasim.core.event.Simulator;

/**
 * A simulated block with a hierarchical name ({@code system.llc.slice3}) and named ports. It is
 * also the handler of the events it schedules for itself.
 */
public abstract class Component implements EventHandler {
  protected final Simulator sim;
  private final String name;
  private final Map<String, Port> ports = new LinkedHashMap<>();

  protected Component(Simulator sim, String name) {
    this.sim = sim;
    this.name = name;
  }

  /** Full hierarchical name, also the prefix of the component's statistics. */
  public String name() {
    return name;
  }

  public Simulator simulator() {
    return sim;
  }

  /** Declares a port whose arriving messages go to {@code receiver}. */
  protected Port addPort(String portName, MessageReceiver receiver) {
    Port p = new Port(name + "." + portName, receiver);
    if (ports.putIfAbsent(portName, p) != null) {
      throw new IllegalArgumentException("duplicate port " + p.name());
    }
    return p;
  }

  /** The port called {@code portName}. */
  public Port port(String portName) {
    Port p = ports.get(portName);
    if (p == null) {
      throw new IllegalArgumentException(
          "component " + name + " has no port '" + portName + "'; ports: " + ports.keySet());
    }
    return p;
  }

  @Override
  public void onEvent(int kind, long arg) {
    throw new IllegalStateException(name + " scheduled an event it does not handle: kind " + kind);
  }

  @Override
  public String toString() {
    return name;
  }
}
