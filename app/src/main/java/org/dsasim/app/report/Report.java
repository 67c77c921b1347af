package org.dsasim.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.dsasim.app.run.DecodeRun;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Units;
import org.dsasim.core.io.AtomicFiles;
import org.dsasim.core.plot.Axis;
import org.dsasim.core.plot.Chart;
import org.dsasim.core.plot.ChartWriter;
import org.dsasim.core.plot.Series;

/**
 * The HTML report of a results folder: a run's (its {@code summary.json}, latency histogram logs
 * and {@code config.yaml}) or a sweep's ({@code points.csv} and the per-point run folders under
 * {@code points/<id>/}). The page, {@value #PAGE}, needs nothing but its folder: the style is
 * inline and every plot is a PNG (linking to its SVG) under {@value #PLOTS}/. Plots are written
 * first and the page last, each atomically, so a page never refers to a missing plot.
 */
public final class Report {
  public static final String PAGE = "report.html";
  public static final String PLOTS = "report-plots";
  /** Most latency CDFs overlaid in one sweep chart (more would be unreadable). */
  static final int MAX_CDF_SERIES = 10;
  /** Most lines of one line chart over a sweep axis. */
  static final int MAX_LINES = 10;

  /** Metrics plotted over a sweep's axes: summary path and label. */
  private static final String[][] AXIS_METRICS = {
    {"tokens_per_s", "tokens per second"},
    {"llc_hit_rate.reserved", "KV hit rate in the reservation"},
    {"llc_hit_rate.shared", "shared LLC hit rate"},
    {"decode_step_us.p50", "decode step p50 (us)"},
    {"hit_rate", "KV hit rate (token replay)"},
    {"hbm_bytes_per_step", "KV bytes from HBM per step"},
  };

  private final Path dir;
  private final Path plots;
  private final Html page;

  private Report(Path dir, String title) {
    this.dir = dir;
    this.plots = dir.resolve(PLOTS);
    this.page = new Html(title);
  }

