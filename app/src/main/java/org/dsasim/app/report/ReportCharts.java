package org.dsasim.app.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.dsasim.core.plot.Axis;
import org.dsasim.core.plot.Chart;
import org.dsasim.core.plot.Series;

/** The charts of a report, built from run files and sweep tables. */
final class ReportCharts {
  private ReportCharts() {}

  /**
   * Empirical CDFs of latency histograms (values in ns, drawn in us): one step series per entry,
   * one point per recorded bucket, starting from 0 at the smallest value.
   */
  static Chart latencyCdf(String title, Map<String, Histogram> histograms) {
    List<Series> series = new ArrayList<>();
    for (Map.Entry<String, Histogram> e : histograms.entrySet()) {
      series.add(cdfSeries(e.getKey(), e.getValue()));
    }
    return new Chart(title, Axis.linear("latency (us)"),
        Axis.linear("share of samples <= x").range(0, 1), series);
  }

  static Series cdfSeries(String name, Histogram h) {
    long total = h.getTotalCount();
    List<double[]> points = new ArrayList<>();
    long seen = 0;
    for (HistogramIterationValue v : h.recordedValues()) {
      double us = h.highestEquivalentValue(v.getValueIteratedTo()) / 1e3;
      if (points.isEmpty()) {
        points.add(new double[] {h.lowestEquivalentValue(v.getValueIteratedTo()) / 1e3, 0});
      }
      seen += v.getCountAtValueIteratedTo();
      points.add(new double[] {us, (double) seen / total});
    }
    double[] x = new double[points.size()];
    double[] y = new double[points.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = points.get(i)[0];
      y[i] = points.get(i)[1];
    }
    return Series.step(name, x, y);
  }

  /**
   * One bar per category, each its own coloured series so that the legend names it; the x axis
   * only orders them.
   */
  static Chart categoryBars(String title, String yLabel, Map<String, Double> values) {
    List<Series> series = new ArrayList<>();
    int i = 1;
    for (Map.Entry<String, Double> e : values.entrySet()) {
      series.add(Series.bars(e.getKey(), new double[] {i++}, new double[] {e.getValue()}));
    }
    return new Chart(title, Axis.linear("(bars in legend order)").range(0.4, i - 0.4),
        Axis.linear(yLabel), series);
  }

  /** Lines over the points of a sweep (x = point number as in the table), one per entry. */
  static Chart overPoints(String title, String yLabel, Map<String, double[]> lines) {
    List<Series> series = new ArrayList<>();
    for (Map.Entry<String, double[]> e : lines.entrySet()) {
      double[] y = e.getValue();
      double[] x = new double[y.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = i + 1;
      }
      series.add(Series.line(e.getKey(), x, y));
    }
    return new Chart(title, Axis.linear("point (row of the table)"), Axis.linear(yLabel), series);
  }
}
