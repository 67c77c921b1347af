package org.dsasim.workloads.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.dsasim.workloads.trace.TraceHeader;

/**
 * The captured trace of the shared folder ({@code traces/captured-tinylm.npz}: arrays seq0..seq5,
 * int16 [512 steps, 8 layers, 256 ranks], -1 = empty) read by a minimal test-only npz reader and
 * cut to the first {@code k} ranks of each row; the context at step t is 3584 + t.
 */
public final class CapturedTinyLm {
  public static final int PROMPT = 3584;
  public static final int SEQS = 6;

  /** The arrays, read once per test run: seq -> int16 [steps, layers, ranks], row-major. */
  private static short[][] data;
  private static int steps;
  private static int layers;
  private static int ranks;

  private CapturedTinyLm() {}

  public static Path path() {
    return Path.of(System.getProperty("dsasim.repo.root", "."), "..", "shared", "traces",
        "captured-tinylm.npz");
  }

  public static boolean available() {
    return Files.isReadable(path());
  }

  /** The trace with the first {@code k} (<= 256) indices of every row. */
  public static synchronized ArrayTrace load(int k) throws IOException {
    if (data == null) {
      read();
    }
    int[][][][] sel = new int[steps][layers][SEQS][];
    int[][] ctx = new int[steps][SEQS];
    for (int t = 0; t < steps; t++) {
      for (int s = 0; s < SEQS; s++) {
        ctx[t][s] = PROMPT + t;
        for (int l = 0; l < layers; l++) {
          int base = (t * layers + l) * ranks;
          int n = 0;
          int[] row = new int[k];
          for (int i = 0; i < k; i++) {
            short v = data[s][base + i];
            if (v >= 0) {
              row[n++] = v;
            }
          }
          sel[t][l][s] = Arrays.copyOf(row, n);
        }
      }
    }
    return new ArrayTrace(
        new TraceHeader("captured-tinylm", layers, SEQS, k, 656, 0, 64, PROMPT, steps, Map.of()),
        sel,
        ctx);
  }

  private static void read() throws IOException {
    short[][] arrays = new short[SEQS][];
    try (ZipFile zip = new ZipFile(path().toFile())) {
      for (int s = 0; s < SEQS; s++) {
        ZipEntry e = zip.getEntry("seq" + s + ".npy");
        try (InputStream in = zip.getInputStream(e)) {
          DataInputStream din = new DataInputStream(in);
          byte[] magic = new byte[8];
          din.readFully(magic);
          int headerLen = magic[6] == 1
              ? Short.toUnsignedInt(Short.reverseBytes(din.readShort()))
              : Integer.reverseBytes(din.readInt());
          byte[] h = new byte[headerLen];
          din.readFully(h);
          String header = new String(h, StandardCharsets.US_ASCII);
          if (!header.contains("'<i2'") || !header.contains("'fortran_order': False")) {
            throw new IOException("unexpected npy header " + header);
          }
          String[] dims =
              header.replaceAll("(?s).*'shape': \\(([^)]*)\\).*", "$1").trim().split(",\\s*");
          steps = Integer.parseInt(dims[0]);
          layers = Integer.parseInt(dims[1]);
          ranks = Integer.parseInt(dims[2]);
          arrays[s] = new short[steps * layers * ranks];
          ByteBuffer.wrap(din.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer()
              .get(arrays[s]);
        }
      }
    }
    data = arrays;
  }
}
