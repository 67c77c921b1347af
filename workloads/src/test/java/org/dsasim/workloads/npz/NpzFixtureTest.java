package org.dsasim.workloads.npz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;
import org.junit.jupiter.api.Test;

/**
 * Archives written by NumPy itself ({@code src/test/resources/npz/make_fixtures.py}) read as the
 * formulas of that script say.
 */
class NpzFixtureTest {
  static Path fixture(String name) throws URISyntaxException {
    return Path.of(NpzFixtureTest.class.getResource("/npz/" + name).toURI());
  }

  @Test
  void tracerLayoutWrittenByNumpy() throws Exception {
    try (TraceSource src = Traces.open(fixture("tracer-layout.npz"))) {
      assertEquals(new TraceHeader("tiny-llama-random", 3, 2, 5, 1152, 64, 16, 10, 6,
          Map.of("selector", "indexer", "indexer_heads", "4", "source_file", "tracer-layout.npz",
              "context_len_rule", "array context_len")), src.header());
      List<StepSelection> got = NpzTraceSourceTest.readAll(src);
      assertEquals(6, got.size());
      for (int t = 0; t < 6; t++) {
        for (int s = 0; s < 2; s++) {
          int ctx = 10 + t + s;
          assertEquals(ctx, got.get(t).contextLen(s));
          for (int l = 0; l < 3; l++) {
            int tt = t;
            int ll = l;
            int ss = s;
            int[] want = IntStream.range(0, 2 + (t + l + s) % 4).filter(j -> j < 5)
                .map(j -> (tt * 7 + ll * 3 + ss * 11 + j * 5) % ctx).toArray();
            assertArrayEquals(want, NpzTraceSourceTest.row(got.get(t), l, s), t + "," + l);
          }
        }
      }
    }
  }

  @Test
  void compressedPerSequenceArraysOfMixedDtypesWrittenByNumpy() throws Exception {
    try (TraceSource src = Traces.open(fixture("seq-layout-compressed.npz"))) {
      TraceHeader h = src.header();
      assertEquals(List.of("bytes-model", 2, 3, 3, 4L),
          List.of(h.model(), h.layers(), h.seqs(), h.topk(), h.steps()));
      List<StepSelection> got = NpzTraceSourceTest.readAll(src);
      for (int t = 0; t < 4; t++) {
        for (int s = 0; s < 3; s++) {
          assertEquals(20 + t, got.get(t).contextLen(s));
          for (int l = 0; l < 2; l++) {
            int[] want = new int[3];
            int n = 0;
            for (int j = 0; j < 3; j++) {
              boolean hole = s != 0 && (t + l + j + s) % 5 == 0;
              if (!hole) {
                want[n++] = (t + 2 * l + 3 * j + s) % 20;
              }
            }
            assertArrayEquals(Arrays.copyOf(want, n), NpzTraceSourceTest.row(got.get(t), l, s));
          }
        }
      }
    }
  }

  @Test
  void realTracerOutputReadsWithItsMetadataAndInvariants() throws Exception {
    try (TraceSource src = Traces.open(fixture("tracer-output-tiny-indexer.npz"))) {
      TraceHeader h = src.header();
      assertEquals(List.of("tiny-random-llama-L4-d128-h4-kv2", 4, 2, 32, 256, 36, 64, 128, 32L),
          List.of(h.model(), h.layers(), h.seqs(), h.topk(), h.entryBytes(), h.indexKeyBytes(),
              h.pageTokens(), h.promptLen(), h.steps()));
      assertEquals("lightning indexer", h.metadata().get("selector"));
      assertEquals("array context_len", h.metadata().get("context_len_rule"));
      List<StepSelection> got = NpzTraceSourceTest.readAll(src);
      for (StepSelection s : got) {
        for (int q = 0; q < 2; q++) {
          int ctx = s.contextLen(q);
          assertEquals(128 + s.step(), ctx, "the tracer's context at step t is prompt_len + t");
          for (int l = 0; l < 4; l++) {
            int[] row = NpzTraceSourceTest.row(s, l, q);
            assertEquals(32, row.length, "contexts are longer than k: rows are full");
            assertEquals(32, Arrays.stream(row).distinct().count(), "no token twice");
            assertTrue(Arrays.stream(row).allMatch(i -> i >= 0 && i < ctx));
          }
        }
      }
    }
  }

  @Test
  void arraysListAndScalarsOfTheNumpyFile() throws URISyntaxException, IOException {
    try (NpzArchive a = NpzArchive.open(fixture("tracer-layout.npz"))) {
      assertEquals(List.of("indices", "context_len", "entry_bytes", "index_key_bytes",
          "page_size", "prompt_len", "model", "selector", "indexer_heads"), a.arrayNames());
      try (NpyArray model = a.open("model")) {
        assertEquals("<U17", model.header().dtype().descr());
        assertEquals("tiny-llama-random", model.scalarText());
      }
      try (NpyArray e = a.open("entry_bytes")) {
        assertEquals(1152, e.scalarInt());
      }
    }
  }
}
