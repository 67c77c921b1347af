package org.dsasim.mem.token;

/**
 * What one (policy, capacity) instance counted over a replay.
 *
 * @param policy the policy as named ({@code NAME[:KEY=VALUE]...})
 * @param capacityTokens capacity in token entries
 * @param accesses gathered entries
 * @param hits gathers that found their entry cached
 * @param fetchedEntries entries fetched from memory: misses times entries per miss (a page miss
 *     fetches a whole page)
 */
public record ReplayResult(
    String policy, int capacityTokens, long accesses, long hits, long fetchedEntries) {
  public long misses() {
    return accesses - hits;
  }

  /** hits / accesses, 0 for an empty replay. */
  public double hitRate() {
    return accesses == 0 ? 0 : (double) hits / accesses;
  }
}
