package org.dsasim.app.errors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.dsasim.app.Cli;
import org.dsasim.app.report.Report;
import org.dsasim.core.io.AtomicFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dsasim run} in a child JVM killed (SIGKILL) at several moments, including the moment its
 * first output appears: every result file left is complete (identical to an uninterrupted run's),
 * {@code summary.json} is there only with the whole set, temporary files are hidden, and running
 * again into the same folder gives the full result.
 */
class KilledRunTest {
  private static final List<String> RUN = List.of("run",
      "--set", "sim.warmup.steps=1", "--set", "sim.stop.steps=3", "--set", "decode.batch=1",
      "--set", "decode.context=1024", "--set", "model.layers=2", "--set", "model.layers_per_gpu=2",
      "--set", "model.dense_layers=1", "--set", "model.topk=64");
  private static final List<String> RESULTS =
      List.of("config.yaml", "gather_latency_ns.hlog", "step_latency_ns.hlog", "summary.json");
  /** The report, written after the results (its page last, after its plots). */
  private static final List<String> REPORT = List.of(Report.PAGE, Report.PLOTS);
  /** Values that depend on the wall clock rather than the simulation. */
  private static final Set<String> WALL_CLOCK_KEYS =
      Set.of("wall_time_s", "simulated_entries_per_wall_s");

  @TempDir static Path dir;
  private static Path reference;

  @BeforeAll
  static void uninterruptedRun() {
    reference = dir.resolve("reference");
    Cli.Result r = Cli.run(args(reference));
    assertEquals(0, r.code(), r.err());
    assertEquals(everything(), visibleFiles(reference));
  }

  /** The names of a complete run's folder: its results and its report. */
  private static Set<String> everything() {
    Set<String> all = new TreeSet<>(RESULTS);
    all.addAll(REPORT);
    return all;
  }

  private static String[] args(Path out) {
    List<String> a = new ArrayList<>(RUN);
    a.add("--out");
    a.add(out.toString());
    return a.toArray(String[]::new);
  }

  /**
   * Kill moments: a delay in milliseconds after the start, or -1 to kill as soon as anything
   * appears in the output folder and -2 as soon as the first result file is complete.
   */
  @ParameterizedTest(name = "killed at {0}")
  @ValueSource(ints = {-1, -2, 400, 1500})
  void aKilledRunLeavesOnlyCompleteFiles(int moment) throws Exception {
    Path out = dir.resolve("killed" + moment);
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "org.dsasim.app.Main"));
    command.addAll(List.of(args(out)));
    Process child = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      if (moment >= 0) {
        child.waitFor(moment, TimeUnit.MILLISECONDS);
      } else {
        Predicate<Path> trigger = moment == -1 ? p -> true
            : p -> !p.getFileName().toString().startsWith(".");
        while (child.isAlive() && !anyFile(out, trigger)) {
          Thread.sleep(1);
        }
      }
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die");
    }

    Set<String> left = visibleFiles(out);
    for (String name : left) {
      if (RESULTS.contains(name)) {
        assertComplete(out.resolve(name), reference.resolve(name));
      }
    }
    if (left.contains("summary.json") || left.contains(Report.PAGE)) {
      assertTrue(left.containsAll(RESULTS), "summary.json or a report without the whole set");
    }
    try (Stream<Path> all = Files.exists(out) ? Files.list(out) : Stream.empty()) {
      for (Path p : all.toList()) {
        String name = p.getFileName().toString();
        assertTrue(RESULTS.contains(name) || REPORT.contains(name)
            || (name.startsWith(".") && name.endsWith(AtomicFiles.TEMP_SUFFIX)),
            "unexpected file " + name);
      }
    }

    Cli.Result again = Cli.run(args(out));
    assertEquals(0, again.code(), again.err());
    assertEquals(everything(), visibleFiles(out));
    for (String name : RESULTS) {
      assertComplete(out.resolve(name), reference.resolve(name));
    }
  }

  /** The file equals the uninterrupted run's, up to wall-clock values in the summary. */
  private static void assertComplete(Path file, Path expected) throws IOException {
    if (file.getFileName().toString().endsWith(".json")) {
      ObjectMapper json = new ObjectMapper();
      JsonNode actual = json.readTree(file.toFile());
      JsonNode wanted = json.readTree(expected.toFile());
      assertEquals(withoutWallClock(wanted), withoutWallClock(actual), file.toString());
    } else {
      assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(file), file.toString());
    }
  }

  private static JsonNode withoutWallClock(JsonNode node) {
    JsonNode copy = node.deepCopy();
    if (copy.isObject()) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(WALL_CLOCK_KEYS);
    }
    return copy;
  }

  private static boolean anyFile(Path folder, Predicate<Path> which) throws IOException {
    if (!Files.isDirectory(folder)) {
      return false;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.anyMatch(which);
    }
  }

  private static Set<String> visibleFiles(Path folder) {
    Set<String> names = new TreeSet<>();
    if (Files.isDirectory(folder)) {
      try (Stream<Path> files = Files.list(folder)) {
        files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
            .forEach(names::add);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return names;
  }
}
