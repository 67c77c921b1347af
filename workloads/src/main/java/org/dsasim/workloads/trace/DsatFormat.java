package org.dsasim.workloads.trace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The byte layout of a {@code .dsat} trace file, shared by {@link DsatWriter} and
 * {@link DsatReader}. {@code docs/trace-format.md} describes the same layout for people; keep the
 * two in step. All integers are little-endian.
 */
final class DsatFormat {
  private DsatFormat() {}

  /** PNG-style magic: a non-ASCII first byte and CR LF / SUB catch text-mode transfers. */
  static final byte[] MAGIC = {(byte) 0x89, 'D', 'S', 'A', 'T', '\r', '\n', 0x1A};

  static final int VERSION = 1;

  /** Magic (8), version (u16), flags (u16), header body length (u32). Fixed in every version. */
  static final int PREAMBLE_BYTES = 16;

  static final int CRC_BYTES = 4;

  /** A header body holds a few numbers, the model name and the metadata map: 1 MiB is ample. */
  static final int MAX_HEADER_BODY_BYTES = 1 << 20;

  static final byte CODEC_ZSTD = 1;

  static final byte[] BLOCK_MAGIC = {'D', 'S', 'B', 'K'};
  static final int BLOCK_HEADER_BYTES = 32;

  static final byte[] FOOTER_MAGIC = {'D', 'S', 'E', 'N'};
  static final int FOOTER_BYTES = 36;

  /** Uncompressed payload size at which the writer closes a block. */
  static final int DEFAULT_BLOCK_TARGET_BYTES = 1 << 20;

  static final int MAX_BLOCK_TARGET_BYTES = 64 << 20;


  static final int MAX_STRING_BYTES = 1 << 16;

  /** Longest varint: a 32-bit value in 7-bit groups. */
  static final int MAX_VARINT_BYTES = 5;

  static int crc32c(byte[] bytes, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, off, len);
    return (int) crc.getValue();
  }

  static ByteBuffer le(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Worst-case encoded size of one step: a context-length varint per sequence, a count varint per
   * (layer, sequence) and up to topk index varints each.
   */
  static long maxStepBytes(int layers, int seqs, int topk) {
    long rows = (long) layers * seqs;
    return (long) MAX_VARINT_BYTES * (seqs + rows + rows * topk);
  }

  /** Smallest encoded size of one step (every varint one byte, every row empty). */
  static long minStepBytes(int layers, int seqs) {
    return seqs + (long) layers * seqs;
  }

  /**
   * Why a trace of this shape cannot be stored, or null if it can. The limits keep every buffer
   * a reader allocates below 2 GiB whatever the file says.
   */
  static String shapeProblem(int layers, int seqs, int topk) {
    if (layers <= 0 || seqs <= 0 || topk <= 0) {
      return "layers, sequences and topk must be positive (found " + layers + ", " + seqs + ", "
          + topk + ")";
    }
    if ((long) layers * seqs * topk > Traces.MAX_SLOTS_PER_STEP) {
      return "layers x sequences x topk = " + layers + " x " + seqs + " x " + topk
          + " exceeds the supported " + Traces.MAX_SLOTS_PER_STEP + " index slots per step";
    }
    return null;
  }

  /** The complete header: preamble, body and CRC32C over both. */
  static byte[] encodeHeader(TraceHeader h, int blockTargetBytes) {
    byte[] model = h.model().getBytes(StandardCharsets.UTF_8);
    Map<String, String> sorted = new TreeMap<>(h.metadata());
    int bodyLen = 8 * 4 + 1 + 4 + model.length + 4;
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      bodyLen += 8 + utf8Length(e.getKey()) + utf8Length(e.getValue());
    }
    if (bodyLen > MAX_HEADER_BODY_BYTES) {
      throw new IllegalArgumentException(
          "trace header of " + bodyLen + " bytes exceeds " + MAX_HEADER_BODY_BYTES
              + " bytes; the metadata map is too large");
    }
    byte[] out = new byte[PREAMBLE_BYTES + bodyLen + CRC_BYTES];
    ByteBuffer b = le(out);
    b.put(MAGIC).putShort((short) VERSION).putShort((short) 0).putInt(bodyLen);
    b.putInt(h.layers()).putInt(h.seqs()).putInt(h.topk());
    b.putInt(h.entryBytes()).putInt(h.indexKeyBytes()).putInt(h.pageTokens()).putInt(h.promptLen());
    b.putInt(blockTargetBytes).put(CODEC_ZSTD);
    putString(b, h.model());
    b.putInt(sorted.size());
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      putString(b, e.getKey());
      putString(b, e.getValue());
    }
    b.putInt(crc32c(out, 0, PREAMBLE_BYTES + bodyLen));
    return out;
  }

  private static int utf8Length(String s) {
    int n = s.getBytes(StandardCharsets.UTF_8).length;
    if (n > MAX_STRING_BYTES) {
      throw new IllegalArgumentException(
          "trace header string of " + n + " bytes exceeds " + MAX_STRING_BYTES + ": "
              + s.substring(0, 40) + "...");
    }
    return n;
  }

  private static void putString(ByteBuffer b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.putInt(bytes.length).put(bytes);
  }

  static byte[] encodeBlockHeader(
      long firstStep, int stepCount, int rawLen, int compressedLen, int indexCount) {
    byte[] out = new byte[BLOCK_HEADER_BYTES];
    ByteBuffer b = le(out);
    b.put(BLOCK_MAGIC).putLong(firstStep).putInt(stepCount).putInt(rawLen).putInt(compressedLen);
    b.putInt(indexCount);
    b.putInt(crc32c(out, 0, BLOCK_HEADER_BYTES - CRC_BYTES));
    return out;
  }

  static byte[] encodeFooter(long steps, long indices, int blocks, long footerOffset) {
    byte[] out = new byte[FOOTER_BYTES];
    ByteBuffer b = le(out);
    b.put(FOOTER_MAGIC).putLong(steps).putLong(indices).putInt(blocks).putLong(footerOffset);
    b.putInt(crc32c(out, 0, FOOTER_BYTES - CRC_BYTES));
    return out;
  }

  /** ZigZag: small magnitudes of either sign become small unsigned numbers. */
  static int zigzag(int v) {
    return (v << 1) ^ (v >> 31);
  }

  static int unzigzag(int v) {
    return (v >>> 1) ^ -(v & 1);
  }

  /** Hex dump of a few bytes for error messages, e.g. {@code 89 44 53 41}. */
  static String hex(byte[] bytes, int off, int len) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(String.format("%02X", bytes[off + i] & 0xFF));
    }
    return sb.toString();
  }

  /** A CRC32C as printed in error messages. */
  static String hexInt(int v) {
    return String.format("%08X", v);
  }
}
