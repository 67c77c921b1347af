package org.dsasim.core.plot;

/**
 * The drawing operations a chart needs, in pixels from the top-left corner, so that the layout is
 * written once for every output format.
 */
interface Canvas {
  /** Horizontal anchoring of text at its position. */
  enum Anchor {
    START,
    MIDDLE,
    END
  }

  void line(double x1, double y1, double x2, double y2, int rgb, double width, boolean dashed);

  void polyline(double[] xs, double[] ys, int n, int rgb, double width);

  void fillRect(double x, double y, double w, double h, int rgb);

  /** Text with its baseline at y; rotated by -90 degrees (reading upwards) if {@code vertical}. */
  void text(double x, double y, String s, double size, Anchor anchor, boolean vertical, int rgb);

  /** Approximate width of {@code s} at {@code size}, for layout. */
  default double textWidth(String s, double size) {
    return 0.55 * size * s.length();
  }
}
