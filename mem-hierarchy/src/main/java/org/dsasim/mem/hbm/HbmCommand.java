package org.dsasim.mem.hbm;

/**
 * DRAM commands a controller issues, as small integers so that the timing tables and the command
 * log are primitive arrays. ACT, PREpb, PREab, REFab and REFpb travel on the row command bus,
 * RD and WR on the column command bus; both buses carry one command per cycle.
 */
public final class HbmCommand {
  private HbmCommand() {}

  /** Activate: open a row of a bank. */
  public static final int ACT = 0;
  /** Precharge one bank (close its row). */
  public static final int PRE = 1;
  /** Precharge all banks of the pseudo-channel. */
  public static final int PREA = 2;
  /** Read one burst from the open row. */
  public static final int RD = 3;
  /** Write one burst to the open row. */
  public static final int WR = 4;
  /** Refresh all banks of the pseudo-channel (all must be precharged). */
  public static final int REFA = 5;
  /** Refresh one bank (it must be precharged). */
  public static final int REFB = 6;

  /** Number of commands: the valid values are 0 .. COUNT-1. */
  public static final int COUNT = 7;

  private static final String[] NAMES = {"ACT", "PREpb", "PREab", "RD", "WR", "REFab", "REFpb"};

  public static String name(int command) {
    return NAMES[command];
  }

  /** PREab and REFab, which address the whole pseudo-channel rather than one bank. */
  public static boolean isAllBank(int command) {
    return command == PREA || command == REFA;
  }
}
