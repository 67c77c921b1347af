package org.dsasim.core.plot;

/**
 * One axis of a {@link Chart}.
 *
 * @param label the axis title
 * @param log logarithmic scale (only positive values are drawn)
 * @param min lower end, NaN to fit the data
 * @param max upper end, NaN to fit the data
 */
public record Axis(String label, boolean log, double min, double max) {
  public static Axis linear(String label) {
    return new Axis(label, false, Double.NaN, Double.NaN);
  }

  public static Axis log(String label) {
    return new Axis(label, true, Double.NaN, Double.NaN);
  }

  /** The same axis with fixed ends. */
  public Axis range(double newMin, double newMax) {
    return new Axis(label, log, newMin, newMax);
  }
}
