package org.dsasim.workloads.trace;

import org.dsasim.core.UserInputException;

/**
 * Header values a user supplies when converting a trace, replacing what the input says (or the
 * defaults an input without them gets). A null component keeps the input's value.
 *
 * @param model model name
 * @param entryBytes bytes of one KV entry of one token and layer
 * @param indexKeyBytes bytes of one indexer key of one token and layer
 * @param pageTokens tokens per KV page
 * @param topk keep only the first {@code topk} selected tokens of every (step, layer, sequence)
 *     row; rows are rank-ordered in captured traces, so this yields the top-k for a smaller k.
 *     Must not exceed the input's top-k.
 * @param promptLen context length before the first decode step; for inputs without context
 *     lengths it defines them as {@code promptLen + step}
 */
public record TraceOverrides(
    String model,
    Integer entryBytes,
    Integer indexKeyBytes,
    Integer pageTokens,
    Integer topk,
    Integer promptLen) {

  public static final TraceOverrides NONE = new TraceOverrides(null, null, null, null, null, null);

  public TraceOverrides {
    requireAtLeast("--entry-bytes", entryBytes, 1);
    requireAtLeast("--index-key-bytes", indexKeyBytes, 0);
    requireAtLeast("--page-size", pageTokens, 1);
    requireAtLeast("--topk", topk, 1);
    requireAtLeast("--prompt-len", promptLen, 0);
  }

  private static void requireAtLeast(String option, Integer value, int min) {
    if (value != null && value < min) {
      throw new UserInputException(
          option + " must be " + (min == 0 ? "0 or more" : "at least " + min) + ", found " + value);
    }
  }

  public boolean isEmpty() {
    return equals(NONE);
  }

  /**
   * The header with these overrides applied.
   *
   * @param source the input's name, for the error message
   * @throws UserInputException if {@link #topk} exceeds the header's top-k
   */
  public TraceHeader applyTo(TraceHeader h, String source) {
    if (topk != null && topk > h.topk()) {
      throw new UserInputException(
          source + ": --topk " + topk + " exceeds the trace's top-k of " + h.topk()
              + "; rows can only be truncated");
    }
    return new TraceHeader(
        model != null ? model : h.model(),
        h.layers(),
        h.seqs(),
        topk != null ? topk : h.topk(),
        entryBytes != null ? entryBytes : h.entryBytes(),
        indexKeyBytes != null ? indexKeyBytes : h.indexKeyBytes(),
        pageTokens != null ? pageTokens : h.pageTokens(),
        promptLen != null ? promptLen : h.promptLen(),
        h.steps(),
        h.metadata());
  }
}
