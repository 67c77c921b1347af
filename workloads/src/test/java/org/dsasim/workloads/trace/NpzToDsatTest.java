package org.dsasim.workloads.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.dsasim.workloads.npz.NpzBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** npz -> dsat -> read gives exactly what the npz holds. */
class NpzToDsatTest {
  @TempDir Path dir;

  static void convert(Path in, Path out, TraceOverrides o) throws IOException {
    try (TraceSource src = Traces.open(in, o); TraceSink sink = Traces.create(out, src.header())) {
      Traces.copy(src, sink);
    }
  }

  /** Asserts both files hold the same header (but for the step count) and steps. */
  static long assertSameSteps(Path a, TraceOverrides oa, Path b) throws IOException {
    long steps = 0;
    try (TraceSource x = Traces.open(a, oa); TraceSource y = Traces.open(b)) {
      assertEquals(x.header(), y.header());
      StepSelection sx = StepSelection.forHeader(x.header());
      StepSelection sy = StepSelection.forHeader(y.header());
      while (x.next(sx)) {
        assertTrue(y.next(sy));
        assertTrue(sx.sameAs(sy), "step " + sx.step());
        steps++;
      }
      assertFalse(y.next(sy));
    }
    return steps;
  }

  /**
   * An archive laid out exactly as {@code workloads/tracer/tracer.py} writes it: int32 indices
   * [steps, layers, seqs, k] in rank order with -1 padding where the context is shorter than k,
   * int32 context_len [steps, seqs], int64 scalars and unicode strings.
   */
  @Test
  void tracerLayoutConvertsAndReadsBack() throws IOException {
    int steps = 20;
    int layers = 4;
    int seqs = 3;
    int k = 16;
    int prompt = 8;
    SplittableRandom rnd = new SplittableRandom(9);
    int[] idx = new int[steps * layers * seqs * k];
    int[] ctx = new int[steps * seqs];
    for (int t = 0; t < steps; t++) {
      for (int s = 0; s < seqs; s++) {
        int c = prompt + t + 1; // the tracer counts the token being decoded as cached
        ctx[t * seqs + s] = c;
        for (int l = 0; l < layers; l++) {
          int base = ((t * layers + l) * seqs + s) * k;
          int[] perm = rnd.ints(0, c).distinct().limit(Math.min(k, c)).toArray();
          for (int j = 0; j < k; j++) {
            idx[base + j] = j < perm.length ? perm[j] : -1;
          }
        }
      }
    }
    Path npz = dir.resolve("trace.indexer.npz");
    new NpzBuilder()
        .ints("indices", new long[] {steps, layers, seqs, k}, idx)
        .ints("context_len", new long[] {steps, seqs}, ctx)
        .scalar("entry_bytes", 256).scalar("index_key_bytes", 68).scalar("page_size", 64)
        .scalar("prompt_len", prompt).unicode("model", "random-llama")
        .unicode("selector", "indexer").scalar("indexer_heads", 4).scalar("indexer_dim", 16)
        .scalar("seed", 0)
        .write(npz, false);
    Path dsat = dir.resolve("trace.dsat");
    convert(npz, dsat, TraceOverrides.NONE);
    assertEquals(steps, assertSameSteps(npz, TraceOverrides.NONE, dsat));
    try (TraceSource r = Traces.open(dsat)) {
      assertEquals("indexer", r.header().metadata().get("selector"));
      assertEquals("array context_len", r.header().metadata().get("context_len_rule"));
      StepSelection s = StepSelection.forHeader(r.header());
      assertTrue(r.next(s));
      assertEquals(prompt + 1, s.count(0, 0), "rows shorter than k at the first step");
    }

    TraceOverrides cut = new TraceOverrides("renamed", 656, 132, 32, 5, null);
    Path dsat5 = dir.resolve("trace5.dsat");
    convert(npz, dsat5, cut);
    assertSameSteps(npz, cut, dsat5);
    // The dsat reader applies the same cut to a dsat input.
    Path again = dir.resolve("again.dsat");
    convert(dsat, again, cut);
    assertEquals(steps, assertSameSteps(again, TraceOverrides.NONE, dsat5));
  }

  /** The real captured trace of the shared folder (skipped where that folder is absent). */
  @Test
  void sharedCapturedTraceConvertsCompactly() throws IOException {
    Path npz = Path.of(System.getProperty("dsasim.repo.root", "."), "..", "shared", "traces",
        "captured-tinylm.npz");
    assumeTrue(Files.isRegularFile(npz), "no shared captured trace at " + npz);
    TraceOverrides prompt = new TraceOverrides(null, null, null, null, null, 3584);
    Path dsat = dir.resolve("captured.dsat");
    convert(npz, dsat, prompt);
    assertEquals(512, assertSameSteps(npz, prompt, dsat));
    try (DsatReader r = DsatReader.open(dsat)) {
      TraceHeader h = r.header();
      assertEquals("captured-tinylm", h.model());
      assertEquals(8, h.layers());
      assertEquals(6, h.seqs());
      assertEquals(256, h.topk());
      assertEquals(512, h.steps());
      assertEquals(3584, h.promptLen());
      assertEquals(512L * 8 * 6 * 256, r.totalIndices(), "every row is full");
      double bytesPerIndex = (double) r.fileSize() / r.totalIndices();
      assertTrue(bytesPerIndex < 1.7, "bytes per index " + bytesPerIndex);
      StepSelection s = StepSelection.forHeader(h);
      while (r.next(s)) {
        assertEquals(3584 + s.step(), s.contextLen(5), "README: context at step t is 3584 + t");
      }
    }
    TraceOverrides k64 = new TraceOverrides(null, null, null, null, 64, null);
    Path dsat64 = dir.resolve("captured64.dsat");
    convert(npz, dsat64, k64);
    assertSameSteps(npz, k64, dsat64);
  }
}
