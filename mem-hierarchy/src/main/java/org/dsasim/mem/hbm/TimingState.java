package org.dsasim.mem.hbm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dsasim.mem.hbm.TimingConstraint.Scope;

/**
 * The one routine that applies every timing rule of a pseudo-channel, and the state it keeps.
 *
 * <p>For every node of the hierarchy (the pseudo-channel, each SID, each bank group, each bank)
 * and every command it holds a lower bound on when the command may issue below that node. When a
 * command issues, each table row starting from that command raises the bound of its target
 * command at the node its scope names, seen from the issuing bank: the bank itself, its bank
 * group, its SID, the pseudo-channel, or (tCCD_R) every other SID, which has its own bound per
 * SID. Because issue times only grow, taking the maximum keeps each bound equal to the maximum
 * over all rows and all earlier commands. The earliest cycle of a command at a bank is then the
 * maximum of the five bounds on its path: issuing costs one update per table row, asking costs
 * five array reads. All-bank commands (PREab, REFab) only have the pseudo-channel bound.
 *
 * <p>Rows with a window (tFAW: four ACTs back) read a per-node ring of the last issue cycles of
 * the command, as deep as the largest window in the table. The table is compiled per issuing
 * command into primitive arrays, merging rows that differ only in distance; nothing is allocated
 * after construction.
 */
final class TimingState {
  /** The issue time of a command never issued: far enough in the past for any distance. */
  static final long NEVER = Long.MIN_VALUE / 4;

  private static final int LEVEL_PC = 0;
  private static final int LEVEL_SID = 1;
  private static final int LEVEL_BG = 2;
  private static final int LEVEL_BANK = 3;
  private static final int LEVELS = 4;
  private static final int COUNT = HbmCommand.COUNT;

  private final int sids;
  private final int depth;
  /** [bank]: its SID and its bank group (numbered over the pseudo-channel), to avoid divisions. */
  private final int[] sidOfBank;
  private final int[] groupOfBank;
  /** [level][node * COUNT + command]: bound from rows of that scope (OTHER_SID: see below). */
  private final long[][] bound;
  /** [sid * COUNT + command]: bound from rows issued in another SID (tCCD_R). */
  private final long[] otherSidBound;
  /** [level][(node * COUNT + command) * depth + i]: ring of recent issue cycles. */
  private final long[][] history;
  /** [level][node * COUNT + command]: ring position of the most recent issue. */
  private final int[][] newest;
  // compiled rows per issuing command: parallel arrays indexed [from][k]
  private final int[][] rowTo;
  private final Scope[][] rowScope;
  private final int[][] rowLevel;
  private final int[][] rowCycles;
  private final int[][] rowWindow;

  TimingState(HbmOrganization org, List<TimingConstraint> table) {
    this.sids = org.sids();
    int banks = org.banksPerPseudoChannel();
    sidOfBank = new int[banks];
    groupOfBank = new int[banks];
    for (int b = 0; b < banks; b++) {
      sidOfBank[b] = b / (org.bankGroups() * org.banksPerGroup());
      groupOfBank[b] = b / org.banksPerGroup();
    }
    int maxWindow = 1;
    for (TimingConstraint c : table) {
      maxWindow = Math.max(maxWindow, c.window());
    }
    this.depth = maxWindow;
    int[] nodes = {1, sids, sids * org.bankGroups(), banks};
    bound = new long[LEVELS][];
    history = new long[LEVELS][];
    newest = new int[LEVELS][];
    otherSidBound = new long[sids * COUNT];
    Arrays.fill(otherSidBound, NEVER);
    for (int l = 0; l < LEVELS; l++) {
      bound[l] = new long[nodes[l] * COUNT];
      Arrays.fill(bound[l], NEVER);
      history[l] = new long[nodes[l] * COUNT * depth];
      Arrays.fill(history[l], NEVER);
      newest[l] = new int[nodes[l] * COUNT];
    }
    rowTo = new int[COUNT][];
    rowScope = new Scope[COUNT][];
    rowLevel = new int[COUNT][];
    rowCycles = new int[COUNT][];
    rowWindow = new int[COUNT][];
    for (int from = 0; from < COUNT; from++) {
      compile(from, table);
    }
  }

