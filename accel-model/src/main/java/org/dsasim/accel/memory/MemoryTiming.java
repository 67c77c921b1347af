package org.dsasim.accel.memory;

/**
 * What the memory side says about a response, so that the compute unit can split a warp's stall
 * into causes: which level served it, how long it would have taken without contention, and when
 * the data left the memory side (the rest is interconnect).
 */
public interface MemoryTiming {
  /** Level that served response {@code m} ({@link ServedBy}); for multi-line requests the slowest. */
  byte servedBy(int m);

  /** Latency of {@code m} had there been no contention, in ps (issue to data ready). */
  long unloadedPs(int m);

  /** Time the data of {@code m} was ready to leave the memory side, in ps. */
  long readyAt(int m);
}
