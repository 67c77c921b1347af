package org.dsasim.workloads.gen;

import java.util.Arrays;
import org.dsasim.workloads.trace.StepSelection;

/**
 * How clustered selections are: the mean length of the runs of consecutive token positions in a
 * selection (1 when no two selected tokens are neighbours), pooled over all selections. The
 * {@code dsa} model's cohesion sets it.
 */
final class Contiguity {
  private final int[] sorted;
  private long tokens;
  private long runs;

  Contiguity(int topk) {
    sorted = new int[topk];
  }

  void accept(StepSelection step) {
    int[] idx = step.indices();
    for (int l = 0; l < step.layers(); l++) {
      for (int s = 0; s < step.seqs(); s++) {
        int n = step.count(l, s);
        if (n == 0) {
          continue;
        }
        int off = step.offset(l, s);
        int[] x = idx;
        int from = off;
        if (!ascending(idx, off, n)) {
          System.arraycopy(idx, off, sorted, 0, n);
          Arrays.sort(sorted, 0, n);
          x = sorted;
          from = 0;
        }
        runs++;
        tokens++;
        for (int i = from + 1, end = from + n; i < end; i++) {
          if (x[i] == x[i - 1]) {
            continue; // listed twice
          }
          tokens++;
          if (x[i] != x[i - 1] + 1) {
            runs++;
          }
        }
      }
    }
  }

  private static boolean ascending(int[] a, int from, int n) {
    for (int i = from + 1; i < from + n; i++) {
      if (a[i] < a[i - 1]) {
        return false;
      }
    }
    return true;
  }

  /** Mean run length, NaN before any selection. */
  double meanRun() {
    return runs == 0 ? Double.NaN : (double) tokens / runs;
  }
}
