package org.dsasim.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dsasim.app.sweep.PointRunnerFactory;
import org.dsasim.app.sweep.Progress;
import org.dsasim.app.sweep.SweepRunner;
import org.dsasim.app.sweep.SweepSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSweepTest {
  @TempDir Path dir;

  /** Metrics that depend only on the point's settings, as a simulation's do. */
  public static final class SettingsHashFactory implements PointRunnerFactory {
    @Override
    public SweepRunner.PointRunner create(SweepSpec spec) {
      return (p, d) -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("settings_hash", p.settings().toString().hashCode());
        m.put("worker_independent", p.index() * 1.5);
        Files.writeString(d.resolve("extra.txt"), p.id());
        return m;
      };
    }
  }

  @Test
  void localTwoWorkersGiveTheSameTableAsALocalSweep() throws IOException {
    Path specFile = dir.resolve("smoke.yaml");
    String text = """
        name: smoke
        axes:
          - {key: llc.capacity, values: [30MiB, 60MiB]}
          - {key: llc.reservation.ratio, values: [0, 0.25]}
        """;
    Files.writeString(specFile, text);
    Path sparkOut = dir.resolve("spark");
    SweepRunner.Summary s = SparkSweep.run(specFile, text, sparkOut, "local[2]",
        SettingsHashFactory.class.getName(), false,
        new PrintStream(java.io.OutputStream.nullOutputStream()));
    assertEquals(4, s.ran());
    assertEquals(0, s.failed());
    assertEquals("p0003", Files.readString(sparkOut.resolve("points/p0003/extra.txt")));

    Path localOut = dir.resolve("local");
    SweepSpec spec = SweepSpec.load(specFile);
    new SweepRunner(spec, localOut, new SettingsHashFactory().create(spec), 2, false,
        Progress.silent()).run();
    assertEquals(Files.readString(localOut.resolve("points.csv")),
        Files.readString(sparkOut.resolve("points.csv")));
  }
}
