package org.dsasim.core.plot;

import java.util.List;
import java.util.Objects;

/**
 * What a chart shows: a title, two axes and data series. Immutable; render it with
 * {@link ChartWriter} as SVG text or as a PNG image. {@link Charts} builds the usual kinds
 * (histogram, line chart, CDF).
 */
public final class Chart {
  private final String title;
  private final Axis x;
  private final Axis y;
  private final List<Series> series;

  public Chart(String title, Axis x, Axis y, List<Series> series) {
    this.title = Objects.requireNonNull(title, "title");
    this.x = Objects.requireNonNull(x, "x");
    this.y = Objects.requireNonNull(y, "y");
    this.series = List.copyOf(series);
  }

  public String title() {
    return title;
  }

  public Axis xAxis() {
    return x;
  }

  public Axis yAxis() {
    return y;
  }

  public List<Series> series() {
    return series;
  }
}
