package org.dsasim.workloads.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DsatRoundTripTest {
  @TempDir Path dir;

  static void write(Path file, TraceHeader h, List<StepSelection> steps, int blockTarget)
      throws IOException {
    try (DsatWriter w = DsatWriter.create(file, h, blockTarget, DsatWriter.DEFAULT_ZSTD_LEVEL)) {
      for (StepSelection s : steps) {
        w.write(s);
      }
    }
  }

  static void assertReadsBack(Path file, TraceHeader h, List<StepSelection> steps)
      throws IOException {
    try (TraceSource r = Traces.open(file)) {
      assertEquals(h.withSteps(steps.size()), r.header());
      StepSelection got = StepSelection.forHeader(r.header());
      for (StepSelection want : steps) {
        assertTrue(r.next(got), "step " + want.step());
        assertTrue(want.sameAs(got), "step " + want.step() + " differs");
      }
      assertFalse(r.next(got));
      assertFalse(r.next(got), "stays at the end");
    }
  }

  @Test
  void randomTracesRoundTrip() throws IOException {
    for (int seed = 0; seed < 40; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      TraceHeader h = RandomTraces.header(rnd, rnd.nextInt(4) == 0 ? -1 : rnd.nextInt(40));
      List<StepSelection> steps = RandomTraces.steps(rnd, h.steps() < 0 ? h.withSteps(25) : h);
      int blockTarget = rnd.nextBoolean() ? 1 + rnd.nextInt(4096) : 1 << 20;
      Path file = dir.resolve("t" + seed + ".dsat");
      write(file, h, steps, blockTarget);
      assertReadsBack(file, h, steps);
    }
  }

  @Test
  void smallBlocksMakeManyBlocksAndTheReaderReportsThem() throws IOException {
    SplittableRandom rnd = new SplittableRandom(7);
    TraceHeader h = new TraceHeader("m", 3, 2, 64, 656, 132, 64, 100, 50, Map.of());
    List<StepSelection> steps = RandomTraces.steps(rnd, h);
    Path file = dir.resolve("b.dsat");
    write(file, h, steps, 200);
    long indices = steps.stream().mapToLong(RandomTraces::indices).sum();
    try (DsatReader r = DsatReader.open(file)) {
      assertTrue(r.blocks() > 10, "blocks " + r.blocks());
      assertEquals(indices, r.totalIndices());
      assertEquals(Files.size(file), r.fileSize());
      StepSelection s = StepSelection.forHeader(r.header());
      while (r.next(s)) {
        // drain
      }
      assertEquals(indices, r.indicesRead());
    }
    assertReadsBack(file, h, steps);
  }

  @Test
  void sameInputGivesIdenticalBytes() throws IOException {
    SplittableRandom rnd = new SplittableRandom(3);
    TraceHeader h = RandomTraces.header(rnd, 30);
    List<StepSelection> steps = RandomTraces.steps(rnd, h);
    write(dir.resolve("a.dsat"), h, steps, 1000);
    write(dir.resolve("b.dsat"), h, steps, 1000);
    assertArrayEquals(Files.readAllBytes(dir.resolve("a.dsat")),
        Files.readAllBytes(dir.resolve("b.dsat")));
  }

  @Test
  void factoryCreateWritesADsatTrace() throws IOException {
    SplittableRandom rnd = new SplittableRandom(11);
    TraceHeader h = RandomTraces.header(rnd, 12);
    List<StepSelection> steps = RandomTraces.steps(rnd, h);
    Path file = dir.resolve("sub/dir/f.dsat");
    try (TraceSink sink = Traces.create(file, h)) {
      for (StepSelection s : steps) {
        sink.write(s);
      }
      assertFalse(Files.exists(file), "appears only when closed");
    }
    assertReadsBack(file, h, steps);
    assertEquals(Traces.Format.DSAT, Traces.formatOf(file));
  }

  @Test
  void emptyTraceAndEmptyRows() throws IOException {
    TraceHeader h = new TraceHeader("empty", 2, 2, 4, 1, 0, 1, 0, -1, Map.of());
    Path none = dir.resolve("none.dsat");
    write(none, h, List.of(), 1 << 20);
    assertReadsBack(none, h, List.of());

    StepSelection s = StepSelection.forHeader(h);
    s.setStep(0);
    Path zeros = dir.resolve("zeros.dsat");
    write(zeros, h, List.of(s), 1 << 20);
    assertReadsBack(zeros, h, List.of(s));
  }

  @Test
  void writerRejectsBadStepsAndPublishesNothing() throws IOException {
    TraceHeader h = new TraceHeader("m", 1, 1, 4, 656, 132, 64, 0, -1, Map.of());
    Path file = dir.resolve("bad.dsat");
    Files.writeString(file, "previous content");

    StepSelection s = StepSelection.forHeader(h);
    s.setContextLen(0, 10);
    s.set(0, 0, new int[] {3, 10}, 0, 2);
    s.setStep(0);
    DsatWriter w = DsatWriter.create(file, h);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.write(s));
    assertTrue(e.getMessage().contains("index 10 outside [0, context length 10)"), e.getMessage());
    w.close();
    assertEquals("previous content", Files.readString(file));
    assertOnlyFile(file);

    s.set(0, 0, new int[] {3}, 0, 1);
    s.setStep(1);
    DsatWriter w2 = DsatWriter.create(file, h);
    e = assertThrows(IllegalArgumentException.class, () -> w2.write(s));
    assertTrue(e.getMessage().contains("step number 1 written where step 0"), e.getMessage());
    w2.close();

    StepSelection wrongShape = new StepSelection(2, 1, 4);
    DsatWriter w3 = DsatWriter.create(file, h);
    assertThrows(IllegalArgumentException.class, () -> w3.write(wrongShape));
    w3.close();
    assertEquals("previous content", Files.readString(file));
    assertOnlyFile(file);
  }

  @Test
  void announcedStepCountMustBeMet() throws IOException {
    TraceHeader h = new TraceHeader("m", 1, 1, 4, 656, 132, 64, 0, 3, Map.of());
    Path file = dir.resolve("short.dsat");
    DsatWriter w = DsatWriter.create(file, h);
    StepSelection s = StepSelection.forHeader(h);
    s.setStep(0);
    w.write(s);
    IllegalStateException e = assertThrows(IllegalStateException.class, w::close);
    assertTrue(e.getMessage().contains("announced 3 steps but 1 were written"), e.getMessage());
    assertFalse(Files.exists(file));
    assertOnlyFile(null);
  }

  @Test
  void abortLeavesNothing() throws IOException {
    SplittableRandom rnd = new SplittableRandom(5);
    TraceHeader h = RandomTraces.header(rnd, -1);
    Path file = dir.resolve("aborted.dsat");
    DsatWriter w = DsatWriter.create(file, h, 100, 3);
    for (StepSelection s : RandomTraces.steps(rnd, h.withSteps(20))) {
      w.write(s);
    }
    w.abort();
    w.close();
    assertFalse(Files.exists(file));
    assertOnlyFile(null);
  }

  @Test
  void unwritableTargetIsAUserError() throws IOException {
    Path blocker = dir.resolve("file");
    Files.writeString(blocker, "x");
    TraceHeader h = new TraceHeader("m", 1, 1, 4, 656, 132, 64, 0, -1, Map.of());
    var e = assertThrows(org.dsasim.core.UserInputException.class,
        () -> Traces.create(blocker.resolve("t.dsat"), h));
    assertTrue(e.getMessage().contains("cannot write " + blocker.resolve("t.dsat")),
        e.getMessage());
  }

  /** Asserts that {@code dir} holds at most {@code expected}: no temporary files left behind. */
  private void assertOnlyFile(Path expected) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> left = files.toList();
      assertEquals(expected == null ? List.of() : List.of(expected), left);
    }
  }
}
