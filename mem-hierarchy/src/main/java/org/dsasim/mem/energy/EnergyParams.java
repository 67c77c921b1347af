package org.dsasim.mem.energy;

/**
 * Energy per access at each level, in picojoules per bit moved (and per row activation). The
 * defaults and where they come from are in {@code docs/llc.md}, section "Energy".
 *
 * @param llcReadPjPerBit reading the LLC's data arrays (hits, responses, write-back read-outs)
 * @param llcWritePjPerBit writing them (fills, writes)
 * @param interconnectPjPerBit carrying a bit between a compute-unit group and a slice
 * @param farCrossingPjPerBit extra for a bit that crosses to the far partition
 * @param hbmReadPjPerBit reading a bit from HBM (datapath and I/O, activation not included)
 * @param hbmWritePjPerBit writing a bit to HBM
 * @param hbmActivatePj one row activation (with its precharge)
 */
public record EnergyParams(
    double llcReadPjPerBit,
    double llcWritePjPerBit,
    double interconnectPjPerBit,
    double farCrossingPjPerBit,
    double hbmReadPjPerBit,
    double hbmWritePjPerBit,
    double hbmActivatePj) {

  public EnergyParams {
    double[] all = {llcReadPjPerBit, llcWritePjPerBit, interconnectPjPerBit, farCrossingPjPerBit,
        hbmReadPjPerBit, hbmWritePjPerBit, hbmActivatePj};
    for (double v : all) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException("energy.* values must be finite and >= 0, got " + v);
      }
    }
  }

  /** The defaults documented in docs/llc.md. */
  public static EnergyParams defaults() {
    return new EnergyParams(0.3, 0.35, 0.5, 0.5, 3.5, 3.5, 900);
  }
}
