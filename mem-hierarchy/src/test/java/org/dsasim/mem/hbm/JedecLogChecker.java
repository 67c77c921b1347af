package org.dsasim.mem.hbm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dsasim.core.time.ClockDomain;

/**
 * Checks a command log against the HBM3 rules, written out here independently of the model's
 * constraint table: a state machine per bank (what may be issued when) and, for every pair of
 * commands of one pseudo-channel closer than the longest rule, the minimum distance the rules
 * demand, plus the four-activate window and the refresh rate. Collects violations as text.
 */
final class JedecLogChecker {
  private static final int ACT = HbmCommand.ACT;
  private static final int PRE = HbmCommand.PRE;
  private static final int PREA = HbmCommand.PREA;
  private static final int RD = HbmCommand.RD;
  private static final int WR = HbmCommand.WR;
  private static final int REFA = HbmCommand.REFA;
  private static final int REFB = HbmCommand.REFB;

  private final HbmOrganization org;
  private final ClockDomain ck;
  private final int bl;
  private final int cl;
  private final int cwl;
  private final int rcdRd;
  private final int rcdWr;
  private final int rp;
  private final int ras;
  private final int rc;
  private final int wr;
  private final int rtp;
  private final int ccdS;
  private final int ccdL;
  private final int ccdR;
  private final int rrdS;
  private final int rrdL;
  private final int faw;
  private final int wtrS;
  private final int wtrL;
  private final int rtw;
  private final int ppd;
  private final int rfcAb;
  private final int rfcPb;
  private final int rrefd;
  private final int refi;
  final List<String> violations = new ArrayList<>();
  long pairsChecked;

  JedecLogChecker(HbmOrganization org, HbmTiming t) {
    this.org = org;
    this.ck = t.clock();
    bl = t.burst();
    cl = t.get(TimingParam.CL);
    cwl = t.get(TimingParam.CWL);
    rcdRd = t.get(TimingParam.RCD_RD);
    rcdWr = t.get(TimingParam.RCD_WR);
    rp = t.get(TimingParam.RP);
    ras = t.get(TimingParam.RAS);
    rc = t.get(TimingParam.RC);
    wr = t.get(TimingParam.WR);
    rtp = t.get(TimingParam.RTP);
    ccdS = t.get(TimingParam.CCD_S);
    ccdL = t.get(TimingParam.CCD_L);
    ccdR = t.get(TimingParam.CCD_R);
    rrdS = t.get(TimingParam.RRD_S);
    rrdL = t.get(TimingParam.RRD_L);
    faw = t.get(TimingParam.FAW);
    wtrS = t.get(TimingParam.WTR_S);
    wtrL = t.get(TimingParam.WTR_L);
    rtw = t.get(TimingParam.RTW);
    ppd = t.get(TimingParam.PPD);
    rfcAb = t.get(TimingParam.RFC_AB);
    rfcPb = t.get(TimingParam.RFC_PB);
    rrefd = t.get(TimingParam.RREFD);
    refi = t.get(TimingParam.REFI);
  }

  /** One command in cycles. */
  private record Cmd(long cycle, int cmd, int sid, int bg, int bank, int row, int col) {
    boolean allBank() {
      return cmd == PREA || cmd == REFA;
    }

    boolean isRow() {
      return cmd == ACT || cmd == PRE || cmd == PREA || cmd == REFA || cmd == REFB;
    }

    boolean isColumn() {
      return cmd == RD || cmd == WR;
    }
  }

  /** Checks the whole log; {@code endPs} is when the simulation stopped. */
  void check(CommandLog log, long endPs, RefreshExpectation refresh) {
    int pcs = org.pseudoChannels();
    List<List<Cmd>> perPc = new ArrayList<>();
    for (int p = 0; p < pcs; p++) {
      perPc.add(new ArrayList<>());
    }
    for (int i = 0; i < log.size; i++) {
      long t = log.time[i];
      long c = ck.cyclesAt(t);
      if (ck.ticks(c) != t) {
        violations.add("command " + i + " at " + t + " ps is not on a clock edge");
      }
      int p = log.channel[i] * org.pseudoChannelsPerChannel() + log.pc[i];
      perPc.get(p).add(new Cmd(c, log.command[i], log.sid[i], log.bankGroup[i], log.bank[i],
          log.row[i], log.column[i]));
    }
    long endCycle = ck.cyclesAt(endPs);
    for (int p = 0; p < pcs; p++) {
      List<Cmd> cmds = perPc.get(p);
      checkOrder(p, cmds);
      checkBankStates(p, cmds);
      checkPairs(p, cmds);
      checkFourActivateWindow(p, cmds);
      checkRefresh(p, cmds, endCycle, refresh);
    }
  }

