package org.dsasim.workloads.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace of 50 M indices (200 MB as int32) is generated on the fly, written and read back with a
 * running checksum; neither side ever holds more than one step and one block.
 */
class DsatStreamingTest {
  private static final int LAYERS = 8;
  private static final int SEQS = 4;
  private static final int TOPK = 256;
  private static final int STEPS = 6_500;

  @TempDir Path dir;

  /** Step t's selections: rows that change every 4 steps, some shorter than top-k. */
  private static void fill(StepSelection s, long t) {
    s.setStep(t);
    int[] idx = s.indices();
    for (int q = 0; q < SEQS; q++) {
      s.setContextLen(q, 100_000 + 1000 * q + (int) t);
    }
    for (int l = 0; l < LAYERS; l++) {
      for (int q = 0; q < SEQS; q++) {
        int n = (t + l + q) % 7 == 0 ? TOPK - 100 : TOPK;
        int off = s.offset(l, q);
        for (int i = 0; i < n; i++) {
          long x = (t >> 2) * 0x9E3779B97F4A7C15L ^ (l * 31L + q) * 0xC2B2AE3D27D4EB4FL
              ^ i * 0x165667B19E3779F9L;
          x ^= x >>> 29;
          x *= 0xBF58476D1CE4E5B9L;
          x ^= x >>> 32;
          idx[off + i] = (int) (((x >>> 32) * 100_000) >>> 32);
        }
        s.setCount(l, q, n);
      }
    }
  }

  private static long checksum(long h, StepSelection s) {
    for (int q = 0; q < SEQS; q++) {
      h = h * 31 + s.contextLen(q);
    }
    for (int l = 0; l < LAYERS; l++) {
      for (int q = 0; q < SEQS; q++) {
        int n = s.count(l, q);
        h = h * 31 + n;
        for (int i = 0; i < n; i++) {
          h = h * 31 + s.index(l, q, i);
        }
      }
    }
    return h;
  }

  @Test
  void largeTraceStreamsThroughBoundedBuffers() throws IOException {
    TraceHeader h = new TraceHeader("stream", LAYERS, SEQS, TOPK, 656, 132, 64, 0, STEPS,
        Map.of());
    Path file = dir.resolve("big.dsat");
    StepSelection s = StepSelection.forHeader(h);
    long written = 0;
    long sumWritten = 0;
    try (TraceSink w = Traces.create(file, h)) {
      for (long t = 0; t < STEPS; t++) {
        fill(s, t);
        sumWritten = checksum(sumWritten, s);
        written += RandomTraces.indices(s);
        w.write(s);
      }
    }
    assertTrue(written >= 50_000_000L, "indices " + written);

    long read = 0;
    long sumRead = 0;
    long bound = 2 * (DsatFormat.DEFAULT_BLOCK_TARGET_BYTES
        + DsatFormat.maxStepBytes(LAYERS, SEQS, TOPK)) + 5L * (TOPK + 2);
    try (DsatReader r = DsatReader.open(file)) {
      StepSelection got = StepSelection.forHeader(r.header());
      long steps = 0;
      while (r.next(got)) {
        sumRead = checksum(sumRead, got);
        read += RandomTraces.indices(got);
        steps++;
        assertTrue(r.bufferBytes() <= bound, "buffers " + r.bufferBytes() + " > " + bound);
      }
      assertEquals(STEPS, steps);
      assertTrue(r.blocks() > 50, "blocks " + r.blocks());
      long size = Files.size(file);
      assertTrue(size > 10 * bound, "file " + size + " bytes vs buffer bound " + bound);
    }
    assertEquals(written, read);
    assertEquals(sumWritten, sumRead);
  }
}
