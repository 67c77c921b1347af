package org.dsasim.mem.hbm;

import static org.dsasim.mem.hbm.HbmCommand.ACT;
import static org.dsasim.mem.hbm.HbmCommand.PRE;
import static org.dsasim.mem.hbm.HbmCommand.PREA;
import static org.dsasim.mem.hbm.HbmCommand.RD;
import static org.dsasim.mem.hbm.HbmCommand.REFA;
import static org.dsasim.mem.hbm.HbmCommand.REFB;
import static org.dsasim.mem.hbm.HbmCommand.WR;
import static org.dsasim.mem.hbm.TimingConstraint.Scope.BANK;
import static org.dsasim.mem.hbm.TimingConstraint.Scope.BANK_GROUP;
import static org.dsasim.mem.hbm.TimingConstraint.Scope.OTHER_SID;
import static org.dsasim.mem.hbm.TimingConstraint.Scope.PSEUDO_CHANNEL;
import static org.dsasim.mem.hbm.TimingConstraint.Scope.SID;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.dsasim.mem.hbm.TimingConstraint.Scope;

/**
 * The HBM3 timing rules as a table of (from, to, scope, distance), after Ramulator 2's HBM3
 * standard ({@code python/ramulator/dram/hbm3.py}): every rule a controller must respect is a row
 * here, and one generic routine ({@link TimingState}) enforces them all.
 *
 * <p>Command-bus occupancy is part of the table too. HBM3 has separate row and column command
 * buses per pseudo-channel; ACT occupies the row bus 1.5 CK and PRE/REF 0.5 CK, which at whole-
 * cycle resolution become 2 and 1 cycles (slightly pessimistic for back-to-back row commands).
 * RD and WR take one column-bus cycle. Command buses are modelled per pseudo-channel: the sharing
 * of one channel's command pins by its two pseudo-channels is not modelled.
 */
public final class HbmConstraintTable {
  private HbmConstraintTable() {}

  /** Row-bus cycles an ACT occupies (1.5 CK rounded up). */
  public static final int ACT_ROW_BUS_CYCLES = 2;
  /** Row-bus cycles a PRE or REF occupies (0.5 CK rounded up). */
  public static final int ROW_BUS_CYCLES = 1;
  /** Column-bus cycles a RD or WR occupies. */
  public static final int COLUMN_BUS_CYCLES = 1;

  private static final int[] ROW_COMMANDS = {ACT, PRE, PREA, REFA, REFB};
  private static final int[] COLUMN_COMMANDS = {RD, WR};
  private static final int[] PRECHARGES = {PRE, PREA};

