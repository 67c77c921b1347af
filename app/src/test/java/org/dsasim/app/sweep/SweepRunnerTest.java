package org.dsasim.app.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.dsasim.core.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepRunnerTest {
  @TempDir Path dir;

  /** A stand-in simulation: metrics are a pure function of the point's settings. */
  static Map<String, Object> fakeMetrics(SweepPoint p) {
    long h = 1125899906842597L;
    for (Map.Entry<String, String> e : p.settings().entrySet()) {
      h = 31 * h + e.getKey().hashCode();
      h = 31 * h + e.getValue().hashCode();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tokens_per_s", (h >>> 11) * 0x1.0p-53 * 1e5);
    m.put("hash", h);
    return m;
  }

  private SweepSpec spec() throws IOException {
    Path f = dir.resolve("s.yaml");
    Files.writeString(f, """
        axes:
          - {key: llc.capacity, values: [30MiB, 60MiB, 90MiB]}
          - {key: llc.reservation.ratio, values: [0, 0.25]}
        seeds: [1, 2]
        """);
    return SweepSpec.load(f);
  }

  @Test
  void tableIsIdenticalWhateverTheParallelism() throws IOException {
    SweepSpec s = spec();
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    new SweepRunner(s, a, (p, d) -> fakeMetrics(p), 1, false, Progress.silent()).run();
    SweepRunner.Summary sum =
        new SweepRunner(s, b, (p, d) -> fakeMetrics(p), 4, false, Progress.silent()).run();
    assertEquals(12, sum.total());
    assertEquals(12, sum.ran());
    assertEquals(Files.readString(a.resolve("points.csv")), Files.readString(b.resolve("points.csv")));
    assertEquals(Files.readString(a.resolve("points.json")), Files.readString(b.resolve("points.json")));
    String[] lines = Files.readString(a.resolve("points.csv")).split("\n");
    assertEquals("id,llc.capacity,llc.reservation.ratio,seed,status,tokens_per_s,hash,error", lines[0]);
    assertEquals(13, lines.length);
    assertTrue(lines[1].startsWith("p0000,30MiB,0,1,ok,"), lines[1]);
  }

  @Test
  void compareColumnsDivideTheBaselinePointsMetricByEachPoints() throws IOException {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, """
        axes:
          - {key: llc.capacity, values: [30MiB, 60MiB]}
          - {key: llc.reservation.ratio, values: [0, 0.25, 0.5]}
        seeds: [1, 2]
        compare: {axis: llc.reservation.ratio, baseline: 0, metrics: [tokens_per_s, absent]}
        """);
    SweepSpec s = SweepSpec.load(f);
    Path out = dir.resolve("c");
    new SweepRunner(s, out, (p, d) -> fakeMetrics(p), 2, false, Progress.silent()).run();
    String[] lines = Files.readString(out.resolve("points.csv")).split("\n");
    assertEquals("id,llc.capacity,llc.reservation.ratio,seed,status,tokens_per_s,hash,"
        + "speedup.tokens_per_s,speedup.absent,error", lines[0]);
    // independently: each row's baseline is the row of the same capacity and seed at ratio 0
    Map<String, Double> baseline = new LinkedHashMap<>();
    for (SweepPoint p : s.points()) {
      if (p.overrides().get("llc.reservation.ratio").equals("0")) {
        baseline.put(p.overrides().get("llc.capacity") + "/" + p.seed(),
            (Double) fakeMetrics(p).get("tokens_per_s"));
      }
    }
    for (SweepPoint p : s.points()) {
      String[] cells = lines[1 + p.index()].split(",", -1);
      double expected = baseline.get(p.overrides().get("llc.capacity") + "/" + p.seed())
          / (Double) fakeMetrics(p).get("tokens_per_s");
      assertEquals(expected, Double.parseDouble(cells[7]), 1e-12, lines[1 + p.index()]);
      assertEquals("", cells[8], "a metric no point has gives an empty cell");
    }
  }

  @Test
  void resumingWithACompareBlockAddedKeepsThePointsAndRecordsItForCollect() throws IOException {
    Path f = dir.resolve("r.yaml");
    String axes = "axes:\n  - {key: llc.reservation.ratio, values: [0, 0.5]}\n";
    Files.writeString(f, axes);
    Path out = dir.resolve("r");
    new SweepRunner(SweepSpec.load(f), out, (p, d) -> fakeMetrics(p), 1, false,
        Progress.silent()).run();
    Files.writeString(f, axes + "compare: {axis: llc.reservation.ratio, baseline: 0,"
        + " metrics: [tokens_per_s]}\n");
    SweepRunner.Summary s = new SweepRunner(SweepSpec.load(f), out, (p, d) -> fakeMetrics(p), 1,
        true, Progress.silent()).run();
    assertEquals(0, s.ran(), "no point runs again");
    assertTrue(Files.readString(out.resolve("sweep.json")).contains("\"compare\""));
    assertTrue(Files.readString(out.resolve("points.csv")).contains("speedup.tokens_per_s"));
  }

  @Test
  void aFailingPointIsRecordedAndTheSweepGoesOn() throws IOException {
    SweepSpec s = spec();
    SweepRunner.Summary sum = new SweepRunner(s, dir.resolve("o"), (p, d) -> {
      if (p.index() == 3) {
        throw new UserInputException("llc.capacity: bad value at this point");
      }
      return fakeMetrics(p);
    }, 2, false, Progress.silent()).run();
    assertEquals(1, sum.failed());
    String csv = Files.readString(dir.resolve("o/points.csv"));
    assertTrue(csv.contains("p0003,30MiB,0.25,2,failed,,,llc.capacity: bad value at this point"), csv);
  }

  @Test
  void resumeRunsOnlyWhatIsMissingOrFailed() throws IOException {
    SweepSpec s = spec();
    Path o = dir.resolve("o");
    AtomicInteger calls = new AtomicInteger();
    new SweepRunner(s, o, (p, d) -> {
      calls.incrementAndGet();
      if (p.index() % 4 == 1) {
        throw new IllegalStateException("transient");
      }
      return fakeMetrics(p);
    }, 2, false, Progress.silent()).run();
    assertEquals(12, calls.get());
    // without --resume an existing sweep folder is refused
    UserInputException e = assertThrows(UserInputException.class,
        () -> new SweepRunner(s, o, (p, d) -> fakeMetrics(p), 1, false, Progress.silent()).run());
    assertTrue(e.getMessage().contains("--resume"), e.getMessage());
    calls.set(0);
    SweepRunner.Summary sum = new SweepRunner(s, o, (p, d) -> {
      calls.incrementAndGet();
      return fakeMetrics(p);
    }, 2, true, Progress.silent()).run();
    assertEquals(3, calls.get());
    assertEquals(9, sum.alreadyDone());
    Path ref = dir.resolve("ref");
    new SweepRunner(s, ref, (p, d) -> fakeMetrics(p), 1, false, Progress.silent()).run();
    assertEquals(Files.readString(ref.resolve("points.csv")), Files.readString(o.resolve("points.csv")));
    assertFalse(Files.readString(o.resolve("points.csv")).contains("failed"));
  }

  /**
   * Point records are not flushed to disk one by one; what a power failure can leave of one (an
   * empty or cut file) must make its point run again on resume, and nothing else.
   */
  @Test
  void resumeRerunsPointsWhoseRecordIsEmptyOrCut() throws IOException {
    SweepSpec s = spec();
    Path out = dir.resolve("o");
    new SweepRunner(s, out, (p, d) -> fakeMetrics(p), 1, false, Progress.silent()).run();
    String table = Files.readString(out.resolve("points.csv"));
    Path empty = out.resolve("points/p0002/" + SweepRunner.RESULT_FILE);
    Path cut = out.resolve("points/p0007/" + SweepRunner.RESULT_FILE);
    Files.writeString(empty, "");
    String whole = Files.readString(cut);
    Files.writeString(cut, whole.substring(0, whole.length() / 2));
    AtomicInteger ran = new AtomicInteger();
    SweepRunner.Summary sum = new SweepRunner(s, out, (p, d) -> {
      ran.incrementAndGet();
      assertTrue(p.id().equals("p0002") || p.id().equals("p0007"), p.id());
      return fakeMetrics(p);
    }, 2, true, Progress.silent()).run();
    assertEquals(2, ran.get());
    assertEquals(10, sum.alreadyDone());
    assertEquals(table, Files.readString(out.resolve("points.csv")));
  }

  @Test
  void resumeRefusesAChangedSpec() throws IOException {
    Path o = dir.resolve("o");
    new SweepRunner(spec(), o, (p, d) -> fakeMetrics(p), 1, false, Progress.silent()).run();
    Path f = dir.resolve("s2.yaml");
    Files.writeString(f, "axes: [{key: llc.capacity, values: [1MiB]}]\n");
    UserInputException e = assertThrows(UserInputException.class, () -> new SweepRunner(
        SweepSpec.load(f), o, (p, d) -> fakeMetrics(p), 1, true, Progress.silent()).run());
    assertTrue(e.getMessage().contains("points differ"), e.getMessage());
  }
}
