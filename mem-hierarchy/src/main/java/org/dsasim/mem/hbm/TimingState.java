package org.dsasim.mem.hbm;

import java.util.Arrays;
import java.util.List;
import org.dsasim.mem.hbm.TimingConstraint.Scope;

/**
 * The issue history of one pseudo-channel and the one routine that checks every timing rule: the
 * earliest cycle a command may issue to a bank is the largest {@code last(from, scope) + cycles}
 * over the table's rows for that command.
 *
 * <p>History is kept per node of each level of the hierarchy (the pseudo-channel, each SID, each
 * bank group, each bank) and per command, as a ring of the last {@code depth} issue cycles, depth
 * being the largest window in the table (4, for tFAW). The table is compiled per target command
 * into primitive arrays, merging rows that differ only in distance; nothing is allocated after
 * construction.
 */
final class TimingState {
  private static final int LEVEL_PC = 0;
  private static final int LEVEL_SID = 1;
  private static final int LEVEL_BG = 2;
  private static final int LEVEL_BANK = 3;
  private static final int LEVELS = 4;
  /** The issue time of a command never issued: far enough in the past for any distance. */
  static final long NEVER = Long.MIN_VALUE / 4;

  private final int sids;
  private final int banksPerSid;
  private final int banksPerGroup;
  private final int depth;
  /** [level][(node * COUNT + command) * depth + i]: ring of recent issue cycles. */
  private final long[][] history;
  /** [level][node * COUNT + command]: ring position of the most recent issue. */
  private final int[][] newest;
  // compiled rules per target command: parallel arrays indexed [to][k]
  private final int[][] ruleFrom;
  private final int[][] ruleLevel;
  private final boolean[][] ruleOtherSid;
  private final int[][] ruleCycles;
  private final int[][] ruleWindow;

  TimingState(HbmOrganization org, List<TimingConstraint> table) {
    this.sids = org.sids();
    this.banksPerGroup = org.banksPerGroup();
    this.banksPerSid = org.bankGroups() * org.banksPerGroup();
    int maxWindow = 1;
    for (TimingConstraint c : table) {
      maxWindow = Math.max(maxWindow, c.window());
    }
    this.depth = maxWindow;
    int[] nodes = {1, sids, sids * org.bankGroups(), org.banksPerPseudoChannel()};
    history = new long[LEVELS][];
    newest = new int[LEVELS][];
    for (int l = 0; l < LEVELS; l++) {
      history[l] = new long[nodes[l] * HbmCommand.COUNT * depth];
      Arrays.fill(history[l], NEVER);
      newest[l] = new int[nodes[l] * HbmCommand.COUNT];
    }
    int n = HbmCommand.COUNT;
    ruleFrom = new int[n][];
    ruleLevel = new int[n][];
    ruleOtherSid = new boolean[n][];
    ruleCycles = new int[n][];
    ruleWindow = new int[n][];
    for (int to = 0; to < n; to++) {
      compile(to, table);
    }
  }

  private void compile(int to, List<TimingConstraint> table) {
    int k = 0;
    int[] from = new int[table.size()];
    Scope[] scope = new Scope[table.size()];
    int[] cycles = new int[table.size()];
    int[] window = new int[table.size()];
    for (TimingConstraint c : table) {
      if (c.to() != to) {
        continue;
      }
      int same = -1;
      for (int j = 0; j < k; j++) {
        if (from[j] == c.from() && scope[j] == c.scope() && window[j] == c.window()) {
          same = j;
        }
      }
      if (same >= 0) {
        cycles[same] = Math.max(cycles[same], c.cycles());
        continue;
      }
      from[k] = c.from();
      scope[k] = c.scope();
      cycles[k] = c.cycles();
      window[k] = c.window();
      k++;
    }
    ruleFrom[to] = Arrays.copyOf(from, k);
    ruleCycles[to] = Arrays.copyOf(cycles, k);
    ruleWindow[to] = Arrays.copyOf(window, k);
    ruleLevel[to] = new int[k];
    ruleOtherSid[to] = new boolean[k];
    for (int j = 0; j < k; j++) {
      ruleLevel[to][j] = switch (scope[j]) {
        case PSEUDO_CHANNEL -> LEVEL_PC;
        case SID, OTHER_SID -> LEVEL_SID;
        case BANK_GROUP -> LEVEL_BG;
        case BANK -> LEVEL_BANK;
      };
      ruleOtherSid[to][j] = scope[j] == Scope.OTHER_SID;
    }
  }

  private int node(int level, int bank) {
    return switch (level) {
      case LEVEL_PC -> 0;
      case LEVEL_SID -> bank / banksPerSid;
      case LEVEL_BG -> bank / banksPerGroup;
      default -> bank;
    };
  }

  /** The issue cycle of the {@code back}-th most recent {@code command} at a node (1 = last). */
  private long recent(int level, int node, int command, int back) {
    int slot = node * HbmCommand.COUNT + command;
    int i = newest[level][slot] - (back - 1);
    if (i < 0) {
      i += depth;
    }
    return history[level][slot * depth + i];
  }

  /**
   * The earliest cycle at which {@code command} may issue to {@code bank} (the flat bank index
   * within the pseudo-channel; ignored for all-bank commands), considering every rule.
   */
  long earliest(int command, int bank) {
    long t = NEVER;
    int[] from = ruleFrom[command];
    int[] level = ruleLevel[command];
    int[] cycles = ruleCycles[command];
    int[] window = ruleWindow[command];
    boolean[] otherSid = ruleOtherSid[command];
    for (int k = 0; k < from.length; k++) {
      if (otherSid[k]) {
        int own = bank / banksPerSid;
        for (int s = 0; s < sids; s++) {
          if (s != own) {
            t = Math.max(t, recent(LEVEL_SID, s, from[k], window[k]) + cycles[k]);
          }
        }
      } else {
        t = Math.max(t, recent(level[k], node(level[k], bank), from[k], window[k]) + cycles[k]);
      }
    }
    return t;
  }

  /** Records that {@code command} issued to {@code bank} (or to all banks) at {@code cycle}. */
  void record(int command, int bank, long cycle) {
    int levels = HbmCommand.isAllBank(command) ? 1 : LEVELS;
    for (int l = 0; l < levels; l++) {
      int slot = node(l, bank) * HbmCommand.COUNT + command;
      int i = newest[l][slot] + 1;
      if (i == depth) {
        i = 0;
      }
      newest[l][slot] = i;
      history[l][slot * depth + i] = cycle;
    }
  }
}
