package org.dsasim.accel.calibrate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The calibration set's "persist-uniform" selections, generated step by step: for each layer and
 * sequence, if the step is not the first and {@code persist > 0}, keep {@code round(persist *
 * topk)} tokens drawn uniformly from the previous step's set, fill up to {@code topk} with
 * distinct uniform tokens of {@code [0, ctx)}, and sort ascending. {@link #next} writes one step
 * as {@code [layer][seq][topk]} into an array.
 */
final class PersistUniformSelections {
  private final int layers;
  private final int seqs;
  private final int topk;
  private final int ctx;
  private final int keep;
  private final SplittableRandom rng;
  private final int[] bufferA;
  private final int[] bufferB;
  private int[] current;
  private final int[] stamp;
  private int generation;
  private final int[] scratch;

  PersistUniformSelections(int layers, int seqs, int topk, int ctx, double persist, long seed) {
    this.layers = layers;
    this.seqs = seqs;
    this.topk = topk;
    this.ctx = ctx;
    this.keep = persist > 0 ? (int) Math.round(persist * topk) : 0;
    this.rng = new SplittableRandom(seed);
    this.bufferA = new int[layers * seqs * topk];
    this.bufferB = new int[layers * seqs * topk];
    this.stamp = new int[ctx];
    this.scratch = new int[topk];
  }

  /** Generates the next step; returns the array (reused: valid until the call after next). */
  int[] next() {
    int[] prev = current;
    int[] out = current == bufferA ? bufferB : bufferA;
    for (int set = 0; set < layers * seqs; set++) {
      int off = set * topk;
      generation++;
      int n = 0;
      if (prev != null && keep > 0) {
        System.arraycopy(prev, off, scratch, 0, topk);
        for (int i = 0; i < keep; i++) {
          int j = i + rng.nextInt(topk - i);
          int t = scratch[j];
          scratch[j] = scratch[i];
          scratch[i] = t;
          out[off + n++] = t;
          stamp[t] = generation;
        }
      }
      while (n < topk) {
        int t = rng.nextInt(ctx);
        if (stamp[t] != generation) {
          stamp[t] = generation;
          out[off + n++] = t;
        }
      }
      Arrays.sort(out, off, off + topk);
    }
    current = out;
    return out;
  }
}
