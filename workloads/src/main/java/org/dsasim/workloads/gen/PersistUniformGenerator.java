package org.dsasim.workloads.gen;

import java.util.List;
import java.util.Map;
import org.dsasim.workloads.trace.StepSelection;

/**
 * The selections of the H200 calibration experiments: for each step, layer and sequence, if
 * step > 0 and persist > 0, keep round(persist x topk) tokens drawn uniformly at random from the
 * previous step's set of the same layer and sequence; fill up to topk with distinct uniformly
 * random tokens from [0, context) not already chosen; sort ascending. (round: half up; with a
 * context shorter than topk, min(topk, context) tokens.) Reproducing the calibration runs exactly
 * needs a fixed context: a shape with context growth 0.
 */
final class PersistUniformGenerator extends GeneratedTrace {
  static final String NAME = "persist-uniform";
  static final List<String> KEYS = List.of("persist");

  private final double persist;
  private final DistinctTokens tokens;
  private final TokenSort sorter = new TokenSort();
  /** The previous step's selections, laid out like {@link StepSelection#indices()}. */
  private final int[] previous;
  private final int[] previousCount;
  private final int[] scratch;

  PersistUniformGenerator(GeneratorShape shape, GeneratorParams params) {
    this(shape, persist(params));
  }

  private PersistUniformGenerator(GeneratorShape shape, double persist) {
    super(NAME, shape, Map.of("persist", Double.toString(persist)));
    this.persist = persist;
    tokens = new DistinctTokens(shape.maxContext());
    previous = new int[shape.layers() * shape.seqs() * shape.topk()];
    previousCount = new int[shape.layers() * shape.seqs()];
    scratch = new int[shape.topk()];
  }

  private static double persist(GeneratorParams params) {
    params.requireKnownKeys(NAME, KEYS);
    return params.number("persist", 0, 0, 1);
  }

  @Override
  protected void fill(int t, int context, StepSelection into) {
    int k = shape.topk();
    int n = Math.min(k, context);
    int keepTarget = t > 0 && persist > 0 ? (int) Math.round(persist * k) : 0;
    int[] idx = into.indices();
    for (int l = 0; l < shape.layers(); l++) {
      for (int s = 0; s < shape.seqs(); s++) {
        int cell = l * shape.seqs() + s;
        int off = into.offset(l, s);
        tokens.begin();
        int pos = off;
        int prevCount = previousCount[cell];
        int keep = Math.min(Math.min(keepTarget, prevCount), n);
        // keep: a uniform subset of the previous set (partial Fisher-Yates over a copy)
        System.arraycopy(previous, cell * k, scratch, 0, prevCount);
        for (int i = 0; i < keep; i++) {
          int j = i + rng.nextInt(prevCount - i);
          int x = scratch[j];
          scratch[j] = scratch[i];
          scratch[i] = x;
          tokens.mark(x);
          idx[pos++] = x;
        }
        pos = tokens.fillUniform(idx, pos, n - keep, context, rng);
        sorter.sort(idx, off, pos, context);
        into.setCount(l, s, n);
        System.arraycopy(idx, off, previous, cell * k, n);
        previousCount[cell] = n;
      }
    }
  }
}
