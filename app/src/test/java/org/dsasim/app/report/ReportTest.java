package org.dsasim.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dsasim.app.Main;
import org.dsasim.core.UserInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dsasim report} on a real small run and on a small sweep table built here. */
class ReportTest {
  @TempDir static Path dir;
  static Path runDir;

  /** One small real run, shared by the tests (its report is written by the run itself). */
  @BeforeAll
  static void smallRun() {
    runDir = dir.resolve("run");
    assertEquals(0, cli("run", "--out", runDir.toString(), "--set", "model.layers_per_gpu=2",
        "--set", "model.topk=128", "--set", "decode.batch=2", "--set", "decode.context=2048",
        "--set", "sim.warmup.steps=1", "--set", "sim.stop.steps=3", "--set",
        "fastmem.llc.reservation=4MiB"));
  }

  private static int cli(String... args) {
    CommandLine cli = new CommandLine(new org.dsasim.app.DsasimCommand());
    StringWriter sink = new StringWriter();
    cli.setOut(new PrintWriter(sink));
    cli.setErr(new PrintWriter(sink));
    return cli.execute(args);
  }

  /** Every src/href of the page: relative, existing, and no URL anywhere in the page. */
  private static List<String> checkSelfContained(Path page) throws IOException {
    String html = Files.readString(page);
    assertFalse(html.contains("http://"), "http:// in " + page);
    assertFalse(html.contains("https://"), "https:// in " + page);
    Matcher m = Pattern.compile("(?:src|href)\\s*=\\s*\"([^\"]*)\"").matcher(html);
    List<String> refs = new ArrayList<>();
    while (m.find()) {
      String ref = m.group(1);
      assertFalse(ref.startsWith("//") || ref.contains(":"), "not a relative path: " + ref);
      assertTrue(Files.isRegularFile(page.resolveSibling(ref)), "missing " + ref);
      assertTrue(Files.size(page.resolveSibling(ref)) > 0, "empty " + ref);
      refs.add(ref);
    }
    assertFalse(Pattern.compile("<(script|link|iframe|object)", Pattern.CASE_INSENSITIVE)
        .matcher(html).find(), "external resource element in " + page);
    return refs;
  }

  @Test
  void runFolderReportIsWrittenByRunAndIsSelfContained() throws IOException {
    Path page = runDir.resolve(Report.PAGE);
    assertTrue(Files.isRegularFile(page), "run writes its report");
    Files.delete(page);
    assertEquals(0, cli("report", runDir.toString()));
    List<String> refs = checkSelfContained(page);
    for (String plot : new String[] {"step_cdf", "gather_cdf", "phases", "stalls", "bytes"}) {
      assertTrue(refs.contains(Report.PLOTS + "/" + plot + ".png"), plot + " in " + refs);
      assertTrue(refs.contains(Report.PLOTS + "/" + plot + ".svg"), plot + " in " + refs);
    }
    String html = Files.readString(page);
    assertTrue(html.contains("decode.batch: 2"), "the configuration is on the page");
  }

  @Test
  void sweepFolderReportHasHeatmapsLinesAndEveryPointsConfig() throws IOException {
    Path sweep = dir.resolve("sweep");
    Files.createDirectories(sweep);
    String[] sizes = {"32MiB", "64MiB"};
    String[] ratios = {"0", "0.5"};
    StringBuilder csv = new StringBuilder(
        "id,fastmem.llc.capacity,reservation_ratio,status,tokens_per_s,llc_hit_rate.reserved,"
            + "llc_hit_rate.shared,decode_step_us.p50,error\n");
    int id = 0;
    for (String ratio : ratios) {
      for (String size : sizes) {
        String pid = "p" + id;
        Path pd = sweep.resolve("points").resolve(pid);
        Files.createDirectories(pd);
        for (String f : new String[] {"summary.json", "step_latency_ns.hlog", "config.yaml"}) {
          Files.copy(runDir.resolve(f), pd.resolve(f));
        }
        Files.writeString(pd.resolve("config.yaml"),
            "fastmem.llc.capacity: " + size + "\npoint.ratio: " + ratio + "\n",
            java.nio.file.StandardOpenOption.APPEND);
        double tokens = 1000 + 100 * id;
        csv.append(pid).append(',').append(size).append(',').append(ratio).append(",ok,")
            .append(tokens).append(",0.").append(id).append(",0.1,").append(4000 - id)
            .append(",\n");
        id++;
      }
    }
    csv.append("p4,128MiB,\"0,9\",failed,,,,,\"boom, \"\"quoted\"\"\"\n");
    Files.writeString(sweep.resolve("points.csv"), csv.toString());

    Path page = Report.write(sweep);
    List<String> refs = checkSelfContained(page);
    for (String plot : new String[] {"heatmap_tokens_per_s", "lines_tokens_per_s",
        "heatmap_llc_hit_rate_reserved", "step_cdf", "stalls", "bytes"}) {
      assertTrue(refs.contains(Report.PLOTS + "/" + plot + ".png"), plot + " in " + refs);
    }
    String html = Files.readString(page);
    assertTrue(html.contains("boom, &quot;quoted&quot;"), "the failed point's error is shown");
    assertTrue(html.contains("4 finished, 1 failed"));
    // the keys shared by every point once, each point's own keys (capacity, ratio) per point
    assertTrue(html.contains("# point p3\nfastmem.llc.capacity: 64MiB\npoint.ratio: 0.5\n"), html);
    String heatmap = Files.readString(sweep.resolve(Report.PLOTS)
        .resolve("heatmap_tokens_per_s.svg"));
    for (int i = 0; i < 4; i++) {
      assertTrue(heatmap.contains(">" + (1000 + 100 * i) + "</text>"), "cell " + i);
    }
  }

