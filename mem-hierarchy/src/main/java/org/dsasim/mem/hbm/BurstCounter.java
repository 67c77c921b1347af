package org.dsasim.mem.hbm;

import java.util.Arrays;

/**
 * Bursts of each in-flight request not yet issued, indexed by message handle (handles are small
 * dense integers), so that a request split into several bursts is answered once, when its last
 * burst's data is done. Shared by the controllers of one device.
 */
final class BurstCounter {
  private int[] left = new int[1024];

  void set(int message, int bursts) {
    if (message >= left.length) {
      left = Arrays.copyOf(left, Math.max(message + 1, left.length * 2));
    }
    left[message] = bursts;
  }

  /** Counts one burst of {@code message} as issued; returns how many remain. */
  int issued(int message) {
    return --left[message];
  }
}
