package org.dsasim.workloads.npz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.dsasim.core.UserInputException;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceOverrides;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed archive gets one clear message naming the file, the array and the problem. */
class NpzErrorTest {
  @TempDir Path dir;

  private static final long[] SHAPE = {2, 1, 3};
  private static final long[] VALUES = {0, 1, 2, 3, 4, 5};

  /** Opens and reads the archive fully, returning the error message. */
  private String error(NpzBuilder b, boolean deflate) throws IOException {
    Path file = dir.resolve("bad.npz");
    b.write(file, deflate);
    return error(file, TraceOverrides.NONE);
  }

  private String error(Path file, TraceOverrides o) {
    UserInputException e = assertThrows(UserInputException.class, () -> {
      try (TraceSource src = Traces.open(file, o)) {
        StepSelection s = StepSelection.forHeader(src.header());
        while (src.next(s)) {
          // read all
        }
      }
    });
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    return e.getMessage().replace(file.toString(), "F");
  }

  @Test
  void notAZip() throws IOException {
    Path file = dir.resolve("x.npz");
    Files.writeString(file, "not a zip at all");
    assertTrue(error(file, TraceOverrides.NONE).startsWith(
        "F: not a valid .npz (zip) archive: "), error(file, TraceOverrides.NONE));
  }

  @Test
  void truncatedArchiveAtManyLengths() throws IOException {
    byte[] whole = new NpzBuilder().ints("indices", "<i4", SHAPE, VALUES).toBytes(true);
    Path file = dir.resolve("cut.npz");
    for (int len = 0; len < whole.length; len += 7) {
      Files.write(file, Arrays.copyOf(whole, len));
      String msg = error(file, TraceOverrides.NONE);
      assertTrue(msg.contains("not a valid .npz") || msg.contains("not a trace")
          || msg.contains("empty"), msg);
    }
  }

  /** Found by fuzzing: the largest int as an index made "largest index + 1" overflow. */
  @Test
  void anIndexThatLeavesNoRoomForTheContextLength() throws IOException {
    assertEquals("F: array 'indices': the context length of sequence 0 at step 0 would be"
        + " largest index selected so far + 1 = 2147483648, beyond the largest, 2147483647",
        error(new NpzBuilder().ints("indices", "<i4", SHAPE,
            new long[] {0, 1, Integer.MAX_VALUE, 3, 4, 5}), false));
  }

  @Test
  void missingArrays() throws IOException {
    assertEquals("F: no trace arrays: expected 'indices' shaped [steps, layers, k] or [steps,"
        + " layers, seqs, k], or 'seq0', 'seq1', ... shaped [steps, layers, k]; the archive"
        + " has: idx, context_len",
        error(new NpzBuilder().ints("idx", "<i4", SHAPE, VALUES)
            .ints("context_len", "<i4", new long[] {2}, new long[] {9, 9}), false));
    assertEquals("F: array 'seq1' is missing; expected consecutive seq0 .. seq2",
        error(new NpzBuilder().ints("seq0", "<i4", SHAPE, VALUES)
            .ints("seq2", "<i4", SHAPE, VALUES), false));
    assertTrue(error(new NpzBuilder().ints("seq0", "<i4", SHAPE, VALUES)
        .ints("indices", "<i4", SHAPE, VALUES), false).contains("has both an 'indices' array"));
  }

  @Test
  void nonIntegerDtypes() throws IOException {
    assertEquals("F: array 'indices': dtype '<f4' is not an integer type; expected"
        + " int8/16/32/64 or uint8/16/32 token indices",
        error(new NpzBuilder().raw("indices",
            NpzBuilder.npy("<f4", false, SHAPE, new byte[24])), false));
    assertTrue(error(new NpzBuilder().raw("indices",
        NpzBuilder.npy("|O", false, SHAPE, new byte[24])), false)
        .contains("unsupported dtype '|O' (object arrays are pickled"));
    assertTrue(error(new NpzBuilder().ints("indices", "<i4", SHAPE, VALUES).raw("entry_bytes",
        NpzBuilder.npy("<f8", false, new long[0], new byte[8])), false)
        .contains("array 'entry_bytes': dtype '<f8' is not an integer type"));
  }

