package org.dsasim.workloads.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsasim.core.UserInputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a {@code .dsat} file can be damaged is reported as a {@link UserInputException}
 * naming the file and a byte offset: never another exception, never a silent wrong read.
 */
class DsatCorruptionTest {
  @TempDir Path dir;

  private TraceHeader header;
  private List<StepSelection> steps;
  private byte[] good;
  private Path file;

  @BeforeEach
  void writeSmallMultiBlockTrace() throws IOException {
    SplittableRandom rnd = new SplittableRandom(42);
    header = new TraceHeader("tiny", 2, 2, 5, 656, 132, 64, 20, 8, Map.of("a", "b"));
    steps = RandomTraces.steps(rnd, header);
    Path src = dir.resolve("good.dsat");
    DsatRoundTripTest.write(src, header, steps, 40);
    good = Files.readAllBytes(src);
    file = dir.resolve("damaged.dsat");
  }

  /** Writes {@code bytes} to the file and reads it, expecting an error. */
  private UserInputException readExpectingError(byte[] bytes, String what) throws IOException {
    Files.write(file, bytes);
    return readExpectingError(what);
  }

  /** Reads the whole file; returns the error or fails if the file read without one. */
  private UserInputException readExpectingError(String what) throws IOException {
    try (TraceSource r = Traces.open(file)) {
      StepSelection s = StepSelection.forHeader(r.header());
      while (r.next(s)) {
        // read everything
      }
    } catch (UserInputException e) {
      assertTrue(e.getMessage().startsWith(file.toString())
          || e.getMessage().contains(" " + file), what + ": no file name in: " + e.getMessage());
      assertTrue(e.getMessage().contains("offset"), what + ": no byte offset in: "
          + e.getMessage());
      return e;
    } catch (RuntimeException | IOException | Error e) {
      fail(what + ": " + e, e);
    }
    return fail(what + ": read without an error");
  }

  @Test
  void theFixtureHasSeveralBlocks() throws IOException {
    Files.write(file, good);
    try (DsatReader r = DsatReader.open(file)) {
      assertTrue(r.blocks() >= 3, "blocks " + r.blocks());
      assertTrue(good.length < 1000, "small enough to damage at every offset: " + good.length);
    }
    DsatRoundTripTest.assertReadsBack(file, header, steps);
  }

