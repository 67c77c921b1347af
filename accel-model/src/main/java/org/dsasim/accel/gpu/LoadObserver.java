package org.dsasim.accel.gpu;

/** Told about every load response a compute unit receives (for latency statistics). */
@FunctionalInterface
public interface LoadObserver {
  /** A load of {@code trafficClass} came back {@code latencyPs} after it was issued. */
  void loaded(int trafficClass, long latencyPs);
}
