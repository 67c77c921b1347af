package org.dsasim.core.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The usual charts: histograms, empirical CDFs and line charts. */
public final class Charts {
  /** Most points an empirical CDF series keeps (more samples are thinned evenly by rank). */
  public static final int MAX_CDF_POINTS = 2000;

  private Charts() {}

  /** Bars of the given heights at the given x values. */
  public static Chart bars(String title, String xLabel, String yLabel, double[] x, double[] y) {
    return new Chart(
        title, Axis.linear(xLabel), Axis.linear(yLabel), List.of(Series.bars("", x, y)));
  }

  /**
   * A histogram of {@code samples} in {@code bins} equal bins over [lo, hi] (samples outside go to
   * the end bins), as the share of samples per bin.
   */
  public static Chart histogram(
      String title, String xLabel, double[] samples, int bins, double lo, double hi) {
    double width = (hi - lo) / bins;
    double[] centers = new double[bins];
    double[] share = new double[bins];
    for (int b = 0; b < bins; b++) {
      centers[b] = lo + (b + 0.5) * width;
    }
    for (double v : samples) {
      int b = (int) Math.floor((v - lo) / width);
      share[Math.max(0, Math.min(bins - 1, b))] += 1.0 / samples.length;
    }
    return bars(title, xLabel, "share of samples", centers, share);
  }

  /**
   * Empirical CDFs, one step series per entry of {@code sortedSamples} (name to samples in
   * ascending order); y is the share of samples at or below x.
   */
  public static Chart cdf(
      String title, Axis x, Map<String, double[]> sortedSamples) {
    List<Series> series = new ArrayList<>();
    for (Map.Entry<String, double[]> e : sortedSamples.entrySet()) {
      double[] v = e.getValue();
      int n = v.length;
      int points = Math.min(n, MAX_CDF_POINTS);
      double[] xs = new double[points];
      double[] ys = new double[points];
      for (int i = 0; i < points; i++) {
        // rank of the i-th kept point: the last sample of its slice, so the curve stays exact
        int rank = points == n ? i : (int) (((long) (i + 1) * n) / points) - 1;
        xs[i] = v[rank];
        ys[i] = (rank + 1.0) / n;
      }
      series.add(Series.step(e.getKey(), xs, ys));
    }
    return new Chart(title, x, Axis.linear("share of samples <= x").range(0, 1), series);
  }

  /** A line chart. */
  public static Chart lines(String title, Axis x, Axis y, List<Series> series) {
    return new Chart(title, x, y, series);
  }
}