  enum RefreshExpectation { NONE, ALL_BANK, PER_BANK }

  private void fail(int pc, Cmd a, Cmd b, String why) {
    if (violations.size() < 50) {
      violations.add("pc " + pc + ": " + why + ": " + a + " then " + b);
    }
  }

  private void checkOrder(int pc, List<Cmd> cmds) {
    for (int i = 1; i < cmds.size(); i++) {
      if (cmds.get(i).cycle() < cmds.get(i - 1).cycle()) {
        fail(pc, cmds.get(i - 1), cmds.get(i), "log goes back in time");
      }
    }
  }

  private int flatBank(Cmd c) {
    return (c.sid() * org.bankGroups() + c.bg()) * org.banksPerGroup() + c.bank();
  }

  /** Which commands are legal given the banks' open rows. */
  private void checkBankStates(int pc, List<Cmd> cmds) {
    int[] open = new int[org.banksPerPseudoChannel()];
    Arrays.fill(open, -1);
    Cmd prev = null;
    for (Cmd c : cmds) {
      switch (c.cmd()) {
        case ACT -> {
          if (open[flatBank(c)] >= 0) {
            fail(pc, prev, c, "ACT to an open bank");
          }
          open[flatBank(c)] = c.row();
        }
        case RD, WR -> {
          if (open[flatBank(c)] != c.row()) {
            fail(pc, prev, c, "column command to a row that is not open (open: "
                + open[flatBank(c)] + ")");
          }
        }
        case PRE -> {
          if (open[flatBank(c)] < 0) {
            fail(pc, prev, c, "PREpb of a closed bank");
          }
          open[flatBank(c)] = -1;
        }
        case PREA -> Arrays.fill(open, -1);
        case REFA -> {
          for (int b = 0; b < open.length; b++) {
            if (open[b] >= 0) {
              fail(pc, prev, c, "REFab with bank " + b + " open");
            }
          }
        }
        case REFB -> {
          if (open[flatBank(c)] >= 0) {
            fail(pc, prev, c, "REFpb of an open bank");
          }
        }
        default -> fail(pc, prev, c, "unknown command");
      }
      prev = c;
    }
  }

  /** Minimum cycles from {@code a} to a later {@code b} of the same pseudo-channel, per HBM3. */
  int minDistance(Cmd a, Cmd b) {
    boolean perBank = !a.allBank() && !b.allBank();
    boolean sameSid = perBank && a.sid() == b.sid();
    boolean sameBg = sameSid && a.bg() == b.bg();
    boolean sameBank = sameBg && a.bank() == b.bank();
    int x = a.cmd();
    int y = b.cmd();
    int need = 0;
    // command buses: one command per cycle each; an ACT holds the row bus for two cycles
    if (a.isRow() && b.isRow()) {
      need = Math.max(need, x == ACT ? 2 : 1);
    }
    if (a.isColumn() && b.isColumn()) {
      need = Math.max(need, 1);
    }
    // same-direction column commands: data bus, then bank group / SID spacing
    if ((x == RD && y == RD) || (x == WR && y == WR)) {
      need = Math.max(need, bl);
      if (sameSid) {
        need = Math.max(need, ccdS);
      } else {
        need = Math.max(need, ccdR);
      }
      if (sameBg) {
        need = Math.max(need, ccdL);
      }
    }
    if (x == RD && y == WR) {
      need = Math.max(need, rtw);
    }
    if (x == WR && y == RD) {
      need = Math.max(need, cwl + bl + (sameBg ? wtrL : wtrS));
    }
    if (x == ACT && y == ACT) {
      need = Math.max(need, sameBank ? rc : sameBg ? rrdL : rrdS);
    }
    if (x == ACT && sameBank && y == RD) {
      need = Math.max(need, rcdRd);
    }
    if (x == ACT && sameBank && y == WR) {
      need = Math.max(need, rcdWr);
    }
    if (x == ACT && ((y == PRE && sameBank) || y == PREA)) {
      need = Math.max(need, ras);
    }
    if (((x == PRE && sameBank) || x == PREA) && y == ACT) {
      need = Math.max(need, rp);
    }
    if (x == RD && ((y == PRE && sameBank) || y == PREA)) {
      need = Math.max(need, rtp);
    }
    if (x == WR && ((y == PRE && sameBank) || y == PREA)) {
      need = Math.max(need, cwl + bl + wr);
    }
    if ((x == PRE || x == PREA) && (y == PRE || y == PREA)) {
      need = Math.max(need, ppd);
    }
    if (y == REFA) {
      if (x == ACT) {
        need = Math.max(need, rc);
      }
      if (x == PRE || x == PREA) {
        need = Math.max(need, rp);
      }
    }
    if (x == REFA && b.isRow()) {
      need = Math.max(need, rfcAb);
    }
    if (x == REFB && (y == REFB || y == ACT)) {
      need = Math.max(need, sameBank ? rfcPb : rrefd);
    }
    if (x == ACT && y == REFB) {
      need = Math.max(need, sameBank ? rc : rrdS);
    }
    if (x == PRE && y == REFB && sameBank) {
      need = Math.max(need, rp);
    }
    return need;
  }

