package org.dsasim.app.sweep;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsasim.app.run.DecodeRun;
import org.dsasim.core.UserInputException;

/**
 * Simulates sweep points as {@code dsasim run} does ({@link DecodeRun}), each with its
 * configuration resolved by {@link PointConfigs}. Writes the per-point files the spec asks for
 * and returns the summary flattened to dotted names ({@code decode_step_us.p50}), without the
 * entries that measure the host rather than the model (wall times), so that a point's row
 * depends on its settings alone.
 */
public final class DecodePointRunnerFactory implements PointRunnerFactory {
  /**
   * Summary entries about the simulator itself (its speed, the launches it replayed): kept in
   * summary.json, not in the table.
   */
  static final Set<String> HOST_METRICS =
      Set.of("wall_time_s", "simulated_entries_per_wall_s", "kernel_launches");

  @Override
  public SweepRunner.PointRunner create(SweepSpec spec) {
    if (!spec.runner().equals(SweepSpec.DECODE)) {
      throw new UserInputException("sweep spec " + spec.source() + ": runner: " + spec.runner()
          + "; its points are not decode runs (run it with 'dsasim sweep', or "
          + SpecPointRunnerFactory.class.getName() + ")");
    }
    Set<String> variables = PointConfigs.variables(spec, Set.of());
    // every point's configuration is resolved once before any point runs (about a millisecond
    // each), so that a bad value on an axis (a wrong unit, out of range, an inconsistent pair)
    // stops the sweep at its start, naming the point, not when the point's turn comes
    for (SweepPoint p : spec.points()) {
      PointConfigs.config(spec, p, variables);
    }
    return (point, dir) -> {
      DecodeRun run = DecodeRun.simulate(PointConfigs.config(spec, point, variables));
      writeFiles(run, spec.outputs(), dir);
      Map<String, Object> metrics = new LinkedHashMap<>();
      flatten("", run.summary(), metrics);
      return metrics;
    };
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
}
