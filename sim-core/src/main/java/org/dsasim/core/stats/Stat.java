package org.dsasim.core.stats;

/**
 * A named statistic with a unit and a one-line description. Components create their statistics
 * through a {@link StatsScope} once, keep the returned object in a field and update it directly, so
 * recording costs a field update, never a lookup.
 */
public abstract class Stat {
  private final String name;
  private final String unit;
  private final String description;

  Stat(String name, String unit, String description) {
    this.name = name;
    this.unit = unit;
    this.description = description;
  }

  /** Full hierarchical name: {@code system.llc.reserved.hits}. */
  public final String name() {
    return name;
  }

  /** Unit of the value ({@code requests}, {@code B}, {@code ps}, {@code B/s}), or "" for none. */
  public final String unit() {
    return unit;
  }

  public final String description() {
    return description;
  }

  /** {@code counter}, {@code average}, {@code rate}, {@code formula} or {@code distribution}. */
  public abstract String kind();

  /** Forgets everything recorded (end of warm-up). */
  abstract void reset();

  /** Starts a new sampling interval; what was recorded so far stays in the totals. */
  abstract void beginInterval();

  @Override
  public String toString() {
    return name;
  }
}
