package org.dsasim.app.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.dsasim.core.io.AtomicFiles;

/**
 * A heatmap of one metric over two categorical axes (a grid of coloured cells, each labelled
 * with its value, and a colour bar), rendered as SVG and PNG from one layout. The charts of
 * {@code org.dsasim.core.plot} have numeric axes only; a sweep's axes are lists of settings.
 *
 * @param title chart title
 * @param xLabel title of the horizontal axis
 * @param yLabel title of the vertical axis
 * @param xValues column labels, left to right
 * @param yValues row labels, bottom to top
 * @param cells cells[row][column]; NaN where no point has that pair of settings
 */
record Heatmap(String title, String xLabel, String yLabel, List<String> xValues,
    List<String> yValues, double[][] cells) {
  private static final int WIDTH = 800;
  private static final int HEIGHT = 500;
  private static final double LEFT = 110;
  private static final double RIGHT = 110;
  private static final double TOP = 44;
  private static final double BOTTOM = 64;
  private static final int INK = 0x222222;
  private static final int EMPTY = 0xdddddd;
  /** Perceptually ordered ramp (viridis anchors), low to high. */
  private static final int[] RAMP = {0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725};

  /** Drawing operations, so that the layout is written once for both formats. */
  private interface Painter {
    void rect(double x, double y, double w, double h, int rgb);

    /** Text centred ({@code anchor} 0), left- (-1) or right-aligned (1) at baseline y. */
    void text(double x, double y, String s, int size, int anchor, boolean vertical, int rgb);
  }

  /** Writes {@code base.svg} and {@code base.png}, each atomically. */
  void write(Path base) {
    String name = base.getFileName().toString();
    AtomicFiles.writeString(base.resolveSibling(name + ".svg"), svg());
    byte[] png = png();
    AtomicFiles.write(base.resolveSibling(name + ".png"), out -> out.write(png));
  }

  String svg() {
    StringBuilder sb = new StringBuilder();
    sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"")
        .append(" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" font-family=\"Helvetica, Arial, sans-serif\">\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    draw(new Painter() {
      @Override
      public void rect(double x, double y, double w, double h, int rgb) {
        sb.append(String.format(Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#%06x\"/>%n",
            x, y, w, h, rgb & 0xffffff));
      }

      @Override
      public void text(double x, double y, String s, int size, int anchor, boolean vertical,
          int rgb) {
        sb.append(String.format(Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\" fill=\"#%06x\"%s>",
            x, y, size, anchor < 0 ? "start" : anchor == 0 ? "middle" : "end", rgb & 0xffffff,
            vertical ? String.format(Locale.ROOT, " transform=\"rotate(-90 %.1f %.1f)\"", x, y)
                : ""));
        sb.append(Html.escape(s)).append("</text>\n");
      }
    });
    return sb.append("</svg>\n").toString();
  }

  byte[] png() {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.setStroke(new BasicStroke(1));
    draw(new Painter() {
      @Override
      public void rect(double x, double y, double w, double h, int rgb) {
        g.setColor(new Color(rgb));
        g.fill(new java.awt.geom.Rectangle2D.Double(x, y, w, h));
      }

      @Override
      public void text(double x, double y, String s, int size, int anchor, boolean vertical,
          int rgb) {
        g.setColor(new Color(rgb));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
        FontMetrics fm = g.getFontMetrics();
        double shift = anchor < 0 ? 0 : anchor == 0 ? fm.stringWidth(s) / 2.0 : fm.stringWidth(s);
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        if (vertical) {
          g.rotate(-Math.PI / 2);
        }
        g.drawString(s, (float) -shift, 0f);
        g.setTransform(saved);
      }
    });
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void draw(Painter p) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] row : cells) {
      for (double v : row) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    int nx = xValues.size();
    int ny = yValues.size();
    double right = WIDTH - RIGHT;
    double bottom = HEIGHT - BOTTOM;
    double cw = (right - LEFT) / nx;
    double ch = (bottom - TOP) / ny;
    int fontSize = (int) Math.max(9, Math.min(14, Math.min(cw / 6, ch / 2.5)));
    for (int r = 0; r < ny; r++) {
      double y = bottom - (r + 1) * ch;
      for (int c = 0; c < nx; c++) {
        double v = cells[r][c];
        double x = LEFT + c * cw;
        double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
        int rgb = Double.isFinite(v) ? colour(t) : EMPTY;
        p.rect(x + 0.5, y + 0.5, cw - 1, ch - 1, rgb);
        if (cw >= 28 && ch >= 14) {
          p.text(x + cw / 2, y + ch / 2 + fontSize / 3.0, Double.isFinite(v) ? format(v) : "-",
              fontSize, 0, false, Double.isFinite(v) && t < 0.6 ? 0xffffff : INK);
        }
      }
      p.text(LEFT - 6, y + ch / 2 + 4, yValues.get(r), 11, 1, false, INK);
    }
    for (int c = 0; c < nx; c++) {
      p.text(LEFT + (c + 0.5) * cw, bottom + 18, xValues.get(c), 11, 0, false, INK);
    }
    p.text((LEFT + right) / 2, 26, title, 16, 0, false, INK);
    p.text((LEFT + right) / 2, HEIGHT - 16, xLabel, 13, 0, false, INK);
    p.text(20, (TOP + bottom) / 2, yLabel, 13, 0, true, INK);
    // colour bar: low at the bottom, high at the top
    double barX = right + 24;
    int steps = 32;
    double sh = (bottom - TOP) / steps;
    for (int i = 0; i < steps; i++) {
      p.rect(barX, bottom - (i + 1) * sh, 16, sh + 0.5, colour((i + 0.5) / steps));
    }
    if (lo <= hi) {
      p.text(barX + 20, bottom, format(lo), 11, -1, false, INK);
      p.text(barX + 20, TOP + 10, format(hi), 11, -1, false, INK);
    }
  }

  /** The ramp's colour at {@code t} in [0, 1], interpolated between its anchors. */
  static int colour(double t) {
    double s = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
    int i = Math.min(RAMP.length - 2, (int) s);
    double f = s - i;
    int a = RAMP[i];
    int b = RAMP[i + 1];
    int out = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
      int ca = (a >> shift) & 0xff;
      int cb = (b >> shift) & 0xff;
      out |= ((int) Math.round(ca + f * (cb - ca))) << shift;
    }
    return out;
  }

  /** Up to four significant digits. */
  static String format(double v) {
    if (v != 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    String s = String.format(Locale.ROOT, "%.4g", v);
    return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "")
        : s;
  }
}
