package org.dsasim.core.plot;

import java.util.Locale;

/** A {@link Canvas} writing SVG elements. */
final class SvgCanvas implements Canvas {
  private final StringBuilder out = new StringBuilder();
  private final int width;
  private final int height;

  SvgCanvas(int width, int height) {
    this.width = width;
    this.height = height;
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, int rgb, double w, boolean dashed) {
    out.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1))
        .append("\" x2=\"").append(n(x2)).append("\" y2=\"").append(n(y2))
        .append("\" stroke=\"").append(color(rgb)).append("\" stroke-width=\"").append(n(w))
        .append(dashed ? "\" stroke-dasharray=\"4 3" : "").append("\"/>\n");
  }

  @Override
  public void polyline(double[] xs, double[] ys, int count, int rgb, double w) {
    out.append("<polyline fill=\"none\" stroke=\"").append(color(rgb))
        .append("\" stroke-width=\"").append(n(w)).append("\" stroke-linejoin=\"round\" points=\"");
    for (int i = 0; i < count; i++) {
      out.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
    }
    out.append("\"/>\n");
  }

  @Override
  public void fillRect(double x, double y, double w, double h, int rgb) {
    out.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y))
        .append("\" width=\"").append(n(w)).append("\" height=\"").append(n(h))
        .append("\" fill=\"").append(color(rgb)).append("\"/>\n");
  }

  @Override
  public void text(double x, double y, String s, double size, Anchor anchor, boolean vertical,
      int rgb) {
    out.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y))
        .append("\" font-size=\"").append(n(size)).append("\" text-anchor=\"")
        .append(anchor == Anchor.START ? "start" : anchor == Anchor.MIDDLE ? "middle" : "end")
        .append("\" fill=\"").append(color(rgb)).append('"');
    if (vertical) {
      out.append(" transform=\"rotate(-90 ").append(n(x)).append(' ').append(n(y)).append(")\"");
    }
    out.append('>').append(escape(s)).append("</text>\n");
  }

  String document() {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height
        + "\" viewBox=\"0 0 " + width + " " + height + "\" font-family=\"Helvetica, Arial,"
        + " sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        + out + "</svg>\n";
  }

  private static String n(double v) {
    String s = String.format(Locale.ROOT, "%.2f", v);
    return s.endsWith(".00") ? s.substring(0, s.length() - 3) : s;
  }

  private static String color(int rgb) {
    return String.format(Locale.ROOT, "#%06x", rgb & 0xffffff);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
