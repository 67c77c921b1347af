package org.dsasim.core.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Implementations of one replaceable decision (a replacement policy, an HBM scheduler, an
 * address mapping...) registered by name, so that configurations and studies choose them by name
 * and a new implementation is one class plus one {@link #register} call.
 *
 * @param <F> the factory type that builds an implementation
 */
public final class Registry<F> {
  private final String what;
  private final Map<String, F> factories = new LinkedHashMap<>();

  /** @param what what the entries are, for messages ("replacement policy") */
  public Registry(String what) {
    this.what = what;
  }

  /** Adds {@code factory} under {@code name}; a name can be registered once. */
  public synchronized Registry<F> register(String name, F factory) {
    if (factories.putIfAbsent(name, factory) != null) {
      throw new IllegalArgumentException(what + " '" + name + "' is already registered");
    }
    return this;
  }

  /** The registered names, in registration order. */
  public synchronized List<String> names() {
    return List.copyOf(factories.keySet());
  }

  public synchronized boolean exists(String name) {
    return factories.containsKey(name);
  }

  /** The factory registered as {@code name}; an unknown name is an IllegalArgumentException. */
  public synchronized F get(String name) {
    F f = factories.get(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "unknown " + what + " '" + name + "', expected one of " + factories.keySet());
    }
    return f;
  }
}
