package org.dsasim.core.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/** A {@link Canvas} painting into an image with Java 2D (no display needed). */
final class ImageCanvas implements Canvas {
  private final BufferedImage image;
  private final Graphics2D g;

  ImageCanvas(int width, int height) {
    image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, int rgb, double w, boolean dashed) {
    g.setColor(new Color(rgb));
    g.setStroke(dashed
        ? new BasicStroke((float) w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
            new float[] {4, 3}, 0)
        : new BasicStroke((float) w));
    g.draw(new Line2D.Double(x1, y1, x2, y2));
  }

  @Override
  public void polyline(double[] xs, double[] ys, int n, int rgb, double w) {
    if (n == 0) {
      return;
    }
    Path2D.Double path = new Path2D.Double();
    path.moveTo(xs[0], ys[0]);
    for (int i = 1; i < n; i++) {
      path.lineTo(xs[i], ys[i]);
    }
    g.setColor(new Color(rgb));
    g.setStroke(new BasicStroke((float) w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(path);
  }

  @Override
  public void fillRect(double x, double y, double w, double h, int rgb) {
    g.setColor(new Color(rgb));
    g.fill(new Rectangle2D.Double(x, y, w, h));
  }

  @Override
  public void text(double x, double y, String s, double size, Anchor anchor, boolean vertical,
      int rgb) {
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 1).deriveFont((float) size);
    g.setFont(font);
    g.setColor(new Color(rgb));
    double w = g.getFontMetrics().getStringBounds(s, g).getWidth();
    double shift = anchor == Anchor.START ? 0 : anchor == Anchor.MIDDLE ? -w / 2 : -w;
    AffineTransform saved = g.getTransform();
    g.translate(x, y);
    if (vertical) {
      g.rotate(-Math.PI / 2);
    }
    g.drawString(s, (float) shift, 0f);
    g.setTransform(saved);
  }

  BufferedImage finish() {
    g.dispose();
    return image;
  }
}
