package org.dsasim.core.stats;

/** Percentiles of exact samples, with the same convention as NumPy's default ("linear"). */
public final class Percentiles {
  private Percentiles() {}

  /**
   * The {@code q}-th quantile (0..1) of {@code sorted[0..n)}, interpolating linearly between the
   * order statistics at ranks floor and ceil of {@code q * (n - 1)}, like {@code numpy.percentile}.
   *
   * @throws IllegalArgumentException if {@code n == 0}
   */
  public static double linear(double[] sorted, int n, double q) {
    if (n <= 0) {
      throw new IllegalArgumentException("no samples");
    }
    if (q < 0 || q > 1) {
      throw new IllegalArgumentException("quantile outside [0,1]: " + q);
    }
    double pos = q * (n - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, n - 1);
    double frac = pos - lo;
    return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
  }
}
