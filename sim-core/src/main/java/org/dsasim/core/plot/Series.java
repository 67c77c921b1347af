package org.dsasim.core.plot;

import java.util.Objects;

/**
 * One data series of a {@link Chart}: points (x[i], y[i]) drawn in one style.
 *
 * @param name legend text (empty: not in the legend)
 * @param x x values
 * @param y y values, as many as x
 * @param style how the points are drawn
 */
public record Series(String name, double[] x, double[] y, Style style) {
  /** How a series is drawn. */
  public enum Style {
    /** Straight segments between consecutive points. */
    LINE,
    /** A staircase: each y holds until the next x (as an empirical CDF). */
    STEP,
    /** A bar per point, centred on x, from 0 to y. */
    BARS
  }

  public Series {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(style, "style");
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "series '" + name + "': " + x.length + " x values but " + y.length + " y values");
    }
    x = x.clone();
    y = y.clone();
  }

  public static Series line(String name, double[] x, double[] y) {
    return new Series(name, x, y, Style.LINE);
  }

  public static Series step(String name, double[] x, double[] y) {
    return new Series(name, x, y, Style.STEP);
  }

  public static Series bars(String name, double[] x, double[] y) {
    return new Series(name, x, y, Style.BARS);
  }

  @Override
  public double[] x() {
    return x.clone();
  }

  @Override
  public double[] y() {
    return y.clone();
  }

  int size() {
    return x.length;
  }

  double xAt(int i) {
    return x[i];
  }

  double yAt(int i) {
    return y[i];
  }
}
