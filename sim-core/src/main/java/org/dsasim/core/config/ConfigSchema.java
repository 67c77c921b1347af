package org.dsasim.core.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Every configuration key the program knows, each declared once, and the checks across keys.
 * Modules contribute through {@link ConfigSchemaProvider}; {@link #discover()} collects them all,
 * so sim-core never needs to know the keys of the modules above it.
 */
public final class ConfigSchema {
  /** The reserved file key that pulls another YAML file in below the one that names it. */
  public static final String INCLUDE = "include";

  private final Map<String, ConfigKey<?>> keys;
  private final List<ConfigKey<?>> presets;
  private final List<ConfigValidator> validators;

  private ConfigSchema(
      Map<String, ConfigKey<?>> keys,
      List<ConfigKey<?>> presets,
      List<ConfigValidator> validators) {
    this.keys = Collections.unmodifiableMap(keys);
    this.presets = List.copyOf(presets);
    this.validators = List.copyOf(validators);
  }

  /** The schema of every {@link ConfigSchemaProvider} on the class path, in class-name order. */
  public static ConfigSchema discover() {
    List<ConfigSchemaProvider> providers = new ArrayList<>();
    ServiceLoader.load(ConfigSchemaProvider.class, ConfigSchemaProvider.class.getClassLoader())
        .forEach(providers::add);
    providers.sort(Comparator.comparing(p -> p.getClass().getName()));
    Builder b = builder();
    for (ConfigSchemaProvider p : providers) {
      p.contribute(b);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** All keys, sorted by name. */
  public Collection<ConfigKey<?>> keys() {
    return keys.values();
  }

  /** The key called {@code name}. */
  public Optional<ConfigKey<?>> key(String name) {
    return Optional.ofNullable(keys.get(name));
  }

  /** The preset selectors, in the order their files are layered (later ones override). */
  public List<ConfigKey<?>> presetKeys() {
    return presets;
  }

  List<ConfigValidator> validators() {
    return validators;
  }

  /** The keys under {@code prefix.}, when {@code prefix} names a group rather than a key. */
  List<String> keysUnder(String prefix) {
    List<String> under = new ArrayList<>();
    for (String name : keys.keySet()) {
      if (name.startsWith(prefix + ".")) {
        under.add(name);
      }
    }
    return under;
  }

  /**
   * The declared key most likely meant by a misspelt {@code name}: the closest by edit distance
   * (insertions, deletions, substitutions and swaps of neighbours), or a key whose last word is
   * {@code name}'s last word when the prefix was left out or mistyped.
   */
  Optional<String> suggest(String name) {
    Optional<String> closest = nearest(name, keys.keySet(), Math.max(2, name.length() / 4) + 1);
    if (closest.isPresent()) {
      return closest;
    }
    String lastWord = name.substring(name.lastIndexOf('.') + 1);
    for (String candidate : keys.keySet()) {
      if (candidate.substring(candidate.lastIndexOf('.') + 1).equals(lastWord)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * The first of {@code candidates} at the smallest {@link #editDistance} from {@code name}, if
   * that distance is below {@code bound}.
   */
  public static Optional<String> nearest(String name, Iterable<String> candidates, int bound) {
    String best = null;
    int bestDistance = bound;
    for (String candidate : candidates) {
      int d = editDistance(name, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Optimal-string-alignment distance: Levenshtein plus transposition of adjacent characters; the
   * measure behind every "did you mean" suggestion.
   */
  public static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }

  /** Collects keys and checks; {@link #build()} rejects duplicates and clashing names. */
  public static final class Builder {
    private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
    private final List<ConfigValidator> validators = new ArrayList<>();

    private Builder() {}

    /** Declares keys. A name may be declared only once in the whole program. */
    public Builder add(ConfigKey<?>... toAdd) {
      for (ConfigKey<?> k : toAdd) {
        if (k.meaning().isBlank()) {
          throw new IllegalArgumentException("key " + k.name() + " is declared without a meaning");
        }
        if (k.name().equals(INCLUDE) || k.name().startsWith(INCLUDE + ".")) {
          throw new IllegalArgumentException("'" + INCLUDE + "' is reserved for file inclusion");
        }
        if (keys.putIfAbsent(k.name(), k) != null) {
          throw new IllegalArgumentException("key " + k.name() + " is declared twice");
        }
      }
      return this;
    }

    /** Adds a check across keys, run after each key's own checks passed. */
    public Builder check(ConfigValidator validator) {
      validators.add(validator);
      return this;
    }

    public ConfigSchema build() {
      TreeMap<String, ConfigKey<?>> sorted = new TreeMap<>(keys);
      // A preset key may also name a group ("workload: paper-fitted" beside "workload.batch: 8"):
      // YAML can still say both with the dotted form. Any other key may not.
      for (ConfigKey<?> k : sorted.values()) {
        String above = sorted.ceilingKey(k.name() + ".");
        if (!k.isPreset() && above != null && above.startsWith(k.name() + ".")) {
          throw new IllegalArgumentException(
              "key "
                  + k.name()
                  + " clashes with key "
                  + above
                  + ": a name cannot be both a value"
                  + " and a group");
        }
      }
      List<ConfigKey<?>> presets = new ArrayList<>();
      for (ConfigKey<?> k : keys.values()) {
        if (k.isPreset()) {
          presets.add(k);
        }
      }
      return new ConfigSchema(sorted, presets, validators);
    }
  }
}
