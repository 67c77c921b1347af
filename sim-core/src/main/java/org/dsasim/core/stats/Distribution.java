package org.dsasim.core.stats;

import org.HdrHistogram.Histogram;

/**
 * A distribution of non-negative integer samples (latencies in ps, queue depths) on an
 * HdrHistogram: percentiles within a relative error of {@code 10^-significantDigits}, recording in
 * constant time without allocation (except when a sample exceeds every earlier one by far and the
 * histogram grows).
 */
public final class Distribution extends Stat {
  private final Histogram current;
  private final Histogram completedIntervals;

  Distribution(String name, String unit, String description, int significantDigits) {
    super(name, unit, description);
    current = new Histogram(significantDigits);
    completedIntervals = new Histogram(significantDigits);
  }

  /**
   * Records one sample.
   *
   * @throws IllegalArgumentException if {@code value} is negative
   */
  public void record(long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name() + ": negative sample " + value);
    }
    current.recordValue(value);
  }

  /** Records {@code count} samples of the same value. */
  public void record(long value, long count) {
    if (value < 0) {
      throw new IllegalArgumentException(name() + ": negative sample " + value);
    }
    current.recordValueWithCount(value, count);
  }

  /** A copy of everything recorded since the last reset. */
  public Histogram total() {
    Histogram h = completedIntervals.copy();
    h.add(current);
    h.setTag(name());
    return h;
  }

  /**
   * The samples of the current interval, tagged with this distribution's name for the interval log
   * (read it, do not modify it).
   */
  Histogram currentInterval() {
    current.setTag(name()); // Histogram.reset() clears the tag
    return current;
  }

  @Override
  public String kind() {
    return "distribution";
  }

  @Override
  void reset() {
    current.reset();
    completedIntervals.reset();
  }

  @Override
  void beginInterval() {
    completedIntervals.add(current);
    current.reset();
  }

  /**
   * Count, extremes, mean and percentiles of a histogram. Percentiles are HdrHistogram's: the
   * smallest recorded value (to the histogram's precision) with at least that share of samples at
   * or below it.
   */
  public record Summary(
      long count, long min, double mean, long p50, long p90, long p99, long p999, long max) {
    static Summary of(Histogram h) {
      long n = h.getTotalCount();
      if (n == 0) {
        return new Summary(0, 0, Double.NaN, 0, 0, 0, 0, 0);
      }
      return new Summary(
          n,
          h.getMinValue(),
          h.getMean(),
          h.getValueAtPercentile(50),
          h.getValueAtPercentile(90),
          h.getValueAtPercentile(99),
          h.getValueAtPercentile(99.9),
          h.getMaxValue());
    }
  }
}