  @Test
  void everyFlippedByteIsDetected() throws IOException {
    // The damage is done in place: rewriting a whole file per case is slow on some disks.
    Files.write(file, good);
    int[] masks = {0x01, 0x80, 0xFF, 0x10};
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      for (int off = 0; off < good.length; off++) {
        int mask = masks[off % masks.length];
        ch.write(ByteBuffer.wrap(new byte[] {(byte) (good[off] ^ mask)}), off);
        readExpectingError("byte " + off + " xor " + mask);
        ch.write(ByteBuffer.wrap(good, off, 1), off);
      }
    }
  }

  @Test
  void everyTruncationIsDetected() throws IOException {
    Files.write(file, good);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      for (int len = good.length - 1; len >= 0; len--) {
        ch.truncate(len);
        UserInputException e = readExpectingError("cut at " + len);
        if (len >= 20) {
          assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
      }
    }
  }

  @Test
  void appendedBytesAreDetected() throws IOException {
    byte[] longer = Arrays.copyOf(good, good.length + 5);
    readExpectingError(longer, "appended");
  }

  @Test
  void wrongMagicSaysNotADsatTrace() throws IOException {
    byte[] bad = good.clone();
    bad[1] = 'X';
    Files.write(file, bad);
    UserInputException e = assertThrows(UserInputException.class, () -> DsatReader.open(file));
    assertEquals(file + ": not a .dsat trace: expected the magic bytes 89 44 53 41 54 0D 0A 1A"
        + " at byte offset 0, found 89 58 53 41 54 0D 0A 1A", e.getMessage());
  }

  @Test
  void newerVersionSaysSo() throws IOException {
    byte[] bad = good.clone();
    bad[8] = 2;
    UserInputException e = readExpectingError(bad, "version 2");
    assertEquals(file + ": format version 2 (byte offset 8) is newer than this dsasim reads"
        + " (version 1); use a newer dsasim to read it", e.getMessage());
  }

  private int headerEnd() {
    return 16 + ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getInt(12) + 4;
  }

  /** Replaces a u32 of a block header and fixes its CRC, as a buggy or hostile writer would. */
  private byte[] withBlockField(int fieldOffset, int value) {
    byte[] bad = good.clone();
    ByteBuffer b = ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN);
    int block = headerEnd();
    b.putInt(block + fieldOffset, value);
    b.putInt(block + 28, DsatFormat.crc32c(bad, block, 28));
    return bad;
  }

  @Test
  void hugeDeclaredLengthsAreRejectedBeforeAllocating() throws IOException {
    int block = headerEnd();
    UserInputException e =
        readExpectingError(withBlockField(16, Integer.MAX_VALUE), "raw length");
    assertTrue(e.getMessage().contains("byte offset " + block), e.getMessage());
    assertTrue(e.getMessage().contains("declares"), e.getMessage());
    e = readExpectingError(withBlockField(20, -1), "compressed length");
    assertTrue(e.getMessage().contains("compressed size of 4294967295 bytes"), e.getMessage());
    e = readExpectingError(withBlockField(12, -1), "step count");
    assertTrue(e.getMessage().contains("declares 4294967295 steps"), e.getMessage());

    byte[] bad = good.clone();
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(12, Integer.MAX_VALUE);
    e = readExpectingError(bad, "header length");
    assertTrue(e.getMessage().contains("header length 2147483647 outside"), e.getMessage());
  }

  @Test
  void blockFieldsThatDisagreeWithThePayloadAreCaught() throws IOException {
    ByteBuffer b = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN);
    int block = headerEnd();
    int indexCount = b.getInt(block + 24);
    UserInputException e = readExpectingError(withBlockField(24, indexCount + 1), "index count");
    assertTrue(e.getMessage().contains("payload malformed"), e.getMessage());
    e = readExpectingError(withBlockField(4, 5), "first step");
    assertTrue(e.getMessage().contains("starts at step 5, expected step 0"), e.getMessage());
  }

  @Test
  void footerCountsMustMatchTheBlocks() throws IOException {
    byte[] bad = good.clone();
    ByteBuffer b = ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN);
    int footer = bad.length - DsatFormat.FOOTER_BYTES;
    b.putLong(footer + 4, b.getLong(footer + 4) + 1);
    b.putInt(footer + 32, DsatFormat.crc32c(bad, footer, 32));
    UserInputException e = readExpectingError(bad, "footer steps");
    assertTrue(e.getMessage().contains("the footer records"), e.getMessage());
    assertTrue(e.getMessage().contains("byte offset " + footer), e.getMessage());
  }

  @Test
  void aFileOfAnotherKindIsNotATrace() throws IOException {
    Files.writeString(file, "hello, this is text");
    UserInputException e = assertThrows(UserInputException.class, () -> Traces.open(file));
    assertTrue(e.getMessage().contains("not a .dsat trace"), e.getMessage());
    Path other = dir.resolve("notes.txt");
    Files.writeString(other, "hello");
    e = assertThrows(UserInputException.class, () -> Traces.open(other));
    assertEquals(other + ": not a trace: expected a .dsat trace (starting with the bytes 89 44"
        + " 53 41 54 0D 0A 1A) or a NumPy .npz archive (a zip, starting with 50 4B 03 04),"
        + " found the bytes 68 65 6C 6C 6F", e.getMessage());
    e = assertThrows(UserInputException.class, () -> Traces.open(dir.resolve("missing.dsat")));
    assertEquals("cannot read " + dir.resolve("missing.dsat") + ": no such file", e.getMessage());
    e = assertThrows(UserInputException.class, () -> Traces.open(dir));
    assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
  }
}