  private void compile(int from, List<TimingConstraint> table) {
    List<TimingConstraint> rows = new ArrayList<>();
    for (TimingConstraint c : table) {
      if (c.from() != from) {
        continue;
      }
      int same = -1;
      for (int j = 0; j < rows.size(); j++) {
        TimingConstraint r = rows.get(j);
        if (r.to() == c.to() && r.scope() == c.scope() && r.window() == c.window()) {
          same = j;
        }
      }
      if (same < 0) {
        rows.add(c);
      } else if (c.cycles() > rows.get(same).cycles()) {
        rows.set(same, c);
      }
    }
    int k = rows.size();
    rowTo[from] = new int[k];
    rowScope[from] = new Scope[k];
    rowLevel[from] = new int[k];
    rowCycles[from] = new int[k];
    rowWindow[from] = new int[k];
    for (int j = 0; j < k; j++) {
      TimingConstraint r = rows.get(j);
      rowTo[from][j] = r.to();
      rowScope[from][j] = r.scope();
      rowLevel[from][j] = switch (r.scope()) {
        case PSEUDO_CHANNEL -> LEVEL_PC;
        case SID, OTHER_SID -> LEVEL_SID;
        case BANK_GROUP -> LEVEL_BG;
        case BANK -> LEVEL_BANK;
      };
      rowCycles[from][j] = r.cycles();
      rowWindow[from][j] = r.window();
    }
  }

  /**
   * The earliest cycle at which {@code command} may issue to {@code bank} (the flat bank index
   * within the pseudo-channel; ignored for all-bank commands).
   */
  long earliest(int command, int bank) {
    long t = bound[LEVEL_PC][command];
    if (HbmCommand.isAllBank(command)) {
      return t;
    }
    int sid = sidOfBank[bank];
    t = Math.max(t, bound[LEVEL_SID][sid * COUNT + command]);
    t = Math.max(t, otherSidBound[sid * COUNT + command]);
    t = Math.max(t, bound[LEVEL_BG][groupOfBank[bank] * COUNT + command]);
    return Math.max(t, bound[LEVEL_BANK][bank * COUNT + command]);
  }

  /**
   * A lower bound on {@link #earliest} over all banks: the pseudo-channel-wide part of it (bus
   * and activation-rate rules), for skipping banks that cannot be ready yet.
   */
  long earliestAnywhere(int command) {
    return bound[LEVEL_PC][command];
  }

  /** Records that {@code command} issued to {@code bank} (or to all banks) at {@code cycle}. */
  void record(int command, int bank, long cycle) {
    boolean allBank = HbmCommand.isAllBank(command);
    int levels = allBank ? 1 : LEVELS;
    for (int l = 0; l < levels; l++) {
      int slot = node(l, bank) * COUNT + command;
      int i = newest[l][slot] + 1;
      if (i == depth) {
        i = 0;
      }
      newest[l][slot] = i;
      history[l][slot * depth + i] = cycle;
    }
    int[] to = rowTo[command];
    int[] level = rowLevel[command];
    int[] cycles = rowCycles[command];
    int[] window = rowWindow[command];
    for (int k = 0; k < to.length; k++) {
      int l = level[k];
      int node = allBank ? 0 : node(l, bank);
      long t = (window[k] == 1 ? cycle : recent(l, node, command, window[k])) + cycles[k];
      if (rowScope[command][k] == Scope.OTHER_SID) {
        for (int s = 0; s < sids; s++) {
          if (s != node) {
            raise(otherSidBound, s * COUNT + to[k], t);
          }
        }
      } else {
        raise(bound[l], node * COUNT + to[k], t);
      }
    }
  }

  private static void raise(long[] bounds, int i, long t) {
    if (bounds[i] < t) {
      bounds[i] = t;
    }
  }

  private int node(int level, int bank) {
    return switch (level) {
      case LEVEL_PC -> 0;
      case LEVEL_SID -> sidOfBank[bank];
      case LEVEL_BG -> groupOfBank[bank];
      default -> bank;
    };
  }

  /** The issue cycle of the {@code back}-th most recent {@code command} at a node (1 = last). */
  private long recent(int level, int node, int command, int back) {
    int slot = node * COUNT + command;
    int i = newest[level][slot] - (back - 1);
    if (i < 0) {
      i += depth;
    }
    return history[level][slot * depth + i];
  }
}
