package org.dsasim.workloads.trace;

import java.util.Map;
import java.util.Objects;

/**
 * What a DSA workload trace says about the model and the decode run it came from.
 *
 * @param model model name (free text, e.g. "deepseek-v3.2" or "captured-tinylm")
 * @param layers number of layers recorded per step
 * @param seqs number of sequences (batch) recorded per step
 * @param topk k, the largest number of tokens selected per (step, layer, sequence)
 * @param entryBytes bytes of one KV token entry of one layer (e.g. 656)
 * @param indexKeyBytes bytes of one indexer key per token and layer (e.g. 132), 0 if unknown
 * @param pageTokens tokens per KV page in the serving engine's paged layout (e.g. 64)
 * @param promptLen context length before the first decode step (0 if unknown)
 * @param steps number of decode steps, or -1 when a streamed source does not know it yet
 * @param metadata further free-form key/value metadata carried through conversions
 */
public record TraceHeader(
    String model,
    int layers,
    int seqs,
    int topk,
    int entryBytes,
    int indexKeyBytes,
    int pageTokens,
    int promptLen,
    long steps,
    Map<String, String> metadata) {

  public TraceHeader {
    Objects.requireNonNull(model, "model");
    metadata = Map.copyOf(metadata);
    if (layers <= 0 || seqs <= 0 || topk <= 0 || entryBytes <= 0 || pageTokens <= 0) {
      throw new IllegalArgumentException(
          "layers, seqs, topk, entryBytes and pageTokens must be positive: " + layers + ", " + seqs
              + ", " + topk + ", " + entryBytes + ", " + pageTokens);
    }
    if (indexKeyBytes < 0 || promptLen < 0 || steps < -1) {
      throw new IllegalArgumentException("indexKeyBytes, promptLen >= 0 and steps >= -1 required");
    }
  }

  /** The same header with a known step count. */
  public TraceHeader withSteps(long newSteps) {
    return new TraceHeader(
        model, layers, seqs, topk, entryBytes, indexKeyBytes, pageTokens, promptLen, newSteps,
        metadata);
  }
}
