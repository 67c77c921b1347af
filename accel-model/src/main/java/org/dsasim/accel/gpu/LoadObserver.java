package org.dsasim.accel.gpu;

/**
 * Told about the load responses of one traffic class that compute units receive (for latency
 * statistics), see {@link Gpu#setLoadObserver}.
 */
@FunctionalInterface
public interface LoadObserver {
  /**
   * A load of the observed class (of {@code entries} entries, for a gather list) came back
   * {@code latencyPs} after it was issued.
   */
  void loaded(long latencyPs, int entries);
}
