package org.dsasim.mem.hbm;

import org.dsasim.core.config.Units;
import org.dsasim.core.time.ClockDomain;

/**
 * Timing parameters resolved to whole cycles of the command clock CK, once, when a device is
 * configured. A time {@code t} becomes {@code ceil(t / tCK)} cycles, the way a memory controller
 * programs a minimum delay; values given in cycles are taken as they are.
 */
public final class HbmTiming {
  /**
   * Times that land within this fraction of a cycle above a whole number of cycles round down to
   * it, so that decimal values such as 19.375 ns at tCK = 0.625 ns give exactly 31 cycles despite
   * binary floating point.
   */
  private static final double ROUNDING_SLACK = 1e-6;

  private final ClockDomain clock;
  private final int[] cycles;
  private final int burstCycles;

  private HbmTiming(ClockDomain clock, int[] cycles, int burstCycles) {
    this.clock = clock;
    this.cycles = cycles;
    this.burstCycles = burstCycles;
  }

  static HbmTiming resolve(HbmTimingSpec spec, HbmOrganization org) {
    ClockDomain clock = org.clock();
    int[] cycles = new int[TimingParam.values().length];
    for (TimingParam p : TimingParam.values()) {
      cycles[p.ordinal()] = toCycles(spec.get(p), clock, p);
    }
    HbmTiming t = new HbmTiming(clock, cycles, org.burstCycles());
    t.validate(org);
    return t;
  }

  private static int toCycles(Units.Time t, ClockDomain clock, TimingParam p) {
    double c = t.inCycles() ? t.value() : Math.ceil(t.value() / clock.periodPs() - ROUNDING_SLACK);
    if (c > Integer.MAX_VALUE / 4) {
      throw new IllegalArgumentException("timing parameter " + p.key() + " = " + t + " is "
          + (long) c + " cycles of " + clock + ", too large");
    }
    return (int) Math.max(0, c);
  }

  private void validate(HbmOrganization org) {
    if (get(TimingParam.RC) < get(TimingParam.RAS)) {
      throw new IllegalArgumentException("tRC (" + get(TimingParam.RC)
          + " cycles) must be at least tRAS (" + get(TimingParam.RAS) + " cycles)");
    }
    if (get(TimingParam.REFI) <= get(TimingParam.RFC_AB)) {
      throw new IllegalArgumentException("tREFI (" + get(TimingParam.REFI)
          + " cycles) must exceed tRFC_ab (" + get(TimingParam.RFC_AB) + " cycles)");
    }
    if (perBankRefreshInterval(org) < 1) {
      throw new IllegalArgumentException("tREFI (" + get(TimingParam.REFI)
          + " cycles) is shorter than one cycle per bank (" + org.banksPerPseudoChannel()
          + " banks)");
    }
  }

  /** The command clock. */
  public ClockDomain clock() {
    return clock;
  }

  /** The parameter in cycles of CK. */
  public int get(TimingParam p) {
    return cycles[p.ordinal()];
  }

  /** nBL: cycles of CK one burst occupies the data bus. */
  public int burst() {
    return burstCycles;
  }

  /** Read latency of an open row: RD to the end of its data, tCL + nBL cycles. */
  public int readDataCycles() {
    return get(TimingParam.CL) + burstCycles;
  }

  /** WR to the end of its data, tCWL + nBL cycles. */
  public int writeDataCycles() {
    return get(TimingParam.CWL) + burstCycles;
  }

  /**
   * Interval between per-bank refreshes of one pseudo-channel: every bank is refreshed once per
   * tREFI, so a REFpb is due every tREFI / banks (rounded down, so never late).
   */
  public int perBankRefreshInterval(HbmOrganization org) {
    return get(TimingParam.REFI) / org.banksPerPseudoChannel();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("HbmTiming[" + clock + ", nBL=" + burstCycles);
    for (TimingParam p : TimingParam.values()) {
      sb.append(", ").append(p.key()).append('=').append(get(p));
    }
    return sb.append(']').toString();
  }
}