  @Test
  void wrongRanksAndShapes() throws IOException {
    assertEquals("F: array 'indices': shape (6,) has rank 1; expected [steps, layers, k] or"
        + " [steps, layers, seqs, k]",
        error(new NpzBuilder().ints("indices", "<i4", new long[] {6}, VALUES), false));
    assertEquals("F: array 'seq1': shape (2, 3, 1) differs from 'seq0' (2, 1, 3); every"
        + " sequence must have the same steps, layers and k",
        error(new NpzBuilder().ints("seq0", "<i4", SHAPE, VALUES)
            .ints("seq1", "<i4", new long[] {2, 3, 1}, VALUES), false));
    assertEquals("F: array 'seq0': shape (6,) has rank 1; expected [steps, layers, k]",
        error(new NpzBuilder().ints("seq0", "<i4", new long[] {6}, VALUES), false));
    assertEquals("F: array 'context_len': shape (3,); expected (2,) or (2, 1) = [steps] or"
        + " [steps, seqs]",
        error(new NpzBuilder().ints("indices", "<i4", SHAPE, VALUES)
            .ints("context_len", "<i4", new long[] {3}, new long[] {9, 9, 9}), false));
    assertEquals("F: the trace arrays have 0 k (slots per row); expected at least 1",
        error(new NpzBuilder().ints("indices", "<i4", new long[] {2, 1, 0}, new long[0]), false));
    assertEquals("F: array 'prompt_len': expected a scalar (shape () or (1,)), found shape (2,)",
        error(new NpzBuilder().ints("indices", "<i4", SHAPE, VALUES)
            .ints("prompt_len", "<i4", new long[] {2}, new long[] {1, 2}), false));
  }

  @Test
  void fortranOrderIsRejected() throws IOException {
    assertEquals("F: array 'indices': stored in Fortran (column-major) order, which cannot be"
        + " read one step at a time; save it with np.ascontiguousarray(...)",
        error(new NpzBuilder().raw("indices",
            NpzBuilder.npy("<i4", true, SHAPE, NpzBuilder.encode("<i4", VALUES))), false));
  }

  @Test
  void truncatedAndOversizedArrayData() throws IOException {
    byte[] shortData = Arrays.copyOf(NpzBuilder.encode("<i4", VALUES), 20);
    for (boolean deflate : new boolean[] {false, true}) {
      assertEquals("F: array 'indices': entry holds 148 bytes, but its header (dtype '<i4',"
          + " shape (2, 1, 3)) needs 152; the array is truncated",
          error(new NpzBuilder().raw("indices", NpzBuilder.npy("<i4", false, SHAPE, shortData)),
              deflate));
    }
    byte[] longData = Arrays.copyOf(NpzBuilder.encode("<i4", VALUES), 28);
    assertTrue(error(new NpzBuilder().raw("indices",
        NpzBuilder.npy("<i4", false, SHAPE, longData)), false).endsWith("the array is malformed"));
  }

