package org.dsasim.core.stats;

/** A statistic whose value is one number, over the whole measurement or over one interval. */
public abstract class ScalarStat extends Stat {
  ScalarStat(String name, String unit, String description) {
    super(name, unit, description);
  }

  /** The value over the span {@code view} covers. */
  abstract double valueIn(StatView view);
}
