package org.dsasim.accel.gpu;

/** Where a warp's stalled cycles (or the device's idle time) went. */
public enum StallCause {
  /** Waiting for a load that hit in the compute unit's L1 (or merged with its pending fill). */
  L1_HIT("l1_hit"),
  /** Unloaded latency of loads served by the last-level cache. */
  LLC_HIT("llc_hit"),
  /** Unloaded latency of loads served by HBM. */
  HBM("hbm"),
  /** Extra latency from contention: HBM bus and activations, LLC ports, waiting on another miss. */
  QUEUEING("queueing"),
  /** Waiting to issue because the unit's outstanding-request limit was reached. */
  MSHR_FULL("mshr_full"),
  /** Transfer between the LLC and the compute unit (port bandwidth, link latency). */
  INTERCONNECT("interconnect"),
  /** Kernel launch overhead between the kernels of a step (device-level, counted once). */
  LAUNCH("launch"),
  /** Grid-wide barriers between the phases of a fused kernel (device-level, counted once). */
  BARRIER("barrier");

  private final String key;

  StallCause(String key) {
    this.key = key;
  }

  /** The name used in reports and JSON. */
  public String key() {
    return key;
  }
}
