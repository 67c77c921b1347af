package org.dsasim.workloads.npz;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import org.dsasim.core.UserInputException;

/**
 * One array of an {@code .npz} archive being read: its header and a forward-only stream over its
 * elements in storage order. Memory is one 64 KiB conversion buffer, whatever the array size.
 * Reading the last element checks the archive entry's CRC32, so a corrupt archive is reported.
 */
public final class NpyArray implements Closeable {
  private static final int CHUNK_BYTES = 1 << 16;
  private static final VarHandle I16_LE = view(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle I16_BE = view(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle I32_LE = view(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle I32_BE = view(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle I64_LE = view(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle I64_BE = view(long[].class, ByteOrder.BIG_ENDIAN);

  private final String name;
  private final String where;
  private final NpyHeader header;
  private final CheckedInputStream in;
  private final long expectedCrc;
  private final long elements;
  private byte[] chunk;
  private long elementsRead;
  private boolean verified;

  NpyArray(String name, String where, NpyHeader header, CheckedInputStream in, long expectedCrc) {
    this.name = name;
    this.where = where;
    this.header = header;
    this.in = in;
    this.expectedCrc = expectedCrc;
    this.elements = header.elements();
  }

  private static VarHandle view(Class<?> arrayClass, ByteOrder order) {
    return MethodHandles.byteArrayViewVarHandle(arrayClass, order);
  }

  /** The array's name in the archive (the entry name without {@code .npy}). */
  public String name() {
    return name;
  }

  /** File and array name as error messages show them, e.g. {@code x.npz: array 'seq0'}. */
  public String where() {
    return where;
  }

  public NpyHeader header() {
    return header;
  }

  /**
   * Reads the next {@code n} elements as ints into {@code dst[off..off+n)}.
   *
   * @throws UserInputException if the dtype is not an integer type, the data ends early, or a
   *     value does not fit a Java int
   */
  public void readInts(int[] dst, int off, int n) throws IOException {
    NpyDtype dt = header.dtype();
    if (!dt.isInteger()) {
      throw new UserInputException(where + ": dtype '" + dt.descr() + "' is not an integer type;"
          + " expected int8/16/32/64 or uint8/16/32");
    }
    if (n > elements - elementsRead) {
      throw new IllegalArgumentException("reading past the end of " + where);
    }
    int size = dt.itemSize();
    boolean le = dt.order() == ByteOrder.LITTLE_ENDIAN;
    boolean unsigned = dt.kind() == 'u';
    int perChunk = CHUNK_BYTES / size;
    while (n > 0) {
      int count = Math.min(n, perChunk);
      byte[] b = fill(count * size);
      switch (unsigned ? -size : size) {
        case 1 -> {
          for (int i = 0; i < count; i++) {
            dst[off + i] = b[i];
          }
        }
        case -1 -> {
          for (int i = 0; i < count; i++) {
            dst[off + i] = b[i] & 0xFF;
          }
        }
        case 2 -> {
          VarHandle h = le ? I16_LE : I16_BE;
          for (int i = 0; i < count; i++) {
            dst[off + i] = (short) h.get(b, 2 * i);
          }
        }
        case -2 -> {
          VarHandle h = le ? I16_LE : I16_BE;
          for (int i = 0; i < count; i++) {
            dst[off + i] = (short) h.get(b, 2 * i) & 0xFFFF;
          }
        }
        case 4, -4 -> {
          VarHandle h = le ? I32_LE : I32_BE;
          for (int i = 0; i < count; i++) {
            int v = (int) h.get(b, 4 * i);
            if (v < 0 && unsigned) {
              throw tooLarge(elementsRead + i, Integer.toUnsignedString(v));
            }
            dst[off + i] = v;
          }
        }
        default -> {
          VarHandle h = le ? I64_LE : I64_BE;
          for (int i = 0; i < count; i++) {
            long v = (long) h.get(b, 8 * i);
            if (unsigned ? v < 0 || v > Integer.MAX_VALUE : v != (int) v) {
              throw tooLarge(elementsRead + i, unsigned ? Long.toUnsignedString(v)
                  : Long.toString(v));
            }
            dst[off + i] = (int) v;
          }
        }
      }
      off += count;
      n -= count;
      elementsRead += count;
    }
    if (elementsRead == elements) {
      verifyChecksum();
    }
  }

  private UserInputException tooLarge(long element, String value) {
    return new UserInputException(where + ": element " + element + " " + position(element)
        + " is " + value + ", which does not fit a 32-bit signed integer");
  }

  /**
   * The multi-dimensional position of a flat (C-order) element index, e.g. {@code [3, 1, 17]}.
   */
  public String position(long element) {
    long[] shape = header.shape();
    long[] pos = new long[shape.length];
    long rest = element;
    for (int d = shape.length - 1; d >= 0; d--) {
      pos[d] = shape[d] == 0 ? 0 : rest % shape[d];
      rest = shape[d] == 0 ? 0 : rest / shape[d];
    }
    StringBuilder sb = new StringBuilder("[");
    for (int d = 0; d < pos.length; d++) {
      sb.append(d == 0 ? "" : ", ").append(pos[d]);
    }
    return sb.append(']').toString();
  }

  /** Reads the rest of a small array (a scalar) as raw bytes. */
  private byte[] readAllBytes() throws IOException {
    long bytes = (elements - elementsRead) * header.dtype().itemSize();
    if (bytes > NpzArchive.MAX_SCALAR_BYTES) {
      throw new UserInputException(where + ": " + bytes + " bytes is too large for a metadata"
          + " value");
    }
    byte[] b = fill((int) bytes).clone();
    elementsRead = elements;
    verifyChecksum();
    return b;
  }

  /**
   * The value of a scalar array (shape {@code ()} or {@code (1,)}) as text: strings decoded
   * (NumPy pads them with NULs), numbers in decimal, booleans as {@code True}/{@code False}.
   */
  public String scalarText() throws IOException {
    requireScalar();
    NpyDtype dt = header.dtype();
    byte[] b = readAllBytes();
    boolean le = dt.order() == ByteOrder.LITTLE_ENDIAN;
    return switch (dt.kind()) {
      case 'U' -> {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 4 <= b.length; i += 4) {
          int cp = (int) (le ? I32_LE : I32_BE).get(b, i);
          if (cp == 0) {
            break;
          }
          if (!Character.isValidCodePoint(cp)) {
            throw new UserInputException(where + ": invalid unicode code point " + cp);
          }
          sb.appendCodePoint(cp);
        }
        yield sb.toString();
      }
      case 'S' -> {
        int len = 0;
        while (len < b.length && b[len] != 0) {
          len++;
        }
        yield new String(b, 0, len, StandardCharsets.UTF_8);
      }
      case 'b' -> b[0] != 0 ? "True" : "False";
      case 'f' -> dt.itemSize() == 4
          ? Float.toString(Float.intBitsToFloat((int) (le ? I32_LE : I32_BE).get(b, 0)))
          : Double.toString(Double.longBitsToDouble((long) (le ? I64_LE : I64_BE).get(b, 0)));
      default -> {
        long v = switch (dt.itemSize()) {
          case 1 -> dt.kind() == 'u' ? b[0] & 0xFF : b[0];
          case 2 -> dt.kind() == 'u' ? (short) (le ? I16_LE : I16_BE).get(b, 0) & 0xFFFF
              : (short) (le ? I16_LE : I16_BE).get(b, 0);
          case 4 -> dt.kind() == 'u' ? (int) (le ? I32_LE : I32_BE).get(b, 0) & 0xFFFFFFFFL
              : (int) (le ? I32_LE : I32_BE).get(b, 0);
          default -> (long) (le ? I64_LE : I64_BE).get(b, 0);
        };
        yield dt.kind() == 'u' && dt.itemSize() == 8 ? Long.toUnsignedString(v)
            : Long.toString(v);
      }
    };
  }

  /**
   * The value of an integer scalar array.
   *
   * @throws UserInputException if the array is not an integer scalar fitting an int
   */
  public int scalarInt() throws IOException {
    requireScalar();
    if (!header.dtype().isInteger()) {
      throw new UserInputException(where + ": dtype '" + header.dtype().descr() + "' is not an"
          + " integer type; expected an integer scalar");
    }
    int[] v = new int[1];
    readInts(v, 0, 1);
    return v[0];
  }

  /** Whether the array holds exactly one value (shape {@code ()} or {@code (1,)}). */
  public boolean isScalar() {
    return header.rank() == 0 || (header.rank() == 1 && header.shape()[0] == 1);
  }

  private void requireScalar() {
    if (!isScalar()) {
      throw new UserInputException(where + ": expected a scalar (shape () or (1,)), found shape "
          + header.shapeText());
    }
  }

  private byte[] fill(int bytes) throws IOException {
    if (chunk == null || chunk.length < bytes) {
      chunk = new byte[Math.max(bytes, Math.min(CHUNK_BYTES, 1024))];
    }
    int got;
    try {
      got = in.readNBytes(chunk, 0, bytes);
    } catch (IOException e) {
      // Inflater errors (ZipException, EOFException) mean corrupt or cut compressed data.
      throw new UserInputException(where + ": cannot read element " + elementsRead + " onwards: "
          + e.getMessage() + "; the archive is corrupt or truncated", e);
    }
    if (got < bytes) {
      long atElement = elementsRead + got / header.dtype().itemSize();
      throw new UserInputException(where + ": data ends after element " + atElement + " of "
          + elements + " (shape " + header.shapeText() + "); the array is truncated");
    }
    return chunk;
  }

  private void verifyChecksum() throws IOException {
    if (verified) {
      return;
    }
    verified = true;
    int extra;
    try {
      extra = in.read();
    } catch (IOException e) {
      throw new UserInputException(where + ": cannot read the end of the data: " + e.getMessage()
          + "; the archive is corrupt or truncated", e);
    }
    if (extra >= 0) {
      throw new UserInputException(where + ": more data than its shape " + header.shapeText()
          + " and dtype '" + header.dtype().descr() + "' account for");
    }
    if (expectedCrc >= 0 && in.getChecksum().getValue() != expectedCrc) {
      throw new UserInputException(where + ": CRC32 mismatch (archive says "
          + Long.toHexString(expectedCrc) + ", data gives "
          + Long.toHexString(in.getChecksum().getValue()) + "); the archive is corrupt");
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  static CheckedInputStream checked(InputStream raw) {
    return new CheckedInputStream(raw, new CRC32());
  }
}
