package org.dsasim.workloads.analyze;

/**
 * Summary of one metric's samples.
 *
 * @param count number of samples
 * @param mean arithmetic mean, NaN without samples
 * @param p95 95th percentile, interpolated linearly between order statistics (NumPy's default),
 *     NaN without samples
 * @param std population standard deviation, NaN without samples
 */
public record Summary(long count, double mean, double p95, double std) {
  public static final Summary EMPTY = new Summary(0, Double.NaN, Double.NaN, Double.NaN);
}
