package org.dsasim.workloads.gen;

import org.dsasim.workloads.trace.StepSelection;

/**
 * Where selections sit in the context: how often the first tokens (attention sinks) and the most
 * recent ones (a local window) are selected, as the share of non-empty selections containing the
 * token at each position from the start and at each age from the end. A token always selected at
 * a position is an anchor of the {@code dsa} model rather than something retention has to explain;
 * the ages of the other recent selections give the scale of the model's recency-weighted picks.
 */
final class AnchorProfile {
  /** Positions examined for sinks. */
  static final int SPAN = 256;
  /** Ages examined. */
  static final int AGE_SPAN = 1 << 14;
  /** A position or age selected in at least this share of the selections is an anchor. */
  static final double ANCHOR_SHARE = 0.9;

  private final long[] byPosition = new long[SPAN];
  private final long[] byAge = new long[AGE_SPAN];
  private long selections;

  void accept(StepSelection step) {
    int[] idx = step.indices();
    for (int l = 0; l < step.layers(); l++) {
      for (int s = 0; s < step.seqs(); s++) {
        int n = step.count(l, s);
        if (n == 0) {
          continue;
        }
        selections++;
        int context = step.contextLen(s);
        for (int i = step.offset(l, s), end = i + n; i < end; i++) {
          int x = idx[i];
          if (x < SPAN) {
            byPosition[x]++;
          }
          int age = context - 1 - x;
          if (context > 0 && age >= 0 && age < AGE_SPAN) {
            byAge[age]++;
          }
        }
      }
    }
  }

  /** Number of leading positions selected in at least {@link #ANCHOR_SHARE} of the selections. */
  int sinks() {
    return leading(byPosition);
  }

  /** Number of most recent tokens selected in at least {@link #ANCHOR_SHARE} of the selections. */
  int localWindow() {
    return leading(byAge);
  }

  /**
   * The median age of the selected tokens younger than {@code 4 x topk} (past the local window):
   * how far back attention to the recent context reaches. At least 1.
   */
  double recentAge(int topk) {
    int from = localWindow();
    int to = (int) Math.min(AGE_SPAN, Math.max(from + 1, 4L * topk));
    long total = 0;
    for (int a = from; a < to; a++) {
      total += byAge[a];
    }
    long seen = 0;
    for (int a = from; a < to; a++) {
      seen += byAge[a];
      if (2 * seen >= total && total > 0) {
        return Math.max(1, a - from);
      }
    }
    return Math.max(1, topk / 2.0);
  }

  private int leading(long[] counts) {
    int m = 0;
    while (m < SPAN && selections > 0 && counts[m] >= ANCHOR_SHARE * selections) {
      m++;
    }
    return m;
  }
}
