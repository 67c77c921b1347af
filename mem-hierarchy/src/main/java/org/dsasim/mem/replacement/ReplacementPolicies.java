package org.dsasim.mem.replacement;

import java.util.List;
import org.dsasim.core.registry.Registry;

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

  private static final Registry<Factory> FACTORIES = new Registry<>("replacement policy");

  static {
    register("lru", (sets, ways, seed) -> new LruPolicy(sets, ways));
    register("srrip", (sets, ways, seed) -> new SrripPolicy(sets, ways));
    register("random", (sets, ways, seed) -> new RandomPolicy(seed));
  }

  private ReplacementPolicies() {}

  public static void register(String name, Factory factory) {
    FACTORIES.register(name, factory);
  }

  /** The registered names, in registration order. */
  public static List<String> names() {
    return FACTORIES.names();
  }

  public static boolean exists(String name) {
    return FACTORIES.exists(name);
  }

  /** The policy called {@code name}; an unknown name is an {@link IllegalArgumentException}. */
  public static ReplacementPolicy create(String name, int sets, int ways, long seed) {
    return FACTORIES.get(name).create(sets, ways, seed);
  }
}
