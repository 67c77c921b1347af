package org.dsasim.workloads.analyze;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * LRU stack distances of token-entry accesses of a trace, and the miss-ratio curve they give: of
 * all accesses, keyed by (sequence, layer, token), or of one layer's, keyed by (sequence, token).
 * The access order is steps in order, within a step layers in order, within a layer sequences in
 * order, within a sequence the indices in stored order. An LRU cache of {@code c} entries hits the
 * accesses with stack distance {@code <= c}; first accesses (cold) miss at every capacity.
 *
 * @param accesses all accesses
 * @param cold first accesses, one per distinct key
 * @param distanceCounts {@code distanceCounts[d]} = accesses with stack distance d (index 0 unused)
 */
public record ReuseProfile(long accesses, long cold, long[] distanceCounts) {
  public ReuseProfile {
    distanceCounts = distanceCounts.clone();
  }

  static ReuseProfile of(long accesses, long cold, DistanceHistogram histogram) {
    return new ReuseProfile(accesses, cold, histogram.toArray());
  }

  /** Largest stack distance observed (0 when nothing was re-accessed). */
  public int maxDistance() {
    return distanceCounts.length - 1;
  }

  @Override
  public long[] distanceCounts() {
    return distanceCounts.clone();
  }

  /**
   * Miss ratios at the given capacities (entries, ascending or not), computed in one pass over the
   * histogram.
   */
  public double[] missRatios(long[] capacities) {
    double[] out = new double[capacities.length];
    if (accesses == 0) {
      Arrays.fill(out, Double.NaN);
      return out;
    }
    long[] hitsUpTo = cumulativeHits();
    for (int i = 0; i < capacities.length; i++) {
      long c = Math.min(capacities[i], maxDistance());
      long hits = c <= 0 ? 0 : hitsUpTo[(int) c];
      out[i] = (double) (accesses - hits) / accesses;
    }
    return out;
  }

  public double missRatio(long capacity) {
    return missRatios(new long[] {capacity})[0];
  }

  private long[] cumulativeHits() {
    long[] sum = new long[distanceCounts.length];
    for (int d = 1; d < sum.length; d++) {
      sum[d] = sum[d - 1] + distanceCounts[d];
    }
    return sum;
  }

  /**
   * Capacities at which to report the curve: 1, 2, 4, ... and the multiples 1/4, 1/2, 1, 1.5, 2,
   * 3, 4, 6, 8, ... of {@code topk}, up to the first capacity past the largest distance (beyond
   * which only cold misses remain). Ascending, without duplicates.
   */
  public long[] reportCapacities(int topk) {
    long limit = Math.max(1, maxDistance());
    TreeSet<Long> caps = new TreeSet<>();
    for (long c = 1; ; c *= 2) {
      caps.add(c);
      if (c >= limit) {
        break;
      }
    }
    caps.add(Math.max(1, topk / 4L));
    caps.add(Math.max(1, topk / 2L));
    for (long multiple = topk; ; multiple *= 2) {
      caps.add(multiple);
      if (multiple >= limit) {
        break;
      }
      caps.add(multiple * 3 / 2);
    }
    return caps.stream().mapToLong(Long::longValue).toArray();
  }
}
