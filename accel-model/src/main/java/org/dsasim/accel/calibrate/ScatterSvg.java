package org.dsasim.accel.calibrate;

import java.util.Locale;

/**
 * A predicted-against-measured scatter plot as a standalone SVG document: log-log axes, the
 * identity line and a +-30 % band, one labelled point per row.
 */
public final class ScatterSvg {
  private ScatterSvg() {}

  private static final int W = 720;
  private static final int H = 640;
  private static final int LEFT = 80;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;

  public static String render(CalibrationReport report, String title) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (CalibrationReport.Entry e : report.entries()) {
      if (!e.hasMeasurement()) {
        continue;
      }
      lo = Math.min(lo, Math.min(e.measured(), e.predicted()));
      hi = Math.max(hi, Math.max(e.measured(), e.predicted()));
    }
    if (!(hi > 0)) {
      lo = 1;
      hi = 10;
    }
    double l0 = Math.floor(Math.log10(lo * 0.8));
    double l1 = Math.ceil(Math.log10(hi * 1.25));
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            + "font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    sb.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n", LEFT, escape(title)));
    sb.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"40\">MAPE %.1f %%, max |error| %.1f %%, correlation %.4f, %d rows</text>%n",
        LEFT, report.mape() * 100, report.maxAbsError() * 100, report.correlation(),
        report.entries().stream().filter(CalibrationReport.Entry::hasMeasurement).count()));
    // axes and decade grid
    for (int d = (int) l0; d <= (int) l1; d++) {
      double v = Math.pow(10, d);
      double x = px(v, l0, l1);
      double y = py(v, l0, l1);
      sb.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, TOP, x,
          H - BOTTOM));
      sb.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, y,
          W - RIGHT, y));
      sb.append(String.format(Locale.ROOT,
          "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, H - BOTTOM + 18,
          fmt(v)));
      sb.append(String.format(Locale.ROOT,
          "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4, fmt(v)));
    }
    sb.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"black\"/>%n",
        LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM));
    sb.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">measured step time (us)</text>%n",
        (LEFT + W - RIGHT) / 2, H - 25));
    sb.append(String.format(Locale.ROOT,
        "<text x=\"20\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 20 %d)\">"
            + "predicted step time (us)</text>%n", (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2));
    // identity and +-30 % band
    double a = Math.pow(10, l0);
    double b = Math.pow(10, l1);
    line(sb, a, a, b, b, l0, l1, "black", "");
    line(sb, a, a * 1.3, b / 1.3, b, l0, l1, "#999", "stroke-dasharray=\"4 4\"");
    line(sb, a * 1.3, a, b, b / 1.3, l0, l1, "#999", "stroke-dasharray=\"4 4\"");
    for (CalibrationReport.Entry e : report.entries()) {
      if (!e.hasMeasurement()) {
        continue;
      }
      double x = px(e.measured(), l0, l1);
      double y = py(e.predicted(), l0, l1);
      String color = e.row().kernel().equals(CalibrationRow.GATHER_FLAT4) ? "#d62728" : "#1f77b4";
      sb.append(String.format(Locale.ROOT,
          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>%s: measured %.2f us, "
              + "predicted %.2f us (%+.1f %%)</title></circle>%n",
          x, y, color, escape(e.row().id()), e.measured(), e.predicted(), e.error() * 100));
    }
    sb.append(String.format(Locale.ROOT,
        "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"#1f77b4\"/><text x=\"%d\" y=\"%d\">"
            + "gather-warp</text>%n", LEFT + 15, TOP + 15, LEFT + 25, TOP + 19));
    sb.append(String.format(Locale.ROOT,
        "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"#d62728\"/><text x=\"%d\" y=\"%d\">"
            + "gather-flat4</text>%n", LEFT + 15, TOP + 32, LEFT + 25, TOP + 36));
    sb.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" fill=\"#666\">dashed: +-30 %%</text>%n", LEFT + 15, TOP + 53));
    sb.append("</svg>\n");
    return sb.toString();
  }

  private static void line(StringBuilder sb, double x0, double y0, double x1, double y1, double l0,
      double l1, String color, String extra) {
    sb.append(String.format(Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" %s/>%n",
        px(x0, l0, l1), py(y0, l0, l1), px(x1, l0, l1), py(y1, l0, l1), color, extra));
  }

  private static double px(double v, double l0, double l1) {
    return LEFT + (Math.log10(v) - l0) / (l1 - l0) * (W - LEFT - RIGHT);
  }

  private static double py(double v, double l0, double l1) {
    return H - BOTTOM - (Math.log10(v) - l0) / (l1 - l0) * (H - TOP - BOTTOM);
  }

  private static String fmt(double v) {
    return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
