package org.dsasim.workloads.analyze;

import java.util.Arrays;

/**
 * Exact counts of non-negative integer samples (run lengths, distances in steps), indexed by
 * value: memory grows with the largest value, not with the number of samples, and every summary
 * is still exact.
 */
public final class CountHistogram {
  private long[] counts = new long[16];
  private int maxValue = -1;
  private long total;

  public void add(int value) {
    add(value, 1);
  }

  public void add(int value, long n) {
    if (value < 0) {
      throw new IllegalArgumentException("negative sample " + value);
    }
    if (value >= counts.length) {
      counts = Arrays.copyOf(counts, Math.max(counts.length * 2, value + 1));
    }
    counts[value] += n;
    total += n;
    if (value > maxValue) {
      maxValue = value;
    }
  }

  public void addAll(CountHistogram other) {
    for (int v = 0; v <= other.maxValue; v++) {
      if (other.counts[v] != 0) {
        add(v, other.counts[v]);
      }
    }
  }

  /** Number of samples. */
  public long total() {
    return total;
  }

  /** Largest sample, -1 when empty. */
  public int maxValue() {
    return maxValue;
  }

  public long count(int value) {
    return value >= 0 && value <= maxValue ? counts[value] : 0;
  }

  /**
   * The {@code q}-quantile with NumPy's default convention: linear interpolation between the
   * order statistics at ranks floor and ceil of {@code q * (total - 1)}.
   */
  public double percentile(double q) {
    if (total == 0) {
      throw new IllegalStateException("no samples");
    }
    double pos = q * (total - 1);
    long lo = (long) Math.floor(pos);
    long hi = Math.min(lo + 1, total - 1);
    double a = valueAtRank(lo);
    double b = valueAtRank(hi);
    return a + (b - a) * (pos - lo);
  }

  /** The sample at 0-based position {@code rank} of the ascending order. */
  private int valueAtRank(long rank) {
    long seen = 0;
    for (int v = 0; v <= maxValue; v++) {
      seen += counts[v];
      if (seen > rank) {
        return v;
      }
    }
    throw new IllegalArgumentException("rank " + rank + " of " + total);
  }

  public Summary summary() {
    if (total == 0) {
      return Summary.EMPTY;
    }
    double sum = 0;
    for (int v = 0; v <= maxValue; v++) {
      sum += (double) v * counts[v];
    }
    double mean = sum / total;
    double squares = 0;
    for (int v = 0; v <= maxValue; v++) {
      double d = v - mean;
      squares += d * d * counts[v];
    }
    return new Summary(total, mean, percentile(0.95), Math.sqrt(squares / total));
  }
}
