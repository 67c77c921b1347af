package org.dsasim.app.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsasim.app.run.DecodeRun;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Config;
import org.dsasim.core.config.ConfigKey;
import org.dsasim.core.config.ConfigLoader;
import org.dsasim.core.config.ConfigSchema;

/**
 * Simulates sweep points as {@code dsasim run} does ({@link DecodeRun}): the built-in defaults,
 * the spec's {@code base_config} and {@code base}, the point's axis values and seed, then its
 * {@code derive} keys. Writes the per-point files the spec asks for and returns the summary
 * flattened to dotted names ({@code decode_step_us.p50}), without the entries that measure the
 * host rather than the model (wall times), so that a point's row depends on its settings alone.
 */
public final class DecodePointRunnerFactory implements PointRunnerFactory {
  /** Summary entries that time the simulator itself: kept in summary.json, not in the table. */
  static final Set<String> HOST_METRICS = Set.of("wall_time_s", "simulated_entries_per_wall_s");

  @Override
  public SweepRunner.PointRunner create(SweepSpec spec) {
    Set<String> variables = variables(spec);
    return (point, dir) -> {
      DecodeRun run = DecodeRun.simulate(config(spec, point, variables));
      writeFiles(run, spec.outputs(), dir);
      Map<String, Object> metrics = new LinkedHashMap<>();
      flatten("", run.summary(), metrics);
      return metrics;
    };
  }

  /**
   * The axis, point and base keys that are not configuration keys; each must feed a derive
   * expression, else it is a misspelt key and the spec is refused before anything runs.
   */
  static Set<String> variables(SweepSpec spec) {
    ConfigSchema schema = ConfigSchema.discover();
    Set<String> given = new LinkedHashSet<>(spec.base().keySet());
    given.addAll(spec.axisKeys());
    Set<String> used = new java.util.HashSet<>();
    for (Map.Entry<String, String> d : spec.derive().entrySet()) {
      try {
        used.addAll(Derivation.operands(d.getValue()));
      } catch (IllegalArgumentException e) {
        throw new UserInputException("sweep spec " + spec.source() + ": derive." + d.getKey()
            + ": " + e.getMessage());
      }
    }
    Set<String> variables = new LinkedHashSet<>();
    for (String key : given) {
      if (schema.key(key).isPresent()) {
        continue;
      }
      if (!used.contains(key)) {
        throw new UserInputException("sweep spec " + spec.source() + ": '" + key
            + "' is not a configuration key" + suggest(key, schema)
            + " and no derive: expression uses it ('dsasim config keys' lists the keys)");
      }
      variables.add(key);
    }
    for (String key : spec.derive().keySet()) {
      if (schema.key(key).isEmpty()) {
        throw new UserInputException("sweep spec " + spec.source() + ": derive." + key
            + ": not a configuration key" + suggest(key, schema));
      }
    }
    return variables;
  }

  /** The resolved configuration of one point. */
  static Config config(SweepSpec spec, SweepPoint point, Set<String> variables) {
    String where = "sweep spec " + spec.source() + ", point " + point.id();
    Map<String, String> given = new LinkedHashMap<>(spec.base());
    given.putAll(point.settings());
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

  private static void writeFiles(DecodeRun run, List<String> outputs, Path dir) {
    if (outputs.contains("summary")) {
      run.writeSummary(dir);
    }
    if (outputs.contains("hlog")) {
      run.writeHistograms(dir);
    }
    if (outputs.contains("config")) {
      run.writeConfig(dir);
    }
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Map<String, Object> in, Map<String, Object> out) {
    for (Map.Entry<String, Object> e : in.entrySet()) {
      String name = prefix + e.getKey();
      if (HOST_METRICS.contains(name)) {
        continue;
      }
      if (e.getValue() instanceof Map<?, ?> m) {
        flatten(name + ".", (Map<String, Object>) m, out);
      } else {
        out.put(name, e.getValue());
      }
    }
  }

  private static String suggest(String key, ConfigSchema schema) {
    List<String> names = new ArrayList<>();
    for (ConfigKey<?> k : schema.keys()) {
      names.add(k.name());
    }
    String best = null;
    int bestDist = Math.max(3, key.length() / 4);
    for (String n : names) {
      int d = ConfigSchema.editDistance(key, n);
      if (d < bestDist) {
        bestDist = d;
        best = n;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }
}
