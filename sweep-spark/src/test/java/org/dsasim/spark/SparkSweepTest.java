package org.dsasim.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dsasim.app.sweep.SpecPointRunnerFactory;
import org.dsasim.app.sweep.Progress;
import org.dsasim.app.sweep.SweepRunner;
import org.dsasim.app.sweep.SweepSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke study on Spark with two local executors, simulated by the same point runner as
 * {@code dsasim sweep}: the same table and the same per-point files as a local sweep.
 */
class SparkSweepTest {
  static final Path SMOKE =
      Path.of(System.getProperty("dsasim.repo.root"), "configs", "studies", "smoke.yaml");

  @TempDir Path dir;

  @Test
  void localTwoExecutorsGiveTheSameResultsAsALocalSweep() throws IOException {
    Path sparkOut = dir.resolve("spark");
    SweepRunner.Summary s = SparkSweep.run(SMOKE, Files.readString(SMOKE), sparkOut, "local[2]",
        SpecPointRunnerFactory.class.getName(), false,
        new PrintStream(OutputStream.nullOutputStream()));
    assertEquals(4, s.ran());
    assertEquals(0, s.failed());

    Path localOut = dir.resolve("local");
    SweepSpec spec = SweepSpec.load(SMOKE);
    new SweepRunner(spec, localOut, new SpecPointRunnerFactory().create(spec), 2, false,
        Progress.silent()).run();
    assertEquals(Files.readString(localOut.resolve("points.csv")),
        Files.readString(sparkOut.resolve("points.csv")));
    assertEquals(Files.readString(localOut.resolve("points.json")),
        Files.readString(sparkOut.resolve("points.json")));
    assertTrue(Files.readString(sparkOut.resolve("points.csv")).contains("p0003,60MiB,0.25,ok,"));
    for (String f : new String[] {"step_latency_ns.hlog", "gather_latency_ns.hlog",
        "summary.json", "config.yaml", "result.json"}) {
      assertTrue(Files.isRegularFile(sparkOut.resolve("points/p0003").resolve(f)), f);
    }
    assertEquals(Files.readString(localOut.resolve("points/p0002/step_latency_ns.hlog")),
        Files.readString(sparkOut.resolve("points/p0002/step_latency_ns.hlog")));
  }
}
