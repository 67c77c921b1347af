package org.dsasim.mem.hbm;

/**
 * One row of the timing table: command {@code to} may issue no earlier than {@code cycles} after
 * the {@code window}-th most recent {@code from} in the same {@code scope} as its target. A
 * window of 1 is the usual "after the last one"; tFAW is the window-4 constraint ACT to ACT.
 *
 * @param from the earlier command ({@link HbmCommand})
 * @param to the later command
 * @param scope which earlier commands count, relative to the bank the later one addresses
 * @param cycles minimum distance in CK cycles
 * @param window how many earlier commands back the distance is measured from (1 = the last)
 * @param rule the parameter expression the distance came from, for reports ("tCWL+nBL+tWR")
 */
public record TimingConstraint(int from, int to, Scope scope, int cycles, int window, String rule) {
  /** Where an earlier command must have been issued for a constraint to apply. */
  public enum Scope {
    /** Anywhere in the pseudo-channel (shared data bus, command buses, tRRD_S, tFAW). */
    PSEUDO_CHANNEL,
    /** In the same SID. */
    SID,
    /** In another SID of the same pseudo-channel (tCCD_R). */
    OTHER_SID,
    /** In the same bank group of the same SID. */
    BANK_GROUP,
    /** In the same bank. */
    BANK
  }

  public TimingConstraint {
    if (from < 0 || from >= HbmCommand.COUNT || to < 0 || to >= HbmCommand.COUNT) {
      throw new IllegalArgumentException("unknown command in timing constraint " + rule);
    }
    if (cycles < 0 || window < 1) {
      throw new IllegalArgumentException("timing constraint " + rule
          + ": cycles must be >= 0 and window >= 1");
    }
    if (window > 1 && scope == Scope.OTHER_SID) {
      throw new IllegalArgumentException("timing constraint " + rule
          + ": a window applies within one node of the hierarchy, not across other SIDs");
    }
    if ((HbmCommand.isAllBank(from) || HbmCommand.isAllBank(to))
        && scope != Scope.PSEUDO_CHANNEL) {
      throw new IllegalArgumentException("timing constraint " + rule + ": "
          + HbmCommand.name(from) + " -> " + HbmCommand.name(to)
          + " involves an all-bank command, so its scope must be PSEUDO_CHANNEL");
    }
  }

  @Override
  public String toString() {
    return HbmCommand.name(from) + " -> " + HbmCommand.name(to) + " [" + scope + "] >= "
        + cycles + " (" + rule + (window > 1 ? ", window " + window : "") + ")";
  }
}
