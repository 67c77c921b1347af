package org.dsasim.mem.replacement;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * The registry of replacement policies by name ({@code lru}, {@code srrip}, {@code random}). A new
 * policy is one class and one {@link #register} line.
 */
public final class ReplacementPolicies {
  /** Builds a policy for a cache of {@code sets} x {@code ways}; {@code seed} for random ones. */
  @FunctionalInterface
  public interface Factory {
    ReplacementPolicy create(int sets, int ways, long seed);
  }

  private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();

  static {
    register("lru", (sets, ways, seed) -> new LruPolicy(sets, ways));
    register("srrip", (sets, ways, seed) -> new SrripPolicy(sets, ways));
    register("random", (sets, ways, seed) -> new RandomPolicy(seed));
  }

  private ReplacementPolicies() {}

  public static synchronized void register(String name, Factory factory) {
    if (FACTORIES.putIfAbsent(name, factory) != null) {
      throw new IllegalArgumentException("replacement policy '" + name + "' already registered");
    }
  }

  /** The registered names, in registration order. */
  public static synchronized List<String> names() {
    return List.copyOf(FACTORIES.keySet());
  }

  public static synchronized boolean exists(String name) {
    return FACTORIES.containsKey(name);
  }

  /** The policy called {@code name}; an unknown name is an {@link IllegalArgumentException}. */
  public static synchronized ReplacementPolicy create(String name, int sets, int ways, long seed) {
    Factory f = FACTORIES.get(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "unknown replacement policy '" + name + "', expected one of " + FACTORIES.keySet());
    }
    return f.create(sets, ways, seed);
  }
}
