package org.dsasim.mem.token;

/**
 * A cache of KV token entries between decode steps, seen functionally: which gathers hit.
 *
 * <p>A replay calls {@link #access} for every gathered token in the order the hardware gathers them
 * (steps in order; within a step, layers in order; within a layer, sequences in order; within a
 * sequence, the selection's order), and {@link #endStep} after each step. Implementations are
 * allocation-free per access and not thread-safe. Instances are made by name through {@link
 * TokenCachePolicies}.
 */
public interface TokenCachePolicy {
  /**
   * Gathers the entry of {@code token} of {@code layer} of {@code seq}, updating the cache.
   *
   * @return true if the entry was in the cache
   */
  boolean access(int seq, int layer, int token);

  /** Marks the end of a decode step (policies that keep per-step state act on it). */
  void endStep();

  /** Capacity in token entries (bytes / entry bytes), the size that policies are compared at. */
  int capacityTokens();

  /**
   * Entries fetched from memory on a miss: 1 for token-granular policies, the page size for
   * page-granular ones (a miss brings the whole page).
   */
  default int entriesPerMiss() {
    return 1;
  }
}
