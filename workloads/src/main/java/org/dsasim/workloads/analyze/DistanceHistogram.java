package org.dsasim.workloads.analyze;

import java.util.Arrays;

/** Exact counts of stack distances 1, 2, ...: the histogram a miss-ratio curve is read from. */
final class DistanceHistogram {
  private long[] counts = new long[64];
  private int maxDistance;

  /** Counts one access at {@code distance} (>= 1). */
  void add(int distance) {
    if (distance >= counts.length) {
      counts = Arrays.copyOf(counts, Math.max(counts.length * 2, distance + 1));
    }
    counts[distance]++;
    if (distance > maxDistance) {
      maxDistance = distance;
    }
  }

  /** Largest distance counted (0 when none). */
  int maxDistance() {
    return maxDistance;
  }

  /** Accesses counted at exactly {@code distance}. */
  long countAt(int distance) {
    return distance >= 1 && distance <= maxDistance ? counts[distance] : 0;
  }

  /** {@code out[d]} = accesses at distance d, for d in 1..maxDistance (index 0 unused). */
  long[] toArray() {
    long[] out = Arrays.copyOf(counts, maxDistance + 1);
    out[0] = 0;
    return out;
  }
}
