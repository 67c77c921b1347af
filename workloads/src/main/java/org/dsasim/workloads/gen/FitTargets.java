package org.dsasim.workloads.gen;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.dsasim.core.UserInputException;
import org.dsasim.workloads.analyze.Metric;
import org.dsasim.workloads.analyze.MetricSet;
import org.dsasim.workloads.analyze.TraceStatistics;

/**
 * The statistics the {@code dsa} generator is fitted to (overall, pooled values); NaN where a
 * statistic is not available (no samples, or not wanted).
 *
 * @param contiguity mean length of the runs of consecutive token positions in a selection (see
 *     {@link Contiguity}), which sets the model's cohesion
 */
public record FitTargets(
    double newFraction,
    double newFractionP95,
    double interLayerOverlap,
    double workingSet50,
    double reselectionDistance,
    double pageUtilization64,
    double contiguity) {

  /** Targets without contiguity (the model's cohesion stays as given). */
  public FitTargets(
      double newFraction, double newFractionP95, double interLayerOverlap, double workingSet50,
      double reselectionDistance, double pageUtilization64) {
    this(newFraction, newFractionP95, interLayerOverlap, workingSet50, reselectionDistance,
        pageUtilization64, Double.NaN);
  }

  public static FitTargets of(TraceStatistics st, double contiguity) {
    MetricSet o = st.overall();
    return new FitTargets(
        o.mean(Metric.NEW_FRACTION),
        o.summary(Metric.NEW_FRACTION).p95(),
        o.mean(Metric.INTER_LAYER_OVERLAP),
        o.mean(Metric.WORKING_SET_50),
        o.mean(Metric.RESELECTION_DISTANCE),
        o.mean(Metric.PAGE_UTILIZATION_64),
        contiguity);
  }

  /**
   * Parses {@code name=value,name=value,...} with names from {@link #NAMES}; the statistics not
   * named are not fitted.
   */
  public static FitTargets parse(String spec) {
    double[] v = new double[NAMES.length];
    Arrays.fill(v, Double.NaN);
    for (String part : spec.split(",")) {
      String item = part.trim();
      if (item.isEmpty()) {
        continue;
      }
      int eq = item.indexOf('=');
      if (eq < 0) {
        throw new UserInputException("--target: expected name=value, found '" + item + "'");
      }
      String name = item.substring(0, eq).trim();
      int i = List.of(NAMES).indexOf(name);
      if (i < 0) {
        String hint = GeneratorParams.closest(name, List.of(NAMES));
        throw new UserInputException("--target: unknown statistic '" + name + "'"
            + (name.equals("persistence")
                ? " (it follows from new_fraction: give that)"
                : hint == null ? "" : " (did you mean '" + hint + "'?)")
            + "; known: " + String.join(", ", NAMES));
      }
      try {
        v[i] = Double.parseDouble(item.substring(eq + 1).trim());
      } catch (NumberFormatException e) {
        throw new UserInputException("--target: " + name + " must be a number, found '"
            + item.substring(eq + 1).trim() + "'");
      }
      if (!(v[i] > 0) || Double.isInfinite(v[i])) {
        throw new UserInputException("--target: " + name + " must be positive, found " + v[i]);
      }
    }
    return new FitTargets(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
  }

  double get(int i) {
    return switch (i) {
      case 0 -> newFraction;
      case 1 -> newFractionP95;
      case 2 -> interLayerOverlap;
      case 3 -> workingSet50;
      case 4 -> reselectionDistance;
      case 5 -> pageUtilization64;
      case 6 -> contiguity;
      default -> throw new IndexOutOfBoundsException(i);
    };
  }

  /** The statistics' names, in order. */
  public static final String[] NAMES = {
    "new_fraction", "new_fraction_p95", "inter_layer_overlap", "working_set_50",
    "reselection_distance", "page_utilization_64", "contiguity"
  };

  /** Largest relative error of {@code achieved} against these targets, over available targets. */
  public double worstRelativeError(FitTargets achieved) {
    double worst = 0;
    for (int i = 0; i < NAMES.length; i++) {
      double t = get(i);
      if (!Double.isNaN(t)) {
        worst = Math.max(worst, Math.abs(achieved.get(i) - t) / Math.abs(t));
      }
    }
    return worst;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < NAMES.length; i++) {
      if (!Double.isNaN(get(i))) {
        b.append(b.length() == 0 ? "" : ", ")
            .append(NAMES[i]).append(' ').append(String.format(Locale.ROOT, "%.4f", get(i)));
      }
    }
    return b.toString();
  }
}
