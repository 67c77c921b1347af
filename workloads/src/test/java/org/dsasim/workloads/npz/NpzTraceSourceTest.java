package org.dsasim.workloads.npz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceOverrides;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the accepted {@code .npz} layouts, checked against expectations built in the test. */
class NpzTraceSourceTest {
  @TempDir Path dir;

  /** Random C-order values of shape [steps, layers, seqs, k] with -1 holes (if allowed). */
  static long[] randomIndices(SplittableRandom rnd, int steps, int layers, int seqs, int k,
      int maxValue, boolean holes) {
    long[] v = new long[steps * layers * seqs * k];
    for (int i = 0; i < v.length; i++) {
      v[i] = holes && rnd.nextInt(4) == 0 ? -1 : rnd.nextInt(maxValue + 1);
    }
    return v;
  }

  /** The expected rows: non-empty slots of [t][l][s] in order, cut to {@code topk}. */
  static int[] expectedRow(long[] v, int layers, int seqs, int k, int t, int l, int s, int topk) {
    int base = ((t * layers + l) * seqs + s) * k;
    return Arrays.stream(Arrays.copyOfRange(v, base, base + k)).filter(x -> x != -1)
        .limit(topk).mapToInt(x -> (int) x).toArray();
  }

  /** Reads every step into a list of copies. */
  static List<StepSelection> readAll(TraceSource src) throws IOException {
    List<StepSelection> out = new ArrayList<>();
    StepSelection s = StepSelection.forHeader(src.header());
    while (src.next(s)) {
      StepSelection copy = StepSelection.forHeader(src.header());
      copy.copyFrom(s);
      out.add(copy);
    }
    return out;
  }

  static int[] row(StepSelection s, int l, int q) {
    return Arrays.copyOfRange(s.indices(), s.offset(l, q), s.offset(l, q) + s.count(l, q));
  }