  @Test
  void corruptCompressedDataIsReported() throws IOException {
    long[] many = new long[2 * 1 * 3000];
    for (int i = 0; i < many.length; i++) {
      many[i] = (i * 7919L) % 5000;
    }
    byte[] zip = new NpzBuilder().ints("indices", "<i4", new long[] {2, 1, 3000}, many)
        .toBytes(true);
    Path file = dir.resolve("corrupt.npz");
    Files.write(file, zip);
    int damaged = 0;
    // Damage in place: rewriting the whole file per case is slow on some disks.
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      for (int off = 200; off < zip.length - 200; off += 149) {
        ch.write(ByteBuffer.wrap(new byte[] {(byte) (zip[off] ^ 0x55)}), off);
          UserInputException e = assertThrows(UserInputException.class, () -> {
          try (TraceSource src = Traces.open(file)) {
            StepSelection s = StepSelection.forHeader(src.header());
            while (src.next(s)) {
              // read all
            }
          }
        }, "offset " + off);
        assertTrue(e.getMessage().contains("array 'indices'"), e.getMessage());
        ch.write(ByteBuffer.wrap(zip, off, 1), off);
        damaged++;
      }
    }
    assertTrue(damaged > 10);
  }

  @Test
  void badValues() throws IOException {
    assertEquals("F: array 'indices' [1, 0, 2] = -2: token indices must be 0 or more, and -1"
        + " marks an empty slot",
        error(new NpzBuilder().ints("indices", "<i4", SHAPE, new long[] {0, 1, 2, 3, 4, -2}),
            false));
    assertEquals("F: array 'indices': element 4 [1, 0, 1] is 4294967296, which does not fit a"
        + " 32-bit signed integer",
        error(new NpzBuilder().ints("indices", "<i8", SHAPE,
            new long[] {0, 1, 2, 3, 1L << 32, 5}), false));
    assertEquals("F: array 'seq0': element 1 [0, 0, 1] is 4294967295, which does not fit a"
        + " 32-bit signed integer",
        error(new NpzBuilder().ints("seq0", "<u4", SHAPE, new long[] {0, -1, 2, 3, 4, 5}),
            false));
    assertEquals("F: array 'indices' [1, 0, 2] = 5 is not below the context length 5 of"
        + " sequence 0 at step 1 (from array context_len); the arrays disagree",
        error(new NpzBuilder().ints("indices", "<i4", SHAPE, VALUES)
            .ints("context_len", "<i4", new long[] {2}, new long[] {9, 5}), false));
    assertEquals("F: array 'indices' [0, 0, 2] = 2 is not below the context length 2 of"
        + " sequence 0 at step 0 (from prompt_len + step); is the prompt length 2 right?"
        + " Without one the context is inferred from the indices",
        error(new NpzBuilder().ints("indices", "<i4", SHAPE, VALUES).scalar("prompt_len", 2),
            false));
    assertEquals("F: array 'context_len' [1] = -3: context lengths must be 0 or more",
        error(new NpzBuilder().ints("indices", "<i4", SHAPE, VALUES)
            .ints("context_len", "<i4", new long[] {2}, new long[] {9, -3}), false));
    assertEquals("F: array 'entry_bytes': value 0; expected a positive number",
        error(new NpzBuilder().ints("indices", "<i4", SHAPE, VALUES).scalar("entry_bytes", 0),
            false));
  }

  @Test
  void topkOverrideBeyondTheRowWidth() throws IOException {
    Path file = dir.resolve("k.npz");
    new NpzBuilder().ints("indices", "<i4", SHAPE, VALUES).write(file, false);
    assertEquals("F: --topk 4 exceeds the trace's top-k of 3; rows can only be truncated",
        error(file, new TraceOverrides(null, null, null, null, 4, null)));
  }

  @Test
  void malformedHeaders() throws IOException {
    assertTrue(error(new NpzBuilder().raw("indices", NpzBuilder.npyWithHeader(
        "{'descr': '<i4', 'fortran_order': False, }", new byte[0])), false)
        .contains("lacks 'descr', 'fortran_order' or 'shape'"));
    assertTrue(error(new NpzBuilder().raw("indices", NpzBuilder.npyWithHeader(
        "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 1, 3 }", new byte[0])), false)
        .contains("malformed .npy header"));
    assertTrue(error(new NpzBuilder().raw("indices", new byte[] {1, 2, 3}), false)
        .contains("array 'indices': not a .npy array"));
    assertTrue(error(new NpzBuilder().raw("indices", NpzBuilder.npyWithHeader(
        "{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (2,), }", new byte[8])),
        false).contains("structured dtype"));
  }
}