  /** The rules for a device with timing {@code t}. */
  public static List<TimingConstraint> build(HbmTiming t) {
    Builder b = new Builder();
    int bl = t.burst();
    // Data bus of the pseudo-channel and column-to-column spacing.
    b.add(RD, RD, PSEUDO_CHANNEL, bl, "nBL");
    b.add(WR, WR, PSEUDO_CHANNEL, bl, "nBL");
    b.add(RD, RD, SID, t.get(TimingParam.CCD_S), "tCCD_S");
    b.add(WR, WR, SID, t.get(TimingParam.CCD_S), "tCCD_S");
    b.add(RD, RD, OTHER_SID, t.get(TimingParam.CCD_R), "tCCD_R");
    b.add(WR, WR, OTHER_SID, t.get(TimingParam.CCD_R), "tCCD_R");
    b.add(RD, RD, BANK_GROUP, t.get(TimingParam.CCD_L), "tCCD_L");
    b.add(WR, WR, BANK_GROUP, t.get(TimingParam.CCD_L), "tCCD_L");
    b.add(RD, WR, PSEUDO_CHANNEL, t.get(TimingParam.RTW), "tRTW");
    b.add(WR, RD, PSEUDO_CHANNEL, t.writeDataCycles() + t.get(TimingParam.WTR_S),
        "tCWL+nBL+tWTR_S");
    b.add(WR, RD, BANK_GROUP, t.writeDataCycles() + t.get(TimingParam.WTR_L),
        "tCWL+nBL+tWTR_L");
    // Activation.
    b.add(ACT, ACT, PSEUDO_CHANNEL, t.get(TimingParam.RRD_S), "tRRD_S");
    b.addWindow(ACT, ACT, PSEUDO_CHANNEL, t.get(TimingParam.FAW), 4, "tFAW");
    b.add(ACT, ACT, BANK_GROUP, t.get(TimingParam.RRD_L), "tRRD_L");
    b.add(ACT, ACT, BANK, t.get(TimingParam.RC), "tRC");
    b.add(ACT, RD, BANK, t.get(TimingParam.RCD_RD), "tRCD_RD");
    b.add(ACT, WR, BANK, t.get(TimingParam.RCD_WR), "tRCD_WR");
    // Precharge.
    b.add(ACT, PRE, BANK, t.get(TimingParam.RAS), "tRAS");
    b.add(ACT, PREA, PSEUDO_CHANNEL, t.get(TimingParam.RAS), "tRAS");
    b.add(PRE, ACT, BANK, t.get(TimingParam.RP), "tRP");
    b.add(PREA, ACT, PSEUDO_CHANNEL, t.get(TimingParam.RP), "tRP");
    b.add(RD, PRE, BANK, t.get(TimingParam.RTP), "tRTP");
    b.add(RD, PREA, PSEUDO_CHANNEL, t.get(TimingParam.RTP), "tRTP");
    int writeRecovery = t.writeDataCycles() + t.get(TimingParam.WR);
    b.add(WR, PRE, BANK, writeRecovery, "tCWL+nBL+tWR");
    b.add(WR, PREA, PSEUDO_CHANNEL, writeRecovery, "tCWL+nBL+tWR");
    b.addAll(PRECHARGES, PRECHARGES, PSEUDO_CHANNEL, t.get(TimingParam.PPD), "tPPD");
    // All-bank refresh.
    b.add(ACT, REFA, PSEUDO_CHANNEL, t.get(TimingParam.RC), "tRC");
    b.addAll(PRECHARGES, new int[] {REFA}, PSEUDO_CHANNEL, t.get(TimingParam.RP), "tRP");
    b.addAll(new int[] {REFA}, ROW_COMMANDS, PSEUDO_CHANNEL, t.get(TimingParam.RFC_AB),
        "tRFC_ab");
    // Per-bank refresh.
    b.add(REFB, REFB, PSEUDO_CHANNEL, t.get(TimingParam.RREFD), "tRREFD");
    b.add(REFB, ACT, PSEUDO_CHANNEL, t.get(TimingParam.RREFD), "tRREFD");
    b.add(ACT, REFB, PSEUDO_CHANNEL, t.get(TimingParam.RRD_S), "tRRD_S");
    b.add(REFB, ACT, BANK, t.get(TimingParam.RFC_PB), "tRFC_pb");
    b.add(REFB, REFB, BANK, t.get(TimingParam.RFC_PB), "tRFC_pb");
    b.add(ACT, REFB, BANK, t.get(TimingParam.RC), "tRC");
    b.add(PRE, REFB, BANK, t.get(TimingParam.RP), "tRP");
    // Command buses.
    b.addAll(new int[] {ACT}, ROW_COMMANDS, PSEUDO_CHANNEL, ACT_ROW_BUS_CYCLES, "row bus (ACT)");
    b.addAll(new int[] {PRE, PREA, REFA, REFB}, ROW_COMMANDS, PSEUDO_CHANNEL, ROW_BUS_CYCLES,
        "row bus");
    b.addAll(COLUMN_COMMANDS, COLUMN_COMMANDS, PSEUDO_CHANNEL, COLUMN_BUS_CYCLES, "column bus");
    return Collections.unmodifiableList(b.rows);
  }

  private static final class Builder {
    final List<TimingConstraint> rows = new ArrayList<>();

    void add(int from, int to, Scope scope, int cycles, String rule) {
      addWindow(from, to, scope, cycles, 1, rule);
    }

    void addWindow(int from, int to, Scope scope, int cycles, int window, String rule) {
      rows.add(new TimingConstraint(from, to, scope, cycles, window, rule));
    }

    void addAll(int[] from, int[] to, Scope scope, int cycles, String rule) {
      for (int f : from) {
        for (int x : to) {
          add(f, x, scope, cycles, rule);
        }
      }
    }
  }
}
