package org.dsasim.workloads.gen;

import java.util.List;
import java.util.Map;
import org.dsasim.workloads.trace.StepSelection;

/**
 * Every (step, layer, sequence) selects min(topk, context) distinct tokens uniformly at random
 * from [0, context), sorted ascending: no reuse beyond chance, the pessimistic baseline.
 */
final class UniformGenerator extends GeneratedTrace {
  static final String NAME = "uniform";
  static final List<String> KEYS = List.of();

  private final DistinctTokens tokens;
  private final TokenSort sorter = new TokenSort();

  UniformGenerator(GeneratorShape shape, GeneratorParams params) {
    super(NAME, checked(shape, params), Map.of());
    tokens = new DistinctTokens(shape.maxContext());
  }

  private static GeneratorShape checked(GeneratorShape shape, GeneratorParams params) {
    params.requireKnownKeys(NAME, KEYS);
    return shape;
  }

  @Override
  protected void fill(int t, int context, StepSelection into) {
    int n = Math.min(shape.topk(), context);
    int[] idx = into.indices();
    for (int l = 0; l < shape.layers(); l++) {
      for (int s = 0; s < shape.seqs(); s++) {
        int off = into.offset(l, s);
        tokens.begin();
        tokens.fillUniform(idx, off, n, context, rng);
        sorter.sort(idx, off, off + n, context);
        into.setCount(l, s, n);
      }
    }
  }
}