  @Test
  void aSizeAxisGoesAcrossBeforeAnAxisOfPolicyNames() throws IOException {
    Path sweep = dir.resolve("policies");
    Files.createDirectories(sweep);
    StringBuilder csv = new StringBuilder("id,fastmem.llc.reservation_admission,"
        + "fastmem.llc.reservation,status,tokens_per_s,error\n");
    int id = 0;
    for (String admission : new String[] {"all", "second-touch"}) {
      for (String size : new String[] {"5MB", "10MB", "20MB"}) {
        csv.append("p").append(id).append(',').append(admission).append(',').append(size)
            .append(",ok,").append(1000 + id).append(",\n");
        id++;
      }
    }
    Files.writeString(sweep.resolve("points.csv"), csv.toString());
    String html = Files.readString(Report.write(sweep));
    assertTrue(html.contains("tokens per second over fastmem.llc.reservation x"
        + " fastmem.llc.reservation_admission"), html);
  }

  @Test
  void heatmapCellsSitWhereTheirAxisValuesAre() {
    Heatmap h = new Heatmap("t", "x", "y", List.of("a", "b"), List.of("lo", "hi"),
        new double[][] {{1, 2}, {3, Double.NaN}});
    String svg = h.svg();
    // row 0 is drawn at the bottom: the cell "1" sits below the cell "3"
    assertTrue(yOf(svg, ">1</text>") > yOf(svg, ">3</text>"));
    assertTrue(xOf(svg, ">1</text>") < xOf(svg, ">2</text>"));
    assertTrue(svg.contains(">-</text>"), "an empty cell is marked");
    assertEquals(0x440154, Heatmap.colour(0));
    assertEquals(0xfde725, Heatmap.colour(1));
    assertTrue(h.png().length > 0);
  }

  private static double attr(String svg, String marker, String name) {
    int end = svg.indexOf(marker);
    int start = svg.lastIndexOf("<text", end);
    Matcher m = Pattern.compile(name + "=\"([0-9.]+)\"").matcher(svg.substring(start, end));
    assertTrue(m.find());
    return Double.parseDouble(m.group(1));
  }

  private static double yOf(String svg, String marker) {
    return attr(svg, marker, "y");
  }

  private static double xOf(String svg, String marker) {
    return attr(svg, marker, "x");
  }

  @Test
  void csvQuotingAndBadInput() throws IOException {
    List<List<String>> rows = PointsTable.parse(Path.of("t.csv"),
        "a,b\n\"x,1\",\"say \"\"hi\"\"\nthere\"\r\n");
    assertEquals(List.of(List.of("a", "b"), List.of("x,1", "say \"hi\"\nthere")), rows);
    UserInputException open = assertThrows(UserInputException.class,
        () -> PointsTable.parse(Path.of("t.csv"), "a,b\n1,\"open\n"));
    assertTrue(open.getMessage().contains("t.csv: line 2"), open.getMessage());

    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("points.csv"), "point,x\n1,2\n");
    UserInputException header = assertThrows(UserInputException.class, () -> Report.write(bad));
    assertTrue(header.getMessage().contains("points.csv: line 1"), header.getMessage());
    Path empty = dir.resolve("empty");
    Files.createDirectories(empty);
    assertEquals(Main.EXIT_USAGE, Main.run("report", empty.toString()));
  }
}
