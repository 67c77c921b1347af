package org.dsasim.workloads.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded random traces for property-style tests: varied shapes, counts, orders and ranges. */
final class RandomTraces {
  private RandomTraces() {}

  static TraceHeader header(SplittableRandom rnd, long steps) {
    return new TraceHeader(
        "model-" + rnd.nextInt(1000) + "-\u00e9\u4e2d",
        1 + rnd.nextInt(5),
        1 + rnd.nextInt(4),
        1 + rnd.nextInt(300),
        1 + rnd.nextInt(2000),
        rnd.nextInt(200),
        1 + rnd.nextInt(128),
        rnd.nextInt(5000),
        steps,
        Map.of("seed", Long.toString(rnd.nextLong()), "k\u00e9y", "v=" + rnd.nextInt()));
  }

  /**
   * Steps with counts from 0 to topk, indices in any order (so deltas of both signs), some rows
   * persisting from the previous step, and context lengths that grow, jump or reach the int range.
   */
  static List<StepSelection> steps(SplittableRandom rnd, TraceHeader h) {
    List<StepSelection> out = new ArrayList<>();
    int[] ctx = new int[h.seqs()];
    boolean huge = rnd.nextInt(4) == 0;
    for (int s = 0; s < h.seqs(); s++) {
      ctx[s] = huge ? Integer.MAX_VALUE - 1000 + rnd.nextInt(500) : rnd.nextInt(3) == 0
          ? 1 + rnd.nextInt(10) : 1 + rnd.nextInt(100_000);
    }
    StepSelection prev = null;
    int[] row = new int[h.topk()];
    for (long t = 0; t < h.steps(); t++) {
      StepSelection st = StepSelection.forHeader(h);
      st.setStep(t);
      for (int s = 0; s < h.seqs(); s++) {
        ctx[s] = (int) Math.min(Integer.MAX_VALUE, ctx[s] + (long) rnd.nextInt(3));
        st.setContextLen(s, ctx[s]);
      }
      for (int l = 0; l < h.layers(); l++) {
        for (int s = 0; s < h.seqs(); s++) {
          int n = rnd.nextInt(5) == 0 ? 0 : rnd.nextInt(h.topk() + 1);
          for (int i = 0; i < n; i++) {
            boolean reuse = prev != null && i < prev.count(l, s) && rnd.nextBoolean();
            row[i] = reuse ? prev.index(l, s, i) : rnd.nextInt(ctx[s]);
          }
          st.set(l, s, row, 0, n);
        }
      }
      out.add(st);
      prev = st;
    }
    return out;
  }

  /** Number of indices selected in a step, over all layers and sequences. */
  static long indices(StepSelection s) {
    long n = 0;
    for (int l = 0; l < s.layers(); l++) {
      for (int q = 0; q < s.seqs(); q++) {
        n += s.count(l, q);
      }
    }
    return n;
  }
}
