package org.dsasim.mem.llc;

import org.dsasim.mem.energy.MemoryTraffic;
import org.dsasim.mem.interconnect.Crossbar;

/** The LLC's and the crossbar's counters as energy-model traffic. */
public final class LlcEnergy {
  private LlcEnergy() {}

  /**
   * Array reads are the bytes served to requesters plus those read out for write-back; array
   * writes are fills and the writes that stayed in the cache. HBM reads are the fills, HBM writes
   * the write-backs and the writes sent on uncached. Activations come from the memory model (0
   * without one).
   */
  public static MemoryTraffic traffic(LlcStats s, Crossbar crossbar, long hbmActivations) {
    long writeBack = s.total(LlcStats.WRITEBACK_BYTES);
    long writeThrough = s.total(LlcStats.WRITE_THROUGH_BYTES);
    return new MemoryTraffic(
        s.total(LlcStats.READ_BYTES) + writeBack,
        s.total(LlcStats.WRITE_BYTES) - writeThrough + s.total(LlcStats.FILL_BYTES),
        crossbar == null ? 0 : crossbar.dataBytes(),
        crossbar == null ? 0 : crossbar.farDataBytes(),
        s.total(LlcStats.FILL_BYTES),
        writeBack + writeThrough,
        hbmActivations);
  }
}
