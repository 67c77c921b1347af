package org.dsasim.app.sweep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Config;
import org.dsasim.core.config.ConfigKey;
import org.dsasim.core.config.ConfigLoader;
import org.dsasim.core.config.ConfigSchema;

/**
 * The configuration of a sweep's points, as every point runner resolves it: the built-in
 * defaults, the spec's {@code base_config} and {@code base}, the point's axis values and seed,
 * then its {@code derive} keys.
 */
final class PointConfigs {
  private PointConfigs() {}

  /**
   * The axis, point and base keys that are not configuration keys. Each must be one of the
   * runner's own keys ({@code runnerKeys}, read by the runner itself) or feed a derive
   * expression, else it is a misspelt key and the spec is refused before anything runs.
   */
  static Set<String> variables(SweepSpec spec, Set<String> runnerKeys) {
    ConfigSchema schema = ConfigSchema.discover();
    Set<String> given = new LinkedHashSet<>(spec.base().keySet());
    given.addAll(spec.axisKeys());
    Set<String> used = new HashSet<>();
    Set<String> known = new HashSet<>(given);
    for (Map.Entry<String, String> d : spec.derive().entrySet()) {
      List<String> operands;
      try {
        operands = Derivation.operands(d.getValue());
      } catch (IllegalArgumentException e) {
        throw new UserInputException("sweep spec " + spec.source() + ": derive." + d.getKey()
            + ": " + e.getMessage());
      }
      for (String operand : operands) {
        if (Derivation.isName(operand) && !known.contains(operand)
            && schema.key(operand).isEmpty()) {
          List<String> candidates = names(schema);
          candidates.addAll(known);
          throw new UserInputException("sweep spec " + spec.source() + ": derive." + d.getKey()
              + ": '" + operand + "' is neither a configuration key nor a key of base:, axes:,"
              + " points: or an earlier derive:" + suggest(operand, candidates));
        }
      }
      used.addAll(operands);
      known.add(d.getKey());
    }
    Set<String> variables = new LinkedHashSet<>();
    for (String key : given) {
      if (schema.key(key).isPresent()) {
        continue;
      }
      if (!used.contains(key) && !runnerKeys.contains(key)) {
        throw new UserInputException("sweep spec " + spec.source() + ": '" + key
            + "' is not a configuration key" + suggest(key, names(schema))
            + " and no derive: expression uses it ('dsasim config keys' lists the keys)");
      }
      variables.add(key);
    }
    for (String key : spec.derive().keySet()) {
      if (schema.key(key).isEmpty()) {
        throw new UserInputException("sweep spec " + spec.source() + ": derive." + key
            + ": not a configuration key" + suggest(key, names(schema)));
      }
    }
    return variables;
  }

  /** The resolved configuration of one point; {@code variables} are left out of it. */
  static Config config(SweepSpec spec, SweepPoint point, Set<String> variables) {
    String where = "sweep spec " + spec.source() + ", point " + point.id();
    Map<String, String> given = settings(spec, point);
    ConfigLoader loader = ConfigLoader.standard();
    if (spec.baseConfig() != null) {
      loader.file(spec.baseConfig());
    }
    given.forEach((k, v) -> {
      if (!variables.contains(k)) {
        loader.set(k, v, where);
      }
    });
    if (spec.derive().isEmpty()) {
      return loader.load();
    }
    Map<String, String> known = new HashMap<>(loader.load().values());
    known.putAll(given);
    for (Map.Entry<String, String> d : spec.derive().entrySet()) {
      String value;
      try {
        value = Derivation.evaluate(d.getValue(), known::get);
      } catch (IllegalArgumentException e) {
        throw new UserInputException(where + ": derive." + d.getKey() + ": " + e.getMessage());
      }
      loader.set(d.getKey(), value, where + " (derive." + d.getKey() + " = " + d.getValue() + ")");
      known.put(d.getKey(), value);
    }
    return loader.load();
  }

  /** The spec's base settings overlaid with the point's (axis values, point keys, seed). */
  static Map<String, String> settings(SweepSpec spec, SweepPoint point) {
    Map<String, String> settings = new LinkedHashMap<>(spec.base());
    settings.putAll(point.settings());
    return settings;
  }

  private static List<String> names(ConfigSchema schema) {
    List<String> names = new ArrayList<>();
    for (ConfigKey<?> k : schema.keys()) {
      names.add(k.name());
    }
    return names;
  }

  private static String suggest(String key, List<String> names) {
    return ConfigSchema.nearest(key, names, Math.max(3, key.length() / 4))
        .map(best -> " (did you mean '" + best + "'?)").orElse("");
  }
}
