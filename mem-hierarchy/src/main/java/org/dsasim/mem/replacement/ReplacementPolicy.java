package org.dsasim.mem.replacement;

/**
 * Chooses which line of a set goes when a fill needs room ("which one"), among the candidate ways
 * a partition policy allows ("who may"). Sets are numbered globally across slices; ways are bits
 * of a {@code long} mask, so a set has at most 64 ways. Per-set state lives in primitive arrays
 * indexed {@code set * ways + way}.
 *
 * <p>The cache calls {@link #onFill} when a line is installed, {@link #onHit} when a valid line is
 * accessed, and {@link #victim} only with valid, evictable candidates (it takes invalid ways
 * first without asking).
 */
public interface ReplacementPolicy {
  /** A line was installed in {@code way} of {@code set}. */
  void onFill(int set, int way);

  /** The line in {@code way} of {@code set} was accessed. */
  void onHit(int set, int way);

  /** The way to evict among the set bits of {@code candidates} (never 0). */
  int victim(int set, long candidates);

  /** The registry name of this policy. */
  String name();
}
