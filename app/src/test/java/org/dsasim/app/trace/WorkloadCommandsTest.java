package org.dsasim.app.trace;

import static org.dsasim.app.Cli.run;
import static org.dsasim.app.trace.TraceCommandTest.usageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.dsasim.app.Cli;
import org.dsasim.workloads.analyze.Metric;
import org.dsasim.workloads.analyze.TraceAnalyzer;
import org.dsasim.workloads.analyze.TraceStatistics;
import org.dsasim.workloads.gen.GeneratorParams;
import org.dsasim.workloads.gen.GeneratorShape;
import org.dsasim.workloads.gen.Generators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dsasim trace gen}, {@code analyze} and {@code fit}, end to end through Main. */
class WorkloadCommandsTest {
  @TempDir Path dir;

  private static final String[] SHAPE = {
    "--steps", "120", "--layers", "3", "--seqs", "2", "--topk", "64", "--context", "2048"
  };

  private static String[] args(String[] head, String... tail) {
    String[] all = new String[head.length + SHAPE.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(SHAPE, 0, all, head.length, SHAPE.length);
    System.arraycopy(tail, 0, all, head.length + SHAPE.length, tail.length);
    return all;
  }

  private static Path preset() {
    return Path.of(System.getProperty("dsasim.repo.root", "."), "configs", "workloads",
        "paper-fitted.yaml");
  }

  private Path generate(String name, String... extra) {
    Path trace = dir.resolve(name);
    String[] head = {"trace", "gen", "--generator", "dsa", "--params", preset().toString()};
    String[] tail = new String[extra.length + 2];
    System.arraycopy(extra, 0, tail, 0, extra.length);
    tail[extra.length] = "-o";
    tail[extra.length + 1] = trace.toString();
    Cli.Result r = run(args(head, tail));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("wrote " + trace), r.out());
    return trace;
  }

  @Test
  void generatedTraceAnalyzesToWhatTheGeneratorMakes() throws IOException {
    Path trace = generate("p.dsat", "--seed", "5");
    Path json = dir.resolve("stats.json");
    Path plots = dir.resolve("plots");
    Cli.Result r = run("trace", "analyze", trace.toString(), "--json", "-o",
        json.toString(), "--plots", plots.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    // the same statistics as analyzing the generator directly: the file kept every index
    GeneratorShape shape = new GeneratorShape(120, 3, 2, 64, 2048, 5);
    TraceStatistics direct = TraceAnalyzer.analyze(
        Generators.create("dsa", shape, GeneratorParams.load(preset())), true);
    for (Metric m : Metric.values()) {
      assertEquals(direct.overall().mean(m), root.path("overall").path(m.key()).path("mean")
          .asDouble(), 1e-12, m.key());
    }
    assertEquals(direct.reuse().accesses(), root.path("reuse").path("accesses").asLong());
    assertTrue(Files.exists(plots.resolve("miss_ratio_curve.png")));
    assertTrue(Files.exists(plots.resolve("new_fraction_cdf.svg")));

    Cli.Result text = run("trace", "analyze", trace.toString(), "--no-reuse");
    assertEquals(0, text.code(), text.err());
    assertTrue(text.out().contains("working_set_50"), text.out());
    assertTrue(!text.out().contains("LRU miss ratio"), "--no-reuse skips the profile");
  }

  @Test
  void fittedParametersRegenerateTheTrace() throws IOException {
    Path trace = generate("original.dsat");
    Path params = dir.resolve("fitted.yaml");
    Cli.Result fit = run("trace", "fit", trace.toString(), "--max-simulations", "20",
        "-o", params.toString());
    assertEquals(0, fit.code(), fit.err());
    assertTrue(Files.readString(params).startsWith("# dsa generator parameters fitted"));
    Path again = dir.resolve("again.dsat");
    Cli.Result gen = run(args(new String[] {"trace", "gen", "--generator", "dsa",
        "--params", params.toString()}, "--seed", "9", "-o", again.toString()));
    assertEquals(0, gen.code(), gen.err());
    TraceStatistics a = analyze(trace);
    TraceStatistics b = analyze(again);
    for (Metric m : List.of(Metric.NEW_FRACTION, Metric.PERSISTENCE, Metric.WORKING_SET_50,
        Metric.INTER_LAYER_OVERLAP)) {
      double expected = a.overall().mean(m);
      assertEquals(expected, b.overall().mean(m), 0.1 * expected, m.key());
    }
  }

  private static TraceStatistics analyze(Path trace) throws IOException {
    try (var src = org.dsasim.workloads.trace.Traces.open(trace)) {
      return TraceAnalyzer.analyze(src, false);
    }
  }

  @Test
  void thePaperPresetIsWhatItsHeaderCommandProduces() throws IOException {
    // the command quoted at the top of configs/workloads/paper-fitted.yaml
    Path out = dir.resolve("paper.yaml");
    Cli.Result r = run("trace", "fit", "--target",
        "new_fraction=0.55,new_fraction_p95=0.90,inter_layer_overlap=0.36,working_set_50=5.15,"
            + "reselection_distance=3.29,page_utilization_64=0.35",
        "--steps", "200", "--layers", "4", "--seqs", "2", "--topk", "2048", "--context", "65536",
        "--seed", "1", "-o", out.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(parameterLines(preset()), parameterLines(out));
  }

  private static List<String> parameterLines(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> !l.startsWith("#"))
        .collect(Collectors.toList());
  }

  @Test
  void mistakesGiveOneLineAndExitTwo() throws IOException {
    String out = dir.resolve("x.dsat").toString();
    assertTrue(usageError(args(new String[] {"trace", "gen", "--generator", "dsaa"}, "-o", out))
        .contains("did you mean 'dsa'"));
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "retention: 0.5\nlookback_maxx: 3\n");
    assertTrue(usageError(args(new String[] {"trace", "gen", "--generator", "dsa", "--params",
        bad.toString()}, "-o", out)).contains(bad + ":2: unknown parameter 'lookback_maxx'"));
    assertTrue(usageError("trace", "fit", "-o", out).contains("either a trace FILE or --target"));
    assertTrue(usageError("trace", "fit", "--target", "new_fraction=0.5", "-o", out)
        .contains("--target needs --steps"));
    assertTrue(usageError(args(new String[] {"trace", "fit", "--target", "persistence=2"}, "-o",
        out)).contains("follows from new_fraction"));
    assertTrue(usageError("trace", "analyze", dir.resolve("missing.dsat").toString())
        .contains("missing.dsat"));
    assertTrue(usageError(args(new String[] {"trace", "gen", "--generator", "uniform"}, "--seed",
        "1")).contains("--output"));
  }
}
