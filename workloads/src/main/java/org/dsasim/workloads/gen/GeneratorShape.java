package org.dsasim.workloads.gen;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dsasim.core.UserInputException;
import org.dsasim.workloads.trace.TraceHeader;

/**
 * The size of a generated trace and its seed.
 *
 * @param steps decode steps
 * @param layers layers per step
 * @param seqs sequences per step
 * @param topk tokens selected per (step, layer, sequence); fewer while the context is shorter
 * @param context context length (tokens) at step 0
 * @param contextGrowth tokens added to the context per step (1 for decode; 0 keeps it fixed)
 * @param entryBytes bytes of one KV entry (recorded in the header)
 * @param seed random seed: the same shape, parameters and seed give the same trace
 */
public record GeneratorShape(
    int steps, int layers, int seqs, int topk, int context, int contextGrowth, int entryBytes,
    long seed) {
  public static final int DEFAULT_ENTRY_BYTES = 656;

  public GeneratorShape {
    if (steps <= 0 || layers <= 0 || seqs <= 0 || topk <= 0 || context <= 0 || entryBytes <= 0) {
      throw new UserInputException(
          "steps, layers, seqs, topk, context and entry bytes must be positive (got " + steps + ", "
              + layers + ", " + seqs + ", " + topk + ", " + context + ", " + entryBytes + ")");
    }
    if (contextGrowth < 0) {
      throw new UserInputException("context growth must be >= 0, got " + contextGrowth);
    }
    if ((long) context + (long) contextGrowth * (steps - 1) > Integer.MAX_VALUE) {
      throw new UserInputException("context " + context + " + " + contextGrowth + " per step x "
          + steps + " steps exceeds 2^31 tokens");
    }
    if ((long) layers * seqs * topk > Integer.MAX_VALUE) {
      throw new UserInputException("layers x seqs x topk exceeds 2^31 indices per step");
    }
  }

  public GeneratorShape(int steps, int layers, int seqs, int topk, int context, long seed) {
    this(steps, layers, seqs, topk, context, 1, DEFAULT_ENTRY_BYTES, seed);
  }

  /** Context length at step {@code t}. */
  public int contextAt(int t) {
    return context + contextGrowth * t;
  }

  /** Largest context length of the trace. */
  public int maxContext() {
    return contextAt(steps - 1);
  }

  public GeneratorShape withSeed(long newSeed) {
    return new GeneratorShape(
        steps, layers, seqs, topk, context, contextGrowth, entryBytes, newSeed);
  }

  public GeneratorShape withSeqs(int newSeqs) {
    return new GeneratorShape(
        steps, layers, newSeqs, topk, context, contextGrowth, entryBytes, seed);
  }

  /** The header of a trace of this shape made by {@code generator}. */
  public TraceHeader header(String generator, Map<String, String> extraMetadata) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("generator", generator);
    meta.put("seed", Long.toString(seed));
    meta.put("context_growth", Integer.toString(contextGrowth));
    meta.putAll(extraMetadata);
    return new TraceHeader(
        "generated:" + generator, layers, seqs, topk, entryBytes, 0, 64, context, steps, meta);
  }
}
