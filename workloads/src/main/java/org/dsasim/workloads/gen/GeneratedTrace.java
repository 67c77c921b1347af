package org.dsasim.workloads.gen;

import java.util.Map;
import java.util.SplittableRandom;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceSource;

/**
 * A synthetic trace produced step by step: the generator keeps only its own state, never the
 * trace. All sequences share the context length, which is the shape's context at step 0 and grows
 * by the shape's growth per step. Every (layer, sequence) selects min(topk, context) tokens.
 */
abstract class GeneratedTrace implements TraceSource {
  protected final GeneratorShape shape;
  protected final SplittableRandom rng;
  private final TraceHeader header;
  private int step;

  GeneratedTrace(String generator, GeneratorShape shape, Map<String, String> metadata) {
    this.shape = shape;
    this.rng = new SplittableRandom(shape.seed());
    this.header = shape.header(generator, metadata);
  }

  @Override
  public final TraceHeader header() {
    return header;
  }

  @Override
  public final boolean next(StepSelection into) {
    if (step == shape.steps()) {
      return false;
    }
    int context = shape.contextAt(step);
    into.setStep(step);
    for (int s = 0; s < shape.seqs(); s++) {
      into.setContextLen(s, context);
    }
    fill(step, context, into);
    step++;
    return true;
  }

  /** Writes the selections of every (layer, sequence) of step {@code t} into {@code into}. */
  protected abstract void fill(int t, int context, StepSelection into);

  @Override
  public void close() {}
}
