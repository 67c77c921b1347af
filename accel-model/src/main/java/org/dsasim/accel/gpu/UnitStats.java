package org.dsasim.accel.gpu;

import java.util.Arrays;
import org.dsasim.accel.replay.LaunchState;

/**
 * Statistics of the compute units, kept as one set of sums that every unit adds to: only the sums
 * are reported, and a launch replay then changes these few values instead of each unit's copy.
 */
final class UnitStats {
  /** Warp stall time per cause in ps, summed over all warps. */
  final long[] stallPs = new long[StallCause.values().length];
  long loads;
  long l1Hits;

  /** Passes the sums through {@code s} (for a launch replay). */
  void replayState(LaunchState s) {
    for (int i = 0; i < stallPs.length; i++) {
      stallPs[i] = s.count(stallPs[i]);
    }
    loads = s.count(loads);
    l1Hits = s.count(l1Hits);
  }

  void reset() {
    Arrays.fill(stallPs, 0);
    loads = 0;
    l1Hits = 0;
  }
}