  /** Writes the report of {@code dir} and returns the page's path. */
  public static Path write(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserInputException(
          dir + ": is a file; expected the results folder of 'dsasim run' or 'dsasim sweep'");
    }
    if (!Files.isDirectory(dir)) {
      throw new UserInputException(dir + ": no such folder");
    }
    Report r;
    if (PointsTable.isSweep(dir)) {
      r = new Report(dir, "dsasim sweep: " + name(dir));
      r.sweep(PointsTable.read(dir));
    } else if (RunFiles.isRun(dir)) {
      r = new Report(dir, "dsasim run: " + name(dir));
      r.run(RunFiles.summary(dir));
    } else {
      throw new UserInputException(dir + ": neither a run's results (" + DecodeRun.SUMMARY_FILE
          + ") nor a sweep's (" + PointsTable.FILE + ")");
    }
    Path file = dir.resolve(PAGE);
    AtomicFiles.writeString(file, r.page.document());
    return file;
  }

  private static String name(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    return abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
  }

  // ------------------------------------------------------------------ one run

  private void run(JsonNode summary) {
    page.paragraph(String.format(Locale.ROOT, "%s, batch %s, context %s, %s mode, KV reservation"
        + " %s; %s measured decode steps.", summary.path("model").asText("?"),
        summary.path("batch").asText("?"), summary.path("context").asText("?"),
        summary.path("mode").asText("?"),
        Units.formatBytes(summary.path("reservation_bytes").asLong()),
        summary.path("measured_steps").asText("?")), null);
    page.heading(2, "Summary");
    List<List<String>> rows = new ArrayList<>();
    RunFiles.flatten(summary).forEach((k, v) -> rows.add(List.of(k, Heatmap.format(v))));
    page.table(List.of("metric", "value"), rows);

    page.heading(2, "Latency");
    latencyFigure("step_cdf", "Decode-step latency CDF",
        histograms(Map.of("decode step", dir), DecodeRun.STEP_LATENCY_FILE));
    latencyFigure("gather_cdf", "KV gather latency CDF (one sample per gathered entry)",
        histograms(Map.of("gather", dir), DecodeRun.GATHER_LATENCY_FILE));

    page.heading(2, "Where the time and the bytes go");
    categoryFigure("phases", "Time per decode step by phase", "us per step",
        summary.path("phase_us_per_step"), 1);
    categoryFigure("stalls", "Stall cycles by cause", "cycles", summary.path("stall_cycles"), 1);
    categoryFigure("bytes", "Bytes per level (LLC near/far/reserved, HBM)", "GB",
        summary.path("bytes"), 1e-9);

    page.heading(2, "Configuration");
    Map<String, String> cfg = RunFiles.config(dir.resolve(DecodeRun.CONFIG_FILE));
    if (cfg == null) {
      page.paragraph("No " + DecodeRun.CONFIG_FILE + " in this folder.", "note");
    } else {
      page.details("every resolved key (" + cfg.size() + ")", lines(cfg));
    }
  }

  private void categoryFigure(String file, String title, String yLabel, JsonNode node,
      double scale) {
    Map<String, Double> values = new LinkedHashMap<>();
    RunFiles.flatten(node).forEach((k, v) -> values.put(k, v * scale));
    if (values.isEmpty()) {
      page.paragraph(title + ": not in the summary.", "note");
      return;
    }
    figure(file, ReportCharts.categoryBars(title, yLabel, values), title);
  }

  // ------------------------------------------------------------------ a sweep

  private void sweep(PointsTable table) {
    List<PointsTable.Point> all = table.points();
    List<PointsTable.Point> ok = all.stream().filter(PointsTable.Point::ok).toList();
    page.paragraph(String.format(Locale.ROOT, "%d points over %s; %d finished, %d failed.",
        all.size(), table.axes().isEmpty() ? "no axes" : String.join(" x ", table.axes()),
        ok.size(), all.size() - ok.size()), null);
    List<Map<String, Double>> values = new ArrayList<>();
    for (PointsTable.Point p : ok) {
      values.add(metrics(p));
    }

    List<Integer> varying = new ArrayList<>();
    for (int a = 0; a < table.axes().size(); a++) {
      if (distinct(ok, a).size() > 1) {
        varying.add(a);
      }
    }
    page.heading(2, "Metrics over the axes");
    if (varying.isEmpty()) {
      page.paragraph("No axis takes more than one value among the finished points.", "note");
    } else {
      // across: a size or number first (policy names make poor x values), by the same hints
      List<Integer> numeric = varying.stream()
          .filter(a -> !Double.isNaN(positions(distinct(ok, a))[0])).toList();
      int xAxis = numeric.isEmpty() ? pick(table.axes(), varying, -1, "capacity", "size", "llc")
          : pick(table.axes(), numeric, -1, "capacity", "size", "llc");
      int yAxis = varying.size() > 1 ? pick(table.axes(), varying, xAxis, "reserv", "ratio") : -1;
      boolean averaged = varying.size() > 2 || hasReplicates(ok, xAxis, yAxis);
      List<String[]> plotted = new ArrayList<>(List.of(AXIS_METRICS));
      // the spec's compare: columns, the baseline's metric over the point's
      for (String name : table.metricNames()) {
        if (name.startsWith("speedup.")) {
          plotted.add(new String[] {name, "speed-up of " + name.substring("speedup.".length())
              + " against the baseline"});
        }
      }
      for (String[] m : plotted) {
        if (values.stream().allMatch(v -> Double.isNaN(get(v, m[0])))) {
          continue;
        }
        axisFigures(table, ok, values, xAxis, yAxis, m[0], m[1], averaged);
      }
    }

    // replay points (token-cache policies, no timing) have no latencies, stalls or levels
    boolean timed = ok.isEmpty() || values.stream().anyMatch(v -> !v.containsKey("hit_rate"));
    if (timed) {
      page.heading(2, "Latency");
      Map<String, Path> cdfPoints = new LinkedHashMap<>();
      int stride = Math.max(1, (ok.size() + MAX_CDF_SERIES - 1) / MAX_CDF_SERIES);
      for (int i = 0; i < ok.size(); i += stride) {
        Path pd = pointDir(ok.get(i));
        if (pd != null) {
          cdfPoints.put(label(table, ok.get(i)), pd);
        }
      }
      latencyFigure("step_cdf", "Decode-step latency CDF"
          + (stride > 1 ? " (every " + stride + "th point)" : ""),
          histograms(cdfPoints, DecodeRun.STEP_LATENCY_FILE));

      page.heading(2, "Stalls and bytes per point");
      overPointsFigure("stalls", "Share of stall cycles by cause", "share of stall cycles", values,
          "stall_cycles", true);
      overPointsFigure("bytes", "Bytes per level", "bytes", values, "bytes", false);
    }

    page.heading(2, "Points");
    pointsTable(table, values);
    page.heading(2, "Configuration of every point");
    configs(table);
  }

  /** A point's metrics: its table row, completed by its own summary file when there is one. */
  private Map<String, Double> metrics(PointsTable.Point p) {
    Map<String, Double> out = new LinkedHashMap<>();
    Path pd = pointDir(p);
    if (pd != null) {
      JsonNode s = RunFiles.summary(pd);
      if (s != null) {
        RunFiles.flatten(s).forEach((k, v) -> out.put(PointsTable.normalise(k), v));
      }
    }
    p.metrics().forEach((k, v) -> {
      double d = p.metric(k);
      if (!Double.isNaN(d)) {
        out.put(k, d);
      }
    });
    return out;
  }

  private static double get(Map<String, Double> values, String path) {
    return values.getOrDefault(PointsTable.normalise(path), Double.NaN);
  }

  /** The point's run folder, {@code points/<id>/}, if it exists and the id stays inside. */
  private Path pointDir(PointsTable.Point p) {
    Path base = dir.resolve("points").normalize();
    Path pd = base.resolve(p.id()).normalize();
    return pd.startsWith(base) && !pd.equals(base) && Files.isDirectory(pd) ? pd : null;
  }

  /** Heatmap over two axes (mean per cell) and lines over the first, one per second-axis value. */
  private void axisFigures(PointsTable table, List<PointsTable.Point> ok,
      List<Map<String, Double>> values, int xAxis, int yAxis, String metric, String label,
      boolean averaged) {
    List<String> xs = distinct(ok, xAxis);
    List<String> ys = yAxis < 0 ? List.of("") : distinct(ok, yAxis);
    double[][] sum = new double[ys.size()][xs.size()];
    int[][] count = new int[ys.size()][xs.size()];
    for (int i = 0; i < ok.size(); i++) {
      double v = get(values.get(i), metric);
      if (Double.isNaN(v)) {
        continue;
      }
      int c = xs.indexOf(ok.get(i).axisValues().get(xAxis));
      int r = yAxis < 0 ? 0 : ys.indexOf(ok.get(i).axisValues().get(yAxis));
      sum[r][c] += v;
      count[r][c]++;
    }
    double[][] mean = new double[ys.size()][xs.size()];
    for (int r = 0; r < ys.size(); r++) {
      for (int c = 0; c < xs.size(); c++) {
        mean[r][c] = count[r][c] == 0 ? Double.NaN : sum[r][c] / count[r][c];
      }
    }
    String xName = table.axes().get(xAxis);
    String note = averaged ? " (mean over the other axes and seeds)" : "";
    String slug = PointsTable.normalise(metric);
    if (yAxis >= 0) {
      String yName = table.axes().get(yAxis);
      String title = label + " over " + xName + " x " + yName;
      new Heatmap(title, xName, yName, xs, ys, mean).write(plots.resolve("heatmap_" + slug));
      page.figure(PLOTS + "/heatmap_" + slug, title + note);
    }
    double[] xv = positions(xs);
    boolean numeric = !Double.isNaN(xv[0]);
    if (!numeric) {
      for (int c = 0; c < xv.length; c++) {
        xv[c] = c + 1;
      }
    }
    List<Series> lines = new ArrayList<>();
    for (int r = 0; r < Math.min(ys.size(), MAX_LINES); r++) {
      String name = yAxis < 0 ? "" : table.axes().get(yAxis) + " = " + ys.get(r);
      lines.add(Series.line(name, xv, mean[r]));
    }
    String title = label + " over " + xName;
    Chart chart = new Chart(title, Axis.linear(numeric ? xName : xName + " (" + String.join(", ",
        xs) + ")"), Axis.linear(label), lines);
    figure("lines_" + slug, chart, title + note
        + (ys.size() > MAX_LINES ? " (first " + MAX_LINES + " lines)" : ""));
  }

  private void overPointsFigure(String file, String title, String yLabel,
      List<Map<String, Double>> values, String prefix, boolean shares) {
    String p = PointsTable.normalise(prefix) + "_";
    Set<String> parts = new LinkedHashSet<>();
    values.forEach(v -> v.keySet().stream().filter(k -> k.startsWith(p)).forEach(parts::add));
    if (parts.isEmpty() || values.isEmpty()) {
      page.paragraph(title + ": no point reports " + prefix + ".", "note");
      return;
    }
    Map<String, double[]> lines = new LinkedHashMap<>();
    for (String part : parts) {
      lines.put(part.substring(p.length()), new double[values.size()]);
    }
    for (int i = 0; i < values.size(); i++) {
      double total = 0;
      for (String part : parts) {
        total += values.get(i).getOrDefault(part, 0.0);
      }
      for (String part : parts) {
        double v = values.get(i).getOrDefault(part, Double.NaN);
        lines.get(part.substring(p.length()))[i] = shares ? (total > 0 ? v / total : 0) : v;
      }
    }
    figure(file, ReportCharts.overPoints(title, yLabel, lines), title);
  }

  private void pointsTable(PointsTable table, List<Map<String, Double>> values) {
    List<String[]> shown = new ArrayList<>();
    for (String[] m : AXIS_METRICS) {
      if (values.isEmpty() || values.stream().anyMatch(v -> !Double.isNaN(get(v, m[0])))) {
        shown.add(m);
      }
    }
    List<String> header = new ArrayList<>();
    header.add("#");
    header.add("id");
    header.addAll(table.axes());
    header.add("status");
    for (String[] m : shown) {
      header.add(m[1]);
    }
    header.add("report / error");
    List<List<String>> rows = new ArrayList<>();
    int okIndex = 0;
    int n = 0;
    for (PointsTable.Point p : table.points()) {
      List<String> row = new ArrayList<>();
      row.add(p.ok() ? Integer.toString(++n) : "");
      row.add(p.id());
      row.addAll(p.axisValues());
      row.add(p.status());
      Map<String, Double> v = p.ok() ? values.get(okIndex++) : Map.of();
      for (String[] m : shown) {
        double d = get(v, m[0]);
        row.add(Double.isNaN(d) ? "" : Heatmap.format(d));
      }
      row.add(p.error());
      rows.add(row);
    }
    page.table(header, rows);
  }

  /** The keys every point shares, once, then each point's own values of the others. */
  private void configs(PointsTable table) {
    Map<String, Map<String, String>> byPoint = new LinkedHashMap<>();
    for (PointsTable.Point p : table.points()) {
      Path pd = pointDir(p);
      Map<String, String> cfg = pd == null ? null : RunFiles.config(pd.resolve(
          DecodeRun.CONFIG_FILE));
      if (cfg != null) {
        byPoint.put(p.id(), cfg);
      }
    }
    if (byPoint.isEmpty()) {
      page.paragraph("No point has a " + DecodeRun.CONFIG_FILE + "; each point's settings are"
          + " its axis values in the table above.", "note");
      return;
    }
    Map<String, String> common = new LinkedHashMap<>(byPoint.values().iterator().next());
    for (Map<String, String> cfg : byPoint.values()) {
      common.entrySet().removeIf(e -> !Objects.equals(cfg.get(e.getKey()), e.getValue()));
    }
    page.details("keys every point shares (" + common.size() + ")", lines(common));
    StringBuilder own = new StringBuilder();
    byPoint.forEach((id, cfg) -> {
      own.append("# point ").append(id).append('\n');
      cfg.forEach((k, v) -> {
        if (!common.containsKey(k)) {
          own.append(k).append(": ").append(v).append('\n');
        }
      });
    });
    page.details("each point's other keys (" + byPoint.size() + " points)", own.toString());
  }

  // ------------------------------------------------------------------ shared

  private Map<String, Histogram> histograms(Map<String, Path> folders, String file) {
    Map<String, Histogram> out = new LinkedHashMap<>();
    folders.forEach((name, folder) -> {
      Histogram h = RunFiles.histogram(folder.resolve(file));
      if (h != null && h.getTotalCount() > 0) {
        out.put(name, h);
      }
    });
    return out;
  }

  private void latencyFigure(String file, String title, Map<String, Histogram> histograms) {
    if (histograms.isEmpty()) {
      page.paragraph(title + ": no histogram log with samples.", "note");
      return;
    }
    if (histograms.size() == 1) {
      // a single unnamed curve needs no legend
      histograms = Map.of("", histograms.values().iterator().next());
    }
    figure(file, ReportCharts.latencyCdf(title, histograms), title);
  }

  private void figure(String file, Chart chart, String caption) {
    ChartWriter.write(chart, plots.resolve(file));
    page.figure(PLOTS + "/" + file, caption);
  }

  private static String label(PointsTable table, PointsTable.Point p) {
    if (table.axes().isEmpty()) {
      return p.id();
    }
    List<String> parts = new ArrayList<>();
    for (int a = 0; a < table.axes().size(); a++) {
      parts.add(p.axisValues().get(a));
    }
    return String.join(", ", parts);
  }

  private static String lines(Map<String, String> cfg) {
    StringBuilder sb = new StringBuilder();
    cfg.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
    return sb.toString();
  }

  /** The values axis {@code a} takes, in numeric order when they all read as numbers or sizes. */
  private static List<String> distinct(List<PointsTable.Point> points, int a) {
    List<String> out = new ArrayList<>(new LinkedHashSet<>(
        points.stream().map(p -> p.axisValues().get(a)).toList()));
    double[] pos = positions(out);
    if (!Double.isNaN(pos.length == 0 ? Double.NaN : pos[0])) {
      Map<String, Double> at = new LinkedHashMap<>();
      for (int i = 0; i < out.size(); i++) {
        at.put(out.get(i), pos[i]);
      }
      out.sort((s, t) -> Double.compare(at.get(s), at.get(t)));
    }
    return out;
  }

  /** Numeric values of axis labels (numbers or sizes such as 40MiB); all NaN if any is neither. */
  static double[] positions(List<String> labels) {
    double[] out = new double[labels.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = number(labels.get(i));
      if (Double.isNaN(out[i])) {
        java.util.Arrays.fill(out, Double.NaN);
        return out;
      }
    }
    return out;
  }

  private static double number(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      try {
        return Units.parseBytes(s);
      } catch (RuntimeException notSize) {
        return Double.NaN;
      }
    }
  }

  /** The first varying axis (other than {@code not}) whose name has a hint, else the first. */
  private static int pick(List<String> axes, List<Integer> varying, int not, String... hints) {
    for (String hint : hints) {
      for (int a : varying) {
        if (a != not && axes.get(a).toLowerCase(Locale.ROOT).contains(hint)) {
          return a;
        }
      }
    }
    return varying.stream().filter(a -> a != not).findFirst().orElseThrow();
  }

  private static boolean hasReplicates(List<PointsTable.Point> ok, int xAxis, int yAxis) {
    Set<String> cells = new LinkedHashSet<>();
    for (PointsTable.Point p : ok) {
      String key = p.axisValues().get(xAxis) + "\u0000"
          + (yAxis < 0 ? "" : p.axisValues().get(yAxis));
      if (!cells.add(key)) {
        return true;
      }
    }
    return false;
  }
}