  @Test
  void everyIntegerDtypeByteOrderAndCompression() throws IOException {
    String[] descrs = {"|i1", "<i2", ">i2", "<i4", ">i4", "<i8", ">i8", "|u1", "<u2", ">u2",
        "<u4", ">u4", "<u8"};
    int seed = 0;
    for (String descr : descrs) {
      for (boolean deflate : new boolean[] {false, true}) {
        SplittableRandom rnd = new SplittableRandom(seed++);
        int steps = 1 + rnd.nextInt(6);
        int layers = 1 + rnd.nextInt(3);
        int seqs = 1 + rnd.nextInt(3);
        int k = 1 + rnd.nextInt(8);
        int max = descr.contains("1") ? 120 : 30_000;
        boolean signed = descr.charAt(1) == 'i';
        long[] v = randomIndices(rnd, steps, layers, seqs, k, max, signed);
        long[] ctx = new long[steps * seqs];
        for (int i = 0; i < ctx.length; i++) {
          ctx[i] = max + 1 + rnd.nextInt(1000);
        }
        Path file = dir.resolve("t" + seed + ".npz");
        new NpzBuilder()
            .ints("indices", descr, new long[] {steps, layers, seqs, k}, v)
            .ints("context_len", descr.charAt(0) + "i8", new long[] {steps, seqs}, ctx)
            .write(file, deflate);
        try (TraceSource src = Traces.open(file)) {
          TraceHeader h = src.header();
          assertEquals(List.of(layers, seqs, k, (long) steps),
              List.of(h.layers(), h.seqs(), h.topk(), h.steps()), descr);
          List<StepSelection> got = readAll(src);
          assertEquals(steps, got.size());
          for (int t = 0; t < steps; t++) {
            assertEquals(t, got.get(t).step());
            for (int s = 0; s < seqs; s++) {
              assertEquals(ctx[t * seqs + s], got.get(t).contextLen(s));
              for (int l = 0; l < layers; l++) {
                assertArrayEquals(expectedRow(v, layers, seqs, k, t, l, s, k),
                    row(got.get(t), l, s), descr + " deflate=" + deflate + " t" + t);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void rankThreeIndicesAreOneSequenceAndMetadataIsRead() throws IOException {
    SplittableRandom rnd = new SplittableRandom(1);
    long[] v = randomIndices(rnd, 4, 2, 1, 5, 99, true);
    Path file = dir.resolve("one.npz");
    new NpzBuilder()
        .ints("indices", "<i2", new long[] {4, 2, 5}, v)
        .scalar("entry_bytes", 1152)
        .scalar("index_key_bytes", 0)
        .scalar("page_size", 16)
        .scalar("prompt_len", 100)
        .unicode("model", "tiny-\u00e9")
        .unicode("selector", "oracle")
        .scalar("seed", 7)
        .ints("extra", "<i4", new long[] {3}, new long[] {1, 2, 3})
        .write(file, true);
    try (TraceSource src = Traces.open(file)) {
      TraceHeader h = src.header();
      assertEquals(new TraceHeader("tiny-\u00e9", 2, 1, 5, 1152, 0, 16, 100, 4,
          Map.of("selector", "oracle", "seed", "7", "ignored_arrays", "extra",
              "source_file", "one.npz", "context_len_rule", "prompt_len + step")), h);
      List<StepSelection> got = readAll(src);
      for (int t = 0; t < 4; t++) {
        assertEquals(100 + t, got.get(t).contextLen(0));
        for (int l = 0; l < 2; l++) {
          assertArrayEquals(expectedRow(v, 2, 1, 5, t, l, 0, 5), row(got.get(t), l, 0));
        }
      }
    }
  }

  @Test
  void perSequenceArraysWithSharedContextLengths() throws IOException {
    SplittableRandom rnd = new SplittableRandom(2);
    int steps = 5;
    int layers = 3;
    int k = 4;
    NpzBuilder b = new NpzBuilder();
    List<long[]> seqs = new ArrayList<>();
    for (int s = 2; s >= 0; s--) { // archive order need not be numeric order
      long[] v = randomIndices(rnd, steps, layers, 1, k, 500, true);
      seqs.add(0, v);
      b.ints("seq" + s, s == 1 ? ">u2" : "<i2", new long[] {steps, layers, k},
          s == 1 ? Arrays.stream(v).map(x -> x < 0 ? 7 : x).toArray() : v);
    }
    seqs.set(1, Arrays.stream(seqs.get(1)).map(x -> x < 0 ? 7 : x).toArray());
    long[] ctx = {600, 601, 602, 603, 604};
    b.ints("context_len", "<i4", new long[] {steps}, ctx);
    b.bytes("model", "bytes-name");
    Path file = dir.resolve("seqs.npz");
    b.write(file, false);
    try (TraceSource src = Traces.open(file)) {
      assertEquals("bytes-name", src.header().model());
      assertEquals(3, src.header().seqs());
      assertEquals("entry_bytes=656,index_key_bytes=132,page_size=64",
          src.header().metadata().get("defaulted"));
      List<StepSelection> got = readAll(src);
      for (int t = 0; t < steps; t++) {
        for (int s = 0; s < 3; s++) {
          assertEquals(ctx[t], got.get(t).contextLen(s));
          for (int l = 0; l < layers; l++) {
            assertArrayEquals(expectedRow(seqs.get(s), layers, 1, k, t, l, 0, k),
                row(got.get(t), l, s));
          }
        }
      }
    }
  }

  @Test
  void contextLengthsAreInferredFromTheLargestIndexSoFar() throws IOException {
    SplittableRandom rnd = new SplittableRandom(3);
    int steps = 8;
    int layers = 2;
    int seqs = 2;
    int k = 3;
    long[] v = randomIndices(rnd, steps, layers, seqs, k, 1000, true);
    Path file = dir.resolve("infer.npz");
    new NpzBuilder().ints("indices", "<i4", new long[] {steps, layers, seqs, k}, v)
        .write(file, false);
    long[] largest = {-1, -1};
    try (TraceSource src = Traces.open(file)) {
      assertEquals("largest index selected so far + 1",
          src.header().metadata().get("context_len_rule"));
      assertEquals(0, src.header().promptLen());
      List<StepSelection> got = readAll(src);
      for (int t = 0; t < steps; t++) {
        for (int s = 0; s < seqs; s++) {
          for (int l = 0; l < layers; l++) {
            for (int j = 0; j < k; j++) {
              largest[s] = Math.max(largest[s], v[((t * layers + l) * seqs + s) * k + j]);
            }
          }
          assertEquals(largest[s] + 1, got.get(t).contextLen(s), "t" + t + " s" + s);
        }
      }
    }
    try (TraceSource src = Traces.open(file, new TraceOverrides(null, null, null, null, null,
        1001))) {
      assertEquals("prompt_len + step", src.header().metadata().get("context_len_rule"));
      List<StepSelection> got = readAll(src);
      assertEquals(1001 + 7, got.get(7).contextLen(1));
    }
  }

  @Test
  void overridesReplaceMetadataAndCutRowsToTheirFirstEntries() throws IOException {
    SplittableRandom rnd = new SplittableRandom(4);
    long[] v = randomIndices(rnd, 3, 2, 2, 10, 50, true);
    Path file = dir.resolve("cut.npz");
    new NpzBuilder().ints("indices", "<i4", new long[] {3, 2, 2, 10}, v)
        .scalar("entry_bytes", 100).scalar("prompt_len", 60).write(file, false);
    TraceOverrides o = new TraceOverrides("renamed", 200, 50, 32, 4, null);
    try (TraceSource src = Traces.open(file, o)) {
      TraceHeader h = src.header();
      assertEquals(List.of("renamed", 200, 50, 32, 4, 60),
          List.of(h.model(), h.entryBytes(), h.indexKeyBytes(), h.pageTokens(), h.topk(),
              h.promptLen()));
      assertFalse(h.metadata().containsKey("defaulted"), h.metadata().toString());
      List<StepSelection> got = readAll(src);
      for (int t = 0; t < 3; t++) {
        for (int l = 0; l < 2; l++) {
          for (int s = 0; s < 2; s++) {
            assertArrayEquals(expectedRow(v, 2, 2, 10, t, l, s, 4), row(got.get(t), l, s));
          }
        }
      }
    }
  }

  @Test
  void zeroStepsIsAnEmptyTrace() throws IOException {
    Path file = dir.resolve("empty.npz");
    new NpzBuilder().ints("indices", "<i4", new long[] {0, 2, 3}, new long[0]).write(file, true);
    try (TraceSource src = Traces.open(file)) {
      assertEquals(0, src.header().steps());
      assertFalse(src.next(StepSelection.forHeader(src.header())));
    }
  }
}
