package org.dsasim.core.stats;

/**
 * The span a formula is evaluated over: the whole measurement since the last reset, or one sampling
 * interval.
 */
public interface StatView {
  /** The value of {@code stat} over this span. */
  double value(ScalarStat stat);

  /** Simulated seconds in this span. */
  double seconds();

  /** Whether this is one interval rather than the whole measurement. */
  boolean isInterval();
}
