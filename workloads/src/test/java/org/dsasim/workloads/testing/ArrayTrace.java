package org.dsasim.workloads.testing;

import java.util.Map;
import java.util.SplittableRandom;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceSource;

/** A trace held in memory as {@code selections[step][layer][seq]} (indices in stored order). */
public final class ArrayTrace implements TraceSource {
  private final TraceHeader header;
  private final int[][][][] selections;
  private final int[][] contextLen;
  private int next;

  public ArrayTrace(TraceHeader header, int[][][][] selections, int[][] contextLen) {
    this.header = header.withSteps(selections.length);
    this.selections = selections;
    this.contextLen = contextLen;
  }

  public static TraceHeader header(int layers, int seqs, int topk) {
    return new TraceHeader("test", layers, seqs, topk, 656, 0, 64, 0, -1, Map.of());
  }

  /** A trace whose contexts are all {@code context}. */
  public static ArrayTrace of(int topk, int context, int[][][][] selections) {
    int layers = selections[0].length;
    int seqs = selections[0][0].length;
    int[][] ctx = new int[selections.length][seqs];
    for (int[] row : ctx) {
      java.util.Arrays.fill(row, context);
    }
    return new ArrayTrace(header(layers, seqs, topk), selections, ctx);
  }

  /**
   * A random trace with temporal reuse, overlap between layers, empty selections, short
   * selections and duplicates, to exercise every branch of an analyzer.
   */
  public static ArrayTrace random(
      long seed, int steps, int layers, int seqs, int topk, int context) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[][][][] sel = new int[steps][layers][seqs][];
    for (int t = 0; t < steps; t++) {
      for (int l = 0; l < layers; l++) {
        for (int s = 0; s < seqs; s++) {
          int n = rnd.nextInt(10) == 0 ? 0 : rnd.nextInt(topk / 2, topk + 1);
          int[] row = new int[n];
          for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            if (u < 0.4 && t > 0 && sel[t - 1][l][s].length > 0) {
              int[] prev = sel[t - 1][l][s];
              row[i] = prev[rnd.nextInt(prev.length)];
            } else if (u < 0.55 && l > 0 && sel[t][l - 1][s].length > 0) {
              int[] upper = sel[t][l - 1][s];
              row[i] = upper[rnd.nextInt(upper.length)];
            } else if (u < 0.8) {
              row[i] = context - 1 - rnd.nextInt(Math.min(context, 4 * topk));
            } else {
              row[i] = rnd.nextInt(context);
            }
          }
          sel[t][l][s] = row;
        }
      }
    }
    return of(topk, context, sel);
  }

  public int[][][][] selections() {
    return selections;
  }

  @Override
  public TraceHeader header() {
    return header;
  }

  @Override
  public boolean next(StepSelection into) {
    if (next == selections.length) {
      return false;
    }
    into.setStep(next);
    for (int l = 0; l < header.layers(); l++) {
      for (int s = 0; s < header.seqs(); s++) {
        int[] row = selections[next][l][s];
        into.set(l, s, row, 0, row.length);
      }
    }
    for (int s = 0; s < header.seqs(); s++) {
      into.setContextLen(s, contextLen[next][s]);
    }
    next++;
    return true;
  }

  @Override
  public void close() {}
}