  private int longestRule() {
    return Math.max(rfcAb, Math.max(rfcPb, Math.max(rc, cwl + bl + wr))) + 8;
  }

  private void checkPairs(int pc, List<Cmd> cmds) {
    int horizon = longestRule();
    for (int j = 0; j < cmds.size(); j++) {
      Cmd b = cmds.get(j);
      for (int i = j - 1; i >= 0; i--) {
        Cmd a = cmds.get(i);
        long d = b.cycle() - a.cycle();
        if (d > horizon) {
          break;
        }
        pairsChecked++;
        int need = minDistance(a, b);
        if (d < need) {
          fail(pc, a, b, HbmCommand.name(a.cmd()) + " -> " + HbmCommand.name(b.cmd()) + " "
              + d + " cycles apart, needs " + need);
        }
      }
    }
  }

  private void checkFourActivateWindow(int pc, List<Cmd> cmds) {
    List<Cmd> acts = new ArrayList<>();
    for (Cmd c : cmds) {
      if (c.cmd() == ACT) {
        acts.add(c);
      }
    }
    for (int k = 4; k < acts.size(); k++) {
      if (acts.get(k).cycle() - acts.get(k - 4).cycle() < faw) {
        fail(pc, acts.get(k - 4), acts.get(k), "fifth ACT inside tFAW = " + faw);
      }
    }
  }

  /**
   * Refresh keeps up: all-bank, consecutive REFab at most tREFI plus the time to close the banks
   * apart; per-bank, every bank refreshed within two tREFI of its previous refresh (each bank is
   * refreshed once per round of tREFI, in any order).
   */
  private void checkRefresh(int pc, List<Cmd> cmds, long end, RefreshExpectation expect) {
    int banks = org.banksPerPseudoChannel();
    long slack = ras + rp + cwl + bl + wr + rc + 64;
    if (expect == RefreshExpectation.NONE) {
      for (Cmd c : cmds) {
        if (c.cmd() == REFA || c.cmd() == REFB) {
          fail(pc, c, c, "refresh while refresh is off");
        }
      }
      return;
    }
    if (expect == RefreshExpectation.ALL_BANK) {
      long last = 0;
      for (Cmd c : cmds) {
        if (c.cmd() == REFB) {
          fail(pc, c, c, "REFpb under all-bank refresh");
        }
        if (c.cmd() == REFA) {
          if (c.cycle() - last > 2L * refi + slack) {
            fail(pc, c, c, "REFab " + (c.cycle() - last) + " cycles after the previous");
          }
          last = c.cycle();
        }
      }
      if (end - last > 2L * refi + slack) {
        violations.add("pc " + pc + ": no REFab in the last " + (end - last) + " cycles");
      }
      return;
    }
    long[] last = new long[banks];
    for (Cmd c : cmds) {
      if (c.cmd() == REFA) {
        fail(pc, c, c, "REFab under per-bank refresh");
      }
      if (c.cmd() == REFB) {
        int b = flatBank(c);
        if (c.cycle() - last[b] > 2L * refi + slack) {
          fail(pc, c, c, "bank " + b + " refreshed " + (c.cycle() - last[b])
              + " cycles after its previous refresh");
        }
        last[b] = c.cycle();
      }
    }
    for (int b = 0; b < banks; b++) {
      if (end - last[b] > 2L * refi + slack) {
        violations.add("pc " + pc + ": bank " + b + " not refreshed in the last "
            + (end - last[b]) + " cycles");
      }
    }
  }
}
