package org.dsasim.accel.workload;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceSource;

/**
 * The calibration set's "persist-uniform" selections as a trace source: for each layer and
 * sequence, if the step is not the first and {@code persist > 0}, keep {@code round(persist *
 * topk)} tokens drawn uniformly from the previous step's set, fill up to {@code topk} with
 * distinct uniform tokens of {@code [0, ctx)}, and sort ascending. The context grows by
 * {@code ctxGrowth} tokens per step (1 for decode, 0 for the calibration graphs, whose context is
 * fixed).
 */
public final class PersistUniformSource implements TraceSource {
  private final TraceHeader header;
  private final int layers;
  private final int seqs;
  private final int topk;
  private final int keep;
  private final int ctxGrowth;
  private final SplittableRandom rng;
  private final StepSelection previous;
  private int[] stamp;
  private final int[] scratch;
  private int ctx;
  private int generation;
  private long step;

  public PersistUniformSource(int layers, int seqs, int topk, int ctx, int ctxGrowth,
      double persist, long seed) {
    if (topk > ctx) {
      throw new IllegalArgumentException("topk " + topk + " exceeds the context " + ctx);
    }
    this.layers = layers;
    this.seqs = seqs;
    this.topk = topk;
    this.ctx = ctx;
    this.ctxGrowth = ctxGrowth;
    this.keep = persist > 0 ? (int) Math.round(persist * topk) : 0;
    this.rng = new SplittableRandom(seed);
    this.header = new TraceHeader("persist-uniform", layers, seqs, topk, 1, 0, 64, ctx, -1,
        Map.of("persist", Double.toString(persist)));
    this.previous = new StepSelection(layers, seqs, topk);
    this.stamp = new int[ctx];
    this.scratch = new int[topk];
  }

  @Override
  public TraceHeader header() {
    return header;
  }

  @Override
  public boolean next(StepSelection into) {
    int[] out = into.indices();
    int[] prev = previous.indices();
    for (int l = 0; l < layers; l++) {
      for (int s = 0; s < seqs; s++) {
        int off = into.offset(l, s);
        generation++;
        int n = 0;
        if (step > 0 && keep > 0) {
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
        into.setCount(l, s, topk);
      }
    }
    for (int s = 0; s < seqs; s++) {
      into.setContextLen(s, ctx);
    }
    into.setStep(step++);
    previous.copyFrom(into);
    ctx += ctxGrowth;
    if (ctx > stamp.length) {
      stamp = Arrays.copyOf(stamp, Math.max(ctx, stamp.length + stamp.length / 2));
    }
    return true;
  }

  @Override
  public void close() {}
}
