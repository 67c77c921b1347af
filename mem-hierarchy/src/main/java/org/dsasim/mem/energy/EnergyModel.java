package org.dsasim.mem.energy;

import java.util.Map;

/** Turns traffic into energy, per level, in picojoules. */
public final class EnergyModel {
  private EnergyModel() {}

  /**
   * Adds {@code <prefix>.llc_read_pj}, {@code llc_write_pj}, {@code interconnect_pj},
   * {@code hbm_read_pj}, {@code hbm_write_pj}, {@code hbm_activate_pj} and {@code total_pj}.
   */
  public static void report(
      EnergyParams e, MemoryTraffic t, String prefix, Map<String, Number> out) {
    double llcRead = 8.0 * t.llcReadBytes() * e.llcReadPjPerBit();
    double llcWrite = 8.0 * t.llcWriteBytes() * e.llcWritePjPerBit();
    double wires = 8.0 * t.interconnectBytes() * e.interconnectPjPerBit()
        + 8.0 * t.farBytes() * e.farCrossingPjPerBit();
    double hbmRead = 8.0 * t.hbmReadBytes() * e.hbmReadPjPerBit();
    double hbmWrite = 8.0 * t.hbmWriteBytes() * e.hbmWritePjPerBit();
    double activate = (double) t.hbmActivations() * e.hbmActivatePj();
    out.put(prefix + ".llc_read_pj", llcRead);
    out.put(prefix + ".llc_write_pj", llcWrite);
    out.put(prefix + ".interconnect_pj", wires);
    out.put(prefix + ".hbm_read_pj", hbmRead);
    out.put(prefix + ".hbm_write_pj", hbmWrite);
    out.put(prefix + ".hbm_activate_pj", activate);
    out.put(prefix + ".total_pj", llcRead + llcWrite + wires + hbmRead + hbmWrite + activate);
  }
}
