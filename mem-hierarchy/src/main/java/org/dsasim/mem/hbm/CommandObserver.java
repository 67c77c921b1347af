package org.dsasim.mem.hbm;

/**
 * Told about every DRAM command a controller issues, as it issues it (for command logs, traces
 * and checks). Must not keep the simulation's objects or allocate per call if speed matters.
 */
@FunctionalInterface
public interface CommandObserver {
  /**
   * @param timePs issue time (a CK edge), in ps
   * @param channel channel over all stacks ({@code stack * channelsPerStack + channel})
   * @param pseudoChannel pseudo-channel within the channel
   * @param sid stack ID, or -1 for an all-bank command
   * @param bankGroup bank group within the SID, or -1 for an all-bank command
   * @param bank bank within the bank group, or -1 for an all-bank command
   * @param row the row opened (ACT), accessed (RD, WR) or closed (PREpb); -1 otherwise
   * @param column the column of a RD or WR; -1 otherwise
   * @param command an {@link HbmCommand}
   */
  void onCommand(long timePs, int channel, int pseudoChannel, int sid, int bankGroup, int bank,
      int row, int column, int command);
}
