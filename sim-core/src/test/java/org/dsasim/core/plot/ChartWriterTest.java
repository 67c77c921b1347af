package org.dsasim.core.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartWriterTest {
  private static Chart sample() {
    return new Chart("Miss ratio <LRU & co>", Axis.log("capacity (entries)"),
        Axis.linear("miss ratio").range(0, 1),
        List.of(
            Series.line("layer 0", new double[] {1, 10, 100, 1000},
                new double[] {1, 0.8, 0.4, 0.1}),
            Series.step("layer 1", new double[] {1, 10, 100}, new double[] {0.9, 0.5, 0.2})));
  }

  @Test
  void svgHasTitleLabelsSeriesAndLegendWithEscapedText() {
    String svg = ChartWriter.svg(sample(), 800, 500);
    assertTrue(svg.startsWith("<?xml"));
    assertTrue(svg.contains(">Miss ratio &lt;LRU &amp; co&gt;</text>"), svg);
    assertTrue(svg.contains(">capacity (entries)</text>"));
    assertTrue(svg.contains("rotate(-90"), "vertical y label");
    assertTrue(svg.contains(">layer 0</text>") && svg.contains(">layer 1</text>"), "legend");
    // the line has its 4 points; the step series 3 points plus 2 risers
    Matcher m = Pattern.compile("<polyline[^>]*points=\"([^\"]*)\"").matcher(svg);
    assertTrue(m.find());
    assertEquals(4, m.group(1).split(" ").length);
    assertTrue(m.find());
    assertEquals(5, m.group(1).split(" ").length);
    // log axis: decade ticks 1, 10, 100, 1000 (with 2 and 5 between, under three decades? no:
    // three decades here, so only powers of ten)
    assertTrue(svg.contains(">1000</text>") && svg.contains(">100</text>"));
    assertEquals(svg, ChartWriter.svg(sample(), 800, 500), "deterministic");
  }

  @Test
  void pngIsAnImageOfTheRequestedSizeWithTheBarsPainted() throws IOException {
    Chart bars = Charts.bars("Share", "value", "share", new double[] {1, 2, 3},
        new double[] {0.2, 0.5, 0.3});
    byte[] png = ChartWriter.png(bars, 400, 300);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(400, image.getWidth());
    assertEquals(300, image.getHeight());
    // the middle bar (x = 2, the centre of the plot) is painted in the first palette colour
    // just above the x axis
    int rgb = image.getRGB(72 + (400 - 72 - 24) / 2, 300 - 56 - 10) & 0xffffff;
    assertEquals(0x1f77b4, rgb, Integer.toHexString(rgb));
    assertArrayEquals(png, ChartWriter.png(bars, 400, 300), "deterministic");
  }

  @Test
  void writeCreatesSvgAndPng(@TempDir Path dir) throws IOException {
    ChartWriter.write(sample(), dir.resolve("mrc"));
    assertTrue(Files.readString(dir.resolve("mrc.svg")).contains("</svg>"));
    assertTrue(Files.size(dir.resolve("mrc.png")) > 1000);
  }

  @Test
  void tickLabelsAreCompact() {
    assertEquals("0", ChartWriter.label(0));
    assertEquals("0.25", ChartWriter.label(0.25));
    assertEquals("1500", ChartWriter.label(1500));
    assertEquals("20k", ChartWriter.label(20000));
    assertEquals("1.5M", ChartWriter.label(1.5e6));
    assertEquals("-3", ChartWriter.label(-3));
  }

  @Test
  void histogramAndCdfHelpers() {
    Chart h = Charts.histogram("h", "x", new double[] {0.05, 0.15, 0.15, 0.95, 2.0}, 10, 0, 1);
    double[] share = h.series().get(0).y();
    assertEquals(0.2, share[0], 1e-12);
    assertEquals(0.4, share[1], 1e-12);
    assertEquals(0.4, share[9], 1e-12, "values past the end go to the last bin");
    assertEquals(0.55, h.series().get(0).x()[5], 1e-12);

    double[] many = new double[10_000];
    for (int i = 0; i < many.length; i++) {
      many[i] = i;
    }
    Map<String, double[]> samples = new LinkedHashMap<>();
    samples.put("all", many);
    samples.put("few", new double[] {1, 2, 3, 4});
    Chart cdf = Charts.cdf("c", Axis.linear("x"), samples);
    Series all = cdf.series().get(0);
    assertEquals(Charts.MAX_CDF_POINTS, all.x().length);
    assertEquals(9999, all.x()[all.x().length - 1], 0);
    assertEquals(1.0, all.y()[all.y().length - 1], 0);
    assertEquals(5.0 / 10_000, all.y()[0], 1e-12);
    assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1}, cdf.series().get(1).y(), 1e-12);
  }
}
