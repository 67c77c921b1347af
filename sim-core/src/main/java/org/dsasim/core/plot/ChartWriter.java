package org.dsasim.core.plot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.dsasim.core.io.AtomicFiles;
import org.dsasim.core.plot.Canvas.Anchor;

/**
 * Renders a {@link Chart} as SVG text or a PNG image (Java 2D; works headless). Both come from the
 * same layout, so they look alike. Output depends only on the chart: same chart, same bytes.
 */
public final class ChartWriter {
  public static final int DEFAULT_WIDTH = 800;
  public static final int DEFAULT_HEIGHT = 500;

  /** Series colours, in order (colour-blind friendly). */
  private static final int[] PALETTE = {
    0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22,
    0x17becf
  };
  private static final int INK = 0x222222;
  private static final int GRID = 0xe5e5e5;
  private static final double LEFT = 72;
  private static final double RIGHT = 24;
  private static final double TOP = 44;
  private static final double BOTTOM = 56;

  private ChartWriter() {}

  public static String svg(Chart chart, int width, int height) {
    SvgCanvas canvas = new SvgCanvas(width, height);
    draw(chart, canvas, width, height);
    return canvas.document();
  }

  public static byte[] png(Chart chart, int width, int height) {
    ImageCanvas canvas = new ImageCanvas(width, height);
    draw(chart, canvas, width, height);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(canvas.finish(), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes {@code base.svg} and {@code base.png} (atomically) at the default size. */
  public static void write(Chart chart, Path base) {
    String name = base.getFileName().toString();
    AtomicFiles.writeString(base.resolveSibling(name + ".svg"),
        svg(chart, DEFAULT_WIDTH, DEFAULT_HEIGHT));
    byte[] png = png(chart, DEFAULT_WIDTH, DEFAULT_HEIGHT);
    AtomicFiles.write(base.resolveSibling(name + ".png"), out -> out.write(png));
  }

  private static void draw(Chart chart, Canvas c, int width, int height) {
    double left = LEFT;
    double right = width - RIGHT;
    double top = TOP;
    double bottom = height - BOTTOM;
    Scale xs = Scale.of(chart.xAxis(), chart.series(), true, left, right);
    Scale ys = Scale.of(chart.yAxis(), chart.series(), false, bottom, top);

    for (double t : xs.ticks) {
      double px = xs.pixel(t);
      c.line(px, top, px, bottom, GRID, 1, false);
      c.line(px, bottom, px, bottom + 5, INK, 1, false);
      c.text(px, bottom + 20, label(t), 12, Anchor.MIDDLE, false, INK);
    }
    for (double t : ys.ticks) {
      double py = ys.pixel(t);
      c.line(left, py, right, py, GRID, 1, false);
      c.line(left - 5, py, left, py, INK, 1, false);
      c.text(left - 8, py + 4, label(t), 12, Anchor.END, false, INK);
    }
    int colour = 0;
    List<String> names = new ArrayList<>();
    List<Integer> colours = new ArrayList<>();
    for (Series s : chart.series()) {
      int rgb = PALETTE[colour++ % PALETTE.length];
      switch (s.style()) {
        case BARS -> drawBars(c, s, xs, ys, rgb);
        case LINE -> drawLine(c, s, xs, ys, rgb, false);
        case STEP -> drawLine(c, s, xs, ys, rgb, true);
        default -> throw new IllegalStateException(s.style().toString());
      }
      if (!s.name().isEmpty()) {
        names.add(s.name());
        colours.add(rgb);
      }
    }
    c.line(left, bottom, right, bottom, INK, 1, false);
    c.line(left, top, left, bottom, INK, 1, false);
    c.text((left + right) / 2, 26, chart.title(), 16, Anchor.MIDDLE, false, INK);
    c.text((left + right) / 2, height - 14, chart.xAxis().label(), 13, Anchor.MIDDLE, false, INK);
    c.text(18, (top + bottom) / 2, chart.yAxis().label(), 13, Anchor.MIDDLE, true, INK);
    drawLegend(c, names, colours, right, top);
  }

  private static void drawBars(Canvas c, Series s, Scale xs, Scale ys, int rgb) {
    double spacing = Double.MAX_VALUE;
    double[] px = new double[s.size()];
    for (int i = 0; i < s.size(); i++) {
      px[i] = xs.pixel(s.xAt(i));
    }
    double[] sorted = px.clone();
    java.util.Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] > sorted[i - 1]) {
        spacing = Math.min(spacing, sorted[i] - sorted[i - 1]);
      }
    }
    double w = spacing == Double.MAX_VALUE ? 20 : Math.max(1, 0.8 * spacing);
    double base = ys.pixel(ys.log ? ys.lo : Math.max(ys.lo, Math.min(ys.hi, 0)));
    for (int i = 0; i < s.size(); i++) {
      if (!xs.drawable(s.xAt(i)) || !ys.drawable(s.yAt(i))) {
        continue;
      }
      double py = ys.pixel(s.yAt(i));
      c.fillRect(px[i] - w / 2, Math.min(py, base), w, Math.abs(base - py), rgb);
    }
  }

  private static void drawLine(Canvas c, Series s, Scale xs, Scale ys, int rgb, boolean step) {
    double[] px = new double[2 * s.size()];
    double[] py = new double[2 * s.size()];
    int n = 0;
    for (int i = 0; i < s.size(); i++) {
      if (!xs.drawable(s.xAt(i)) || !ys.drawable(s.yAt(i))) {
        // a gap: draw what came before, start again after it
        c.polyline(px, py, n, rgb, 2);
        n = 0;
        continue;
      }
      double x = xs.pixel(s.xAt(i));
      double y = ys.pixel(s.yAt(i));
      if (step && n > 0) {
        px[n] = x;
        py[n] = py[n - 1];
        n++;
      }
      px[n] = x;
      py[n] = y;
      n++;
    }
    c.polyline(px, py, n, rgb, 2);
  }

  private static void drawLegend(Canvas c, List<String> names, List<Integer> colours,
      double right, double top) {
    if (names.isEmpty()) {
      return;
    }
    double longest = 0;
    for (String name : names) {
      longest = Math.max(longest, c.textWidth(name, 12));
    }
    double w = longest + 40;
    double x = right - w - 8;
    double y = top + 8;
    c.fillRect(x, y, w, 18.0 * names.size() + 8, 0xffffff);
    for (int i = 0; i < names.size(); i++) {
      double rowY = y + 16 + 18 * i;
      c.line(x + 8, rowY - 4, x + 26, rowY - 4, colours.get(i), 3, false);
      c.text(x + 32, rowY, names.get(i), 12, Anchor.START, false, INK);
    }
  }

  /** Tick label: up to 4 significant digits, k / M / G for large values. */
  static String label(double v) {
    double a = Math.abs(v);
    if (a >= 1e4) {
      String[] suffix = {"k", "M", "G", "T"};
      int i = 0;
      double scaled = v / 1e3;
      while (Math.abs(scaled) >= 1e3 && i < suffix.length - 1) {
        scaled /= 1e3;
        i++;
      }
      return plain(scaled) + suffix[i];
    }
    return plain(v);
  }

  private static String plain(double v) {
    if (v == 0) {
      return "0";
    }
    String s = String.format(Locale.ROOT, "%.4g", v);
    if (s.contains("e")) {
      return s;
    }
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }

  /** Maps data values of one axis to pixels, with its ticks. */
  private static final class Scale {
    final boolean log;
    final double lo;
    final double hi;
    final double p0;
    final double p1;
    final List<Double> ticks;

    private Scale(boolean log, double lo, double hi, double p0, double p1, List<Double> ticks) {
      this.log = log;
      this.lo = lo;
      this.hi = hi;
      this.p0 = p0;
      this.p1 = p1;
      this.ticks = ticks;
    }

    static Scale of(Axis axis, List<Series> series, boolean isX, double p0, double p1) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      boolean bars = false;
      for (Series s : series) {
        bars |= s.style() == Series.Style.BARS;
        for (int i = 0; i < s.size(); i++) {
          double v = isX ? s.xAt(i) : s.yAt(i);
          if (Double.isFinite(v) && (!axis.log() || v > 0)) {
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
        }
      }
      if (min > max) {
        min = axis.log() ? 1 : 0;
        max = axis.log() ? 10 : 1;
      }
      if (bars && !isX && !axis.log()) {
        min = Math.min(min, 0);
        max = Math.max(max, 0);
      }
      if (bars && isX && !axis.log()) {
        // room for the outer half bars
        double half = barSpacing(series) / 2;
        min -= half;
        max += half;
      }
      if (!Double.isNaN(axis.min())) {
        min = axis.min();
      }
      if (!Double.isNaN(axis.max())) {
        max = axis.max();
      }
      if (axis.log()) {
        double lo = Math.log10(min);
        double hi = Math.log10(max);
        if (hi - lo < 1e-9) {
          lo -= 0.5;
          hi += 0.5;
        }
        return new Scale(true, lo, hi, p0, p1, logTicks(lo, hi));
      }
      if (max - min < 1e-12) {
        double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
        min -= pad;
        max += pad;
      }
      double step = niceStep((max - min) / 5);
      if (Double.isNaN(axis.min())) {
        min = Math.floor(min / step + 1e-9) * step;
      }
      if (Double.isNaN(axis.max())) {
        max = Math.ceil(max / step - 1e-9) * step;
      }
      List<Double> ticks = new ArrayList<>();
      for (double t = Math.ceil(min / step - 1e-9) * step; t <= max + step * 1e-9; t += step) {
        ticks.add(Math.abs(t) < step * 1e-9 ? 0 : t);
      }
      return new Scale(false, min, max, p0, p1, ticks);
    }

    private static double barSpacing(List<Series> series) {
      double spacing = Double.MAX_VALUE;
      for (Series s : series) {
        if (s.style() != Series.Style.BARS) {
          continue;
        }
        double[] x = s.x();
        java.util.Arrays.sort(x);
        for (int i = 1; i < x.length; i++) {
          if (x[i] > x[i - 1]) {
            spacing = Math.min(spacing, x[i] - x[i - 1]);
          }
        }
      }
      return spacing == Double.MAX_VALUE ? 1 : spacing;
    }

    static double niceStep(double raw) {
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double f = raw / magnitude;
      double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
      return nice * magnitude;
    }

    /** Powers of ten; with fewer than three decades also 2 and 5 times them. */
    static List<Double> logTicks(double lo, double hi) {
      List<Double> ticks = new ArrayList<>();
      boolean fine = hi - lo < 3;
      int stride = (int) Math.max(1, Math.ceil((hi - lo) / 8));
      for (int e = (int) Math.floor(lo); e <= Math.ceil(hi); e++) {
        for (double m : fine ? new double[] {1, 2, 5} : new double[] {1}) {
          double t = m * Math.pow(10, e);
          double lt = Math.log10(t);
          if (lt >= lo - 1e-9 && lt <= hi + 1e-9 && (fine || e % stride == 0)) {
            ticks.add(t);
          }
        }
      }
      return ticks;
    }

    boolean drawable(double v) {
      if (!Double.isFinite(v) || (log && v <= 0)) {
        return false;
      }
      double d = log ? Math.log10(v) : v;
      double span = hi - lo;
      return d >= lo - 1e-9 * span && d <= hi + 1e-9 * span;
    }

    double pixel(double v) {
      double d = log ? Math.log10(v) : v;
      return p0 + (d - lo) / (hi - lo) * (p1 - p0);
    }
  }
}
