package org.dsasim.workloads.analyze;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dsasim.core.plot.Axis;
import org.dsasim.core.plot.Chart;
import org.dsasim.core.plot.ChartWriter;
import org.dsasim.core.plot.Charts;
import org.dsasim.core.plot.Series;
import org.dsasim.workloads.trace.TraceHeader;

/** {@link TraceStatistics} as JSON, as a text table, and as plots. */
public final class AnalysisReport {
  /** Largest value drawn as its own bar in the histograms of whole-number metrics. */
  private static final int MAX_BAR = 64;
  /** Points of the plotted miss-ratio curve (log-spaced capacities). */
  private static final int CURVE_POINTS = 400;
  /** The key of the overall LRU profile: one cache shared by all layers. */
  private static final String OVERALL_KEY = "(sequence, layer, token)";
  /** The key of a layer's LRU profile: a cache holding that layer's entries only. */
  private static final String LAYER_KEY = "(sequence, token)";

  private AnalysisReport() {}

  /** The statistics as a JSON document (NaN, for a metric without samples, becomes null). */
  public static String json(TraceStatistics st) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    TraceHeader h = st.header();
    ObjectNode trace = root.putObject("trace");
    trace.put("model", h.model());
    trace.put("layers", h.layers());
    trace.put("seqs", h.seqs());
    trace.put("topk", h.topk());
    trace.put("steps", st.steps());
    trace.put("indices", st.indices());
    ObjectNode conventions = root.putObject("conventions");
    conventions.put("window_steps", TraceAnalyzer.WINDOW_STEPS);
    conventions.put("page_tokens", TraceAnalyzer.PAGE_TOKENS);
    conventions.put("p95", "linear interpolation between order statistics (NumPy default)");
    conventions.put("std", "population");
    conventions.put("overall", "pooled over the samples of all layers and sequences");
    metrics(root.putObject("overall"), st.overall());
    ArrayNode layers = root.putArray("layers");
    for (int l = 0; l < st.layers().size(); l++) {
      ObjectNode layer = layers.addObject();
      layer.put("layer", l);
      metrics(layer, st.layers().get(l));
      if (!st.layerReuse().isEmpty()) {
        reuse(layer.putObject("reuse"), st.layerReuse().get(l), LAYER_KEY, h.topk());
      }
    }
    if (st.reuse() != null) {
      reuse(root.putObject("reuse"), st.reuse(), OVERALL_KEY, h.topk());
    }
    try {
      return mapper.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void metrics(ObjectNode node, MetricSet set) {
    for (Metric m : Metric.values()) {
      ObjectNode o = node.putObject(m.key());
      Summary s = set.summary(m);
      o.put("count", s.count());
      number(o, "mean", s.mean());
      number(o, "p95", s.p95());
      number(o, "std", s.std());
      if (m.integerValued()) {
        ArrayNode hist = o.putArray("histogram");
        CountHistogram h = set.histogram(m);
        for (int v = 0; v <= h.maxValue(); v++) {
          if (h.count(v) != 0) {
            hist.addArray().add(v).add(h.count(v));
          }
        }
      }
    }
  }

  private static void number(ObjectNode o, String key, double v) {
    if (Double.isNaN(v)) {
      o.putNull(key);
    } else {
      o.put(key, v);
    }
  }

  private static void reuse(ObjectNode node, ReuseProfile r, String key, int topk) {
    node.put("key", key);
    node.put("order", "steps; within a step layers; within a layer sequences; within a"
        + " sequence the indices in stored order");
    node.put("accesses", r.accesses());
    node.put("cold", r.cold());
    node.put("max_stack_distance", r.maxDistance());
    ArrayNode curve = node.putArray("miss_ratio_curve");
    long[] caps = r.reportCapacities(topk);
    double[] miss = r.missRatios(caps);
    for (int i = 0; i < caps.length; i++) {
      ObjectNode p = curve.addObject();
      p.put("capacity", caps[i]);
      number(p, "miss_ratio", miss[i]);
    }
    ArrayNode hist = node.putArray("stack_distance_histogram");
    long[] counts = r.distanceCounts();
    for (long from = 1; from < counts.length; from *= 2) {
      long to = Math.min(counts.length - 1, 2 * from - 1);
      long n = 0;
      for (long d = from; d <= to; d++) {
        n += counts[(int) d];
      }
      ObjectNode b = hist.addObject();
      b.put("from", from);
      b.put("to", to);
      b.put("count", n);
    }
  }

  /** A plain-text summary: overall figures, per-layer means, and the miss-ratio curve. */
  public static String text(TraceStatistics st) {
    StringBuilder b = new StringBuilder();
    TraceHeader h = st.header();
    b.append(String.format(Locale.ROOT,
        "trace %s: %d layers, %d sequences, top-k %d, %d steps, %d indices%n%n", h.model(),
        h.layers(), h.seqs(), h.topk(), st.steps(), st.indices()));
    b.append(String.format(Locale.ROOT, "%-22s %10s %10s %10s %10s%n", "overall (pooled)", "mean",
        "p95", "std", "samples"));
    for (Metric m : Metric.values()) {
      Summary s = st.overall().summary(m);
      b.append(String.format(Locale.ROOT, "%-22s %10s %10s %10s %10d%n", m.key(), fmt(s.mean()),
          fmt(s.p95()), fmt(s.std()), s.count()));
    }
    b.append(String.format(Locale.ROOT, "%nper layer (mean)%n%-6s", "layer"));
    for (Metric m : Metric.values()) {
      b.append(String.format(Locale.ROOT, " %21s", m.key()));
    }
    b.append(System.lineSeparator());
    for (int l = 0; l < st.layers().size(); l++) {
      b.append(String.format(Locale.ROOT, "%-6d", l));
      for (Metric m : Metric.values()) {
        b.append(String.format(Locale.ROOT, " %21s", fmt(st.layers().get(l).mean(m))));
      }
      b.append(System.lineSeparator());
    }
    ReuseProfile r = st.reuse();
    if (r != null) {
      b.append(String.format(Locale.ROOT,
          "%nLRU miss ratio by capacity in token entries: 'all layers' is one cache keyed by %s"
              + " (%d accesses, %d cold); 'layer l' a cache of that layer's entries alone, keyed"
              + " by %s%n%12s %10s", OVERALL_KEY, r.accesses(), r.cold(), LAYER_KEY, "capacity",
          "all layers"));
      for (int l = 0; l < st.layerReuse().size(); l++) {
        b.append(String.format(Locale.ROOT, " %10s", "layer " + l));
      }
      b.append(System.lineSeparator());
      long[] caps = r.reportCapacities(h.topk());
      List<double[]> columns = new ArrayList<>();
      columns.add(r.missRatios(caps));
      for (ReuseProfile layer : st.layerReuse()) {
        columns.add(layer.missRatios(caps));
      }
      for (int i = 0; i < caps.length; i++) {
        b.append(String.format(Locale.ROOT, "%12d", caps[i]));
        for (double[] miss : columns) {
          b.append(String.format(Locale.ROOT, " %10s", fmt(miss[i])));
        }
        b.append(System.lineSeparator());
      }
    }
    return b.toString();
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  /**
   * Writes the plots into {@code dir}, each as PNG and SVG: per metric its distribution
   * ({@code <metric>}) and its CDF overall and per layer ({@code <metric>_cdf}); the miss-ratio
   * curve and the stack-distance histogram when the profile was computed.
   */
  public static void writePlots(TraceStatistics st, Path dir) {
    for (Metric m : Metric.values()) {
      ChartWriter.write(distribution(st.overall(), m), dir.resolve(m.key()));
      ChartWriter.write(cdf(st, m), dir.resolve(m.key() + "_cdf"));
    }
    if (st.reuse() != null) {
      ChartWriter.write(missRatioCurves(st), dir.resolve("miss_ratio_curve"));
      ChartWriter.write(stackDistances(st.reuse()), dir.resolve("stack_distance"));
    }
  }

  static Chart distribution(MetricSet set, Metric m) {
    String title = m.title() + " (all layers)";
    if (m.integerValued()) {
      CountHistogram h = set.histogram(m);
      int top = Math.max(1, Math.min(MAX_BAR, h.maxValue()));
      double[] x = new double[top];
      double[] y = new double[top];
      for (int v = 1; v <= top; v++) {
        x[v - 1] = v;
        y[v - 1] = h.total() == 0 ? 0 : (double) h.count(v) / h.total();
      }
      String unit = m.unit() + (h.maxValue() > MAX_BAR ? " (first " + MAX_BAR + ")" : "");
      return Charts.bars(title, unit, "share of samples", x, y);
    }
    double[] v = set.samples(m).sortedValues();
    double lo = 0;
    double hi = v.length == 0 ? 1 : Math.max(1, Math.ceil(v[v.length - 1]));
    return Charts.histogram(title, m.unit(), v, m == Metric.WORKING_SET_50 ? 40 : 20, lo, hi);
  }

  static Chart cdf(TraceStatistics st, Metric m) {
    String title = m.title() + ": CDF";
    if (!m.integerValued()) {
      Map<String, double[]> series = new LinkedHashMap<>();
      series.put("all layers", st.overall().samples(m).sortedValues());
      for (int l = 0; l < st.layers().size(); l++) {
        double[] v = st.layers().get(l).samples(m).sortedValues();
        if (v.length > 0) {
          series.put("layer " + l, v);
        }
      }
      return Charts.cdf(title, Axis.linear(m.unit()), series);
    }
    // whole numbers: the CDF straight from the exact counts
    List<Series> series = new ArrayList<>();
    series.add(cdfOfCounts("all layers", st.overall().histogram(m)));
    for (int l = 0; l < st.layers().size(); l++) {
      CountHistogram h = st.layers().get(l).histogram(m);
      if (h.total() > 0) {
        series.add(cdfOfCounts("layer " + l, h));
      }
    }
    return new Chart(title, Axis.log(m.unit()), Axis.linear("share of samples <= x").range(0, 1),
        series);
  }

  private static Series cdfOfCounts(String name, CountHistogram h) {
    List<double[]> points = new ArrayList<>();
    long seen = 0;
    for (int v = 0; v <= h.maxValue(); v++) {
      if (h.count(v) != 0) {
        seen += h.count(v);
        points.add(new double[] {v, (double) seen / h.total()});
      }
    }
    double[] x = new double[points.size()];
    double[] y = new double[points.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = points.get(i)[0];
      y[i] = points.get(i)[1];
    }
    return Series.step(name, x, y);
  }

  /** The overall miss-ratio curve and each layer's, over log-spaced capacities. */
  static Chart missRatioCurves(TraceStatistics st) {
    ReuseProfile r = st.reuse();
    int max = Math.max(2, r.maxDistance() + 1);
    List<Long> caps = new ArrayList<>();
    for (int i = 0; i < CURVE_POINTS; i++) {
      long c = Math.round(Math.pow(max, (double) i / (CURVE_POINTS - 1)));
      if (caps.isEmpty() || c > caps.get(caps.size() - 1)) {
        caps.add(c);
      }
    }
    long[] capacities = caps.stream().mapToLong(Long::longValue).toArray();
    double[] x = new double[capacities.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = capacities[i];
    }
    List<Series> curves = new ArrayList<>();
    curves.add(Series.line("all layers, one cache", x, r.missRatios(capacities)));
    for (int l = 0; l < st.layerReuse().size(); l++) {
      curves.add(Series.line("layer " + l + " alone", x,
          st.layerReuse().get(l).missRatios(capacities)));
    }
    return Charts.lines("LRU miss-ratio curve", Axis.log("capacity (token entries)"),
        Axis.linear("miss ratio").range(0, 1), curves);
  }

  static Chart stackDistances(ReuseProfile r) {
    long[] counts = r.distanceCounts();
    List<double[]> bars = new ArrayList<>();
    for (int k = 0; (1L << k) < counts.length; k++) {
      long n = 0;
      for (long d = 1L << k; d < Math.min(counts.length, 1L << (k + 1)); d++) {
        n += counts[(int) d];
      }
      bars.add(new double[] {k, (double) n / Math.max(1, r.accesses())});
    }
    double[] x = new double[bars.size()];
    double[] y = new double[bars.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = bars.get(i)[0];
      y[i] = bars.get(i)[1];
    }
    return Charts.bars("LRU stack distances (cold accesses not shown)",
        "log2(stack distance): bar k covers [2^k, 2^(k+1))", "share of accesses", x, y);
  }
}
