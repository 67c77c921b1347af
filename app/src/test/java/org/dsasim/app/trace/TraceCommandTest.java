package org.dsasim.app.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.dsasim.app.Cli;
import org.dsasim.workloads.npz.NpzBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dsasim trace info} and {@code dsasim trace convert}, run end to end through Main. */
class TraceCommandTest {
  @TempDir Path dir;

  /** Asserts a usage error (see {@link Cli#assertRefused}); returns the message. */
  static String usageError(String... args) {
    return Cli.assertRefused(Cli.run(args));
  }

  private static final int STEPS = 5;
  private static final int LAYERS = 2;
  private static final int SEQS = 2;
  private static final int K = 4;

  private Path npz;
  private int[] indices;

  /** A small archive in the tracer's layout, with some -1 slots. */
  @BeforeEach
  void writeArchive() throws IOException {
    SplittableRandom rnd = new SplittableRandom(1);
    indices = new int[STEPS * LAYERS * SEQS * K];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = rnd.nextInt(5) == 0 ? -1 : rnd.nextInt(50);
    }
    int[] ctx = new int[STEPS * SEQS];
    java.util.Arrays.fill(ctx, 50);
    npz = dir.resolve("small.npz");
    new NpzBuilder()
        .ints("indices", new long[] {STEPS, LAYERS, SEQS, K}, indices)
        .ints("context_len", new long[] {STEPS, SEQS}, ctx)
        .unicode("model", "tiny")
        .write(npz, false);
  }

  /** Indices the archive holds when each row keeps at most {@code k} non-empty slots. */
  private long countIndices(int k) {
    long n = 0;
    for (int row = 0; row < indices.length / K; row++) {
      int inRow = 0;
      for (int j = 0; j < K; j++) {
        inRow += indices[row * K + j] >= 0 ? 1 : 0;
      }
      n += Math.min(k, inRow);
    }
    return n;
  }

  @Test
  void convertThenInfo() throws IOException {
    Path out = dir.resolve("small.dsat");
    Cli.Result r = Cli.run("trace", "convert", npz.toString(), out.toString());
    assertEquals(0, r.code(), r.err());
    long n = countIndices(K);
    long size = Files.size(out);
    assertEquals(String.format(java.util.Locale.ROOT,
        "wrote %s: 5 steps, %d indices, %d bytes (%.3f bytes per index)%n", out, n, size,
        (double) size / n), r.out());

    r = Cli.run("trace", "info", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("format            .dsat (zstd-compressed blocks"), r.out());
    assertTrue(r.out().contains("model             tiny\n"), r.out());
    assertTrue(r.out().contains("steps             5\n"), r.out());
    assertTrue(r.out().contains("indices           " + n + " (" + String.format(
        java.util.Locale.ROOT, "%.1f", 100.0 * n / (STEPS * LAYERS * SEQS * K))
        + "% of 80 slots)"), r.out());
    assertTrue(r.out().contains("size              " + String.format(java.util.Locale.ROOT,
        "%,d", size) + " bytes"), r.out());
    assertTrue(r.out().contains("entry bytes       656\n"), r.out());
    assertTrue(r.out().contains("                  defaulted = entry_bytes=656,"), r.out());
    assertTrue(r.out().contains("context length    50 .. 50\n"), r.out());
    assertTrue(r.out().contains("blocks            1 (all checksums verified)"), r.out());

    r = Cli.run("trace", "info", npz.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("format            NumPy .npz archive"), r.out());
    assertTrue(r.out().contains("indices           " + n + " "), r.out());
  }

  @Test
  void convertWithOverrides() throws IOException {
    Path out = dir.resolve("cut.dsat");
    Cli.Result r = Cli.run("trace", "convert", npz.toString(), out.toString(), "--topk", "2",
        "--model", "renamed", "--entry-bytes", "1152", "--index-key-bytes", "0",
        "--page-size", "16", "--prompt-len", "7");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("5 steps, " + countIndices(2) + " indices"), r.out());
    r = Cli.run("trace", "info", out.toString());
    for (String line : List.of("model             renamed", "top-k             2",
        "entry bytes       1152", "index key bytes   0", "page size         16 tokens",
        "prompt length     7")) {
      assertTrue(r.out().contains(line + "\n"), line + " in\n" + r.out());
    }
  }

  @Test
  void userErrorsExitTwoWithOneMessage() throws IOException {
    Path out = dir.resolve("o.dsat");
    Path missing = dir.resolve("missing.npz");
    assertEquals("dsasim: cannot read " + missing + ": no such file",
        usageError("trace", "convert", missing.toString(), out.toString()));
    assertEquals("dsasim: --topk must be at least 1, found 0",
        usageError("trace", "convert", npz.toString(), out.toString(), "--topk", "0"));
    assertEquals("dsasim: " + npz + ": --topk 5 exceeds the trace's top-k of 4; rows can only"
        + " be truncated",
        usageError("trace", "convert", npz.toString(), out.toString(), "--topk", "5"));
    assertTrue(usageError("trace", "convert", npz.toString(), out.toString(), "--entry-bytes",
        "abc").contains("'abc' is not an int"));
    assertTrue(usageError("trace", "convert", npz.toString(), dir.resolve("x.npz").toString())
        .contains("writing .npz is not supported"));
    assertTrue(usageError("trace", "info").contains("Missing required parameter"));

    Path floats = dir.resolve("floats.npz");
    new NpzBuilder().raw("indices", NpzBuilder.npy("<f4", false, new long[] {1, 1, 1},
        new byte[4])).write(floats, false);
    assertEquals("dsasim: " + floats + ": array 'indices': dtype '<f4' is not an integer type;"
        + " expected int8/16/32/64 or uint8/16/32 token indices",
        usageError("trace", "info", floats.toString()));
    assertFalse(Files.exists(out));
  }

  @Test
  void damagedInputLeavesNoOutput() throws IOException {
    Path good = dir.resolve("good.dsat");
    assertEquals(0, Cli.run("trace", "convert", npz.toString(), good.toString()).code());
    byte[] bytes = Files.readAllBytes(good);
    Path out = dir.resolve("out");
    Files.createDirectories(out);

    Path truncated = dir.resolve("truncated.dsat");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    assertTrue(usageError("trace", "convert", truncated.toString(),
        out.resolve("a.dsat").toString()).contains("truncated or unfinished trace"));
    assertTrue(usageError("trace", "info", truncated.toString()).contains("truncated"));

    // A damaged block payload is found only while copying, after the output was started.
    Path corrupt = dir.resolve("corrupt.dsat");
    bytes[bytes.length - 36 - 4 - 3] ^= 0x40;
    Files.write(corrupt, bytes);
    assertTrue(usageError("trace", "convert", corrupt.toString(),
        out.resolve("b.dsat").toString()).contains("payload checksum mismatch"));
    try (Stream<Path> left = Files.list(out)) {
      assertEquals(List.of(), left.toList(), "no output and no temporary file");
    }
  }

  @Test
  void traceAloneShowsItsSubcommands() {
    Cli.Result r = Cli.run("trace");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("info") && r.out().contains("convert"), r.out());
    r = Cli.run("--help");
    assertTrue(r.out().contains("trace"), r.out());
  }
}
