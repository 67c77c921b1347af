package org.dsasim.workloads.trace;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.dsasim.core.UserInputException;

/**
 * Reads a {@code .dsat} trace one block at a time (see {@code docs/trace-format.md}).
 *
 * <p>Opening checks the header and the footer, so a file cut short anywhere is reported before
 * the first step. Each block's header and payload are CRC32C-checked before they are used, and
 * every length read from the file is checked against limits derived from the (checked) header
 * before anything is allocated: the retained memory is two block buffers, bounded by the block
 * target size plus one step's worst-case encoding ({@link #bufferBytes()}), whatever the file
 * size. Every problem with the file is a {@link UserInputException} naming the file and the byte
 * offset.
 */
public final class DsatReader implements TraceSource {
  private final String name;
  private final FileChannel channel;
  private final long fileSize;
  private final TraceHeader header;
  private final int blockTargetBytes;
  private final long footerOffset;
  private final long footerSteps;
  private final long footerIndices;
  private final int footerBlocks;
  private final long maxRawBlockBytes;
  private final long minStepBytes;
  private final int rawPadding;
  private final int[] contextLen;
  private final byte[] blockHeader = new byte[DsatFormat.BLOCK_HEADER_BYTES];

  /** Created with the first block, so that a file rejected on open holds no native memory. */
  private ZstdDecompressCtx zstd;
  private byte[] compressed = new byte[0];
  private byte[] raw = new byte[0];
  private long pos;
  private int blocksRead;
  private long blockOffset;
  private int rawLen;
  private int rawPos;
  private int stepsLeftInBlock;
  private int blockIndexCount;
  private int blockIndicesSeen;
  private long nextStep;
  private long indicesRead;
  private long compressedBytesRead;
  private long rawBytesRead;
  private boolean finished;

  private DsatReader(Path file, FileChannel channel) throws IOException {
    this.name = file.toString();
    this.channel = channel;
    this.fileSize = channel.size();
    byte[] preamble = readPreamble();
    int bodyLen = DsatFormat.le(preamble).getInt(12);
    long headerEnd = (long) DsatFormat.PREAMBLE_BYTES + bodyLen + DsatFormat.CRC_BYTES;
    byte[] headerBytes = new byte[(int) headerEnd];
    readFully(headerBytes, 0, headerBytes.length, 0, "the header");
    int stored = DsatFormat.le(headerBytes).getInt((int) headerEnd - DsatFormat.CRC_BYTES);
    int computed = DsatFormat.crc32c(headerBytes, 0, (int) headerEnd - DsatFormat.CRC_BYTES);
    if (stored != computed) {
      throw corrupt(
          headerEnd - DsatFormat.CRC_BYTES,
          "header checksum mismatch (CRC32C stored " + DsatFormat.hexInt(stored) + ", computed "
              + DsatFormat.hexInt(computed) + " over bytes 0.." + (headerEnd - 4)
              + "); the header is corrupt");
    }
    int flags = DsatFormat.le(headerBytes).getShort(10) & 0xFFFF;
    if (flags != 0) {
      throw corrupt(10, "unknown header flags 0x" + Integer.toHexString(flags)
          + " (format version 1 defines none)");
    }
    HeaderBody body = new HeaderBody(headerBytes, (int) headerEnd - DsatFormat.CRC_BYTES);
    this.blockTargetBytes = body.blockTarget;
    this.maxRawBlockBytes =
        blockTargetBytes + DsatFormat.maxStepBytes(body.layers, body.seqs, body.topk);
    this.minStepBytes = DsatFormat.minStepBytes(body.layers, body.seqs);
    this.rawPadding = DsatFormat.MAX_VARINT_BYTES * (body.topk + 2);

    if (fileSize < headerEnd + DsatFormat.FOOTER_BYTES) {
      throw truncated(headerEnd);
    }
    this.footerOffset = fileSize - DsatFormat.FOOTER_BYTES;
    byte[] footer = new byte[DsatFormat.FOOTER_BYTES];
    readFully(footer, 0, footer.length, footerOffset, "the footer");
    if (!Arrays.equals(footer, 0, 4, DsatFormat.FOOTER_MAGIC, 0, 4)) {
      throw truncated(footerOffset);
    }
    ByteBuffer f = DsatFormat.le(footer);
    int footerCrc = DsatFormat.crc32c(footer, 0, DsatFormat.FOOTER_BYTES - DsatFormat.CRC_BYTES);
    if (f.getInt(32) != footerCrc) {
      throw corrupt(footerOffset, "footer checksum mismatch (CRC32C stored "
          + DsatFormat.hexInt(f.getInt(32)) + ", computed " + DsatFormat.hexInt(footerCrc)
          + "); the footer is corrupt");
    }
    this.footerSteps = f.getLong(4);
    this.footerIndices = f.getLong(12);
    this.footerBlocks = f.getInt(20);
    long recordedOffset = f.getLong(24);
    if (recordedOffset != footerOffset) {
      throw corrupt(footerOffset, "the footer records that it starts at byte offset "
          + recordedOffset + "; bytes were removed from or added to the file");
    }
    if (footerSteps < 0 || footerIndices < 0 || footerBlocks < 0) {
      throw corrupt(footerOffset, "negative counts in the footer");
    }
    this.header = new TraceHeader(
        body.model, body.layers, body.seqs, body.topk, body.entryBytes, body.indexKeyBytes,
        body.pageTokens, body.promptLen, footerSteps, body.metadata);
    this.contextLen = new int[body.seqs];
    this.pos = headerEnd;
  }

  /**
   * Opens a trace for reading.
   *
   * @throws UserInputException if the file is missing, unreadable, not a {@code .dsat} trace, of a
   *     newer format version, truncated or corrupt in its header or footer
   */
  public static DsatReader open(Path file) throws IOException {
    FileChannel channel = Traces.openChannel(file);
    try {
      return new DsatReader(file, channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private byte[] readPreamble() throws IOException {
    if (fileSize == 0) {
      throw new UserInputException(name + ": empty file at byte offset 0; expected a .dsat trace");
    }
    int n = (int) Math.min(fileSize, DsatFormat.PREAMBLE_BYTES);
    byte[] pre = new byte[DsatFormat.PREAMBLE_BYTES];
    readFully(pre, 0, n, 0, "the header");
    int magicLen = Math.min(n, DsatFormat.MAGIC.length);
    if (!Arrays.equals(pre, 0, magicLen, DsatFormat.MAGIC, 0, magicLen)) {
      throw new UserInputException(name + ": not a .dsat trace: expected the magic bytes "
          + DsatFormat.hex(DsatFormat.MAGIC, 0, 8) + " at byte offset 0, found "
          + (magicLen == 0 ? "an empty file" : DsatFormat.hex(pre, 0, magicLen)));
    }
    if (n < DsatFormat.PREAMBLE_BYTES) {
      throw new UserInputException(name + ": truncated trace: the file ends at byte offset " + n
          + ", inside the " + DsatFormat.PREAMBLE_BYTES + "-byte start of the header");
    }
    ByteBuffer b = DsatFormat.le(pre);
    int version = b.getShort(8) & 0xFFFF;
    if (version > DsatFormat.VERSION) {
      throw new UserInputException(name + ": format version " + version + " (byte offset 8) is"
          + " newer than this dsasim reads (version " + DsatFormat.VERSION + "); use a newer"
          + " dsasim to read it");
    }
    if (version != DsatFormat.VERSION) {
      throw corrupt(8, "unknown format version " + version + " (expected "
          + DsatFormat.VERSION + ")");
    }
    long bodyLen = b.getInt(12) & 0xFFFFFFFFL;
    if (bodyLen < HeaderBody.MIN_BYTES || bodyLen > DsatFormat.MAX_HEADER_BODY_BYTES) {
      throw corrupt(12, "header length " + bodyLen + " outside [" + HeaderBody.MIN_BYTES + ", "
          + DsatFormat.MAX_HEADER_BODY_BYTES + "]; the header is corrupt");
    }
    long headerEnd = DsatFormat.PREAMBLE_BYTES + bodyLen + DsatFormat.CRC_BYTES;
    if (fileSize < headerEnd) {
      throw new UserInputException(name + ": truncated or corrupt trace: the header length at"
          + " byte offset 12 says the header ends at byte offset " + headerEnd + ", but the file"
          + " has only " + fileSize + " bytes");
    }
    return pre;
  }

  /** Field-by-field decoding of the CRC-checked header body, with bounds on every length. */
  private final class HeaderBody {
    static final int MIN_BYTES = 8 * 4 + 1 + 4 + 4;
    final ByteBuffer b;
    final int end;
    final int layers;
    final int seqs;
    final int topk;
    final int entryBytes;
    final int indexKeyBytes;
    final int pageTokens;
    final int promptLen;
    final int blockTarget;
    final String model;
    final Map<String, String> metadata = new HashMap<>();

    HeaderBody(byte[] bytes, int end) {
      this.b = DsatFormat.le(bytes);
      this.end = end;
      b.position(DsatFormat.PREAMBLE_BYTES);
      layers = b.getInt();
      seqs = b.getInt();
      topk = b.getInt();
      entryBytes = b.getInt();
      indexKeyBytes = b.getInt();
      pageTokens = b.getInt();
      promptLen = b.getInt();
      blockTarget = b.getInt();
      String shape = DsatFormat.shapeProblem(layers, seqs, topk);
      if (shape != null) {
        throw corrupt(DsatFormat.PREAMBLE_BYTES, shape);
      }
      if (entryBytes <= 0 || pageTokens <= 0 || indexKeyBytes < 0 || promptLen < 0) {
        throw corrupt(DsatFormat.PREAMBLE_BYTES + 12, "entry bytes " + entryBytes
            + ", index key bytes " + indexKeyBytes + ", page size " + pageTokens
            + ", prompt length " + promptLen + ": expected positive, >= 0, positive, >= 0");
      }
      if (blockTarget <= 0 || blockTarget > DsatFormat.MAX_BLOCK_TARGET_BYTES) {
        throw corrupt(DsatFormat.PREAMBLE_BYTES + 28, "block size " + blockTarget
            + " outside [1, " + DsatFormat.MAX_BLOCK_TARGET_BYTES + "]");
      }
      int codecAt = b.position();
      byte codec = b.get();
      if (codec != DsatFormat.CODEC_ZSTD) {
        throw corrupt(codecAt, "unknown compression codec " + codec + " (expected "
            + DsatFormat.CODEC_ZSTD + " = zstd)");
      }
      model = string();
      int countAt = b.position();
      int count = intField(8);
      for (int i = 0; i < count; i++) {
        String key = string();
        String value = string();
        if (metadata.put(key, value) != null) {
          throw corrupt(countAt, "metadata key '" + key + "' appears twice");
        }
      }
      if (b.position() != end) {
        throw corrupt(b.position(), (end - b.position()) + " unexpected bytes after the metadata");
      }
    }

    /** A u32 that counts items of at least {@code minItemBytes} each in the rest of the body. */
    private int intField(int minItemBytes) {
      int at = b.position();
      if (end - at < 4) {
        throw corrupt(at, "header body ends inside a field");
      }
      long v = b.getInt() & 0xFFFFFFFFL;
      if (v * minItemBytes > end - b.position()) {
        throw corrupt(at, "length " + v + " exceeds the " + (end - b.position())
            + " bytes left in the header");
      }
      return (int) v;
    }

    private String string() {
      int len = intField(1);
      String s = new String(b.array(), b.position(), len, StandardCharsets.UTF_8);
      b.position(b.position() + len);
      return s;
    }
  }

  @Override
  public TraceHeader header() {
    return header;
  }

  @Override
  public boolean next(StepSelection into) throws IOException {
    if (into.layers() != header.layers() || into.seqs() != header.seqs()
        || into.topk() != header.topk()) {
      throw new IllegalArgumentException("step buffer shape differs from the trace header");
    }
    if (stepsLeftInBlock == 0) {
      if (finished) {
        return false;
      }
      if (pos == footerOffset) {
        checkEnd();
        finished = true;
        return false;
      }
      loadBlock();
    }
    decodeStep(into);
    if (--stepsLeftInBlock == 0) {
      if (rawPos != rawLen || blockIndicesSeen != blockIndexCount) {
        throw malformed(rawPos, "block holds " + rawLen + " bytes and " + blockIndexCount
            + " indices, its steps used " + rawPos + " bytes and " + blockIndicesSeen
            + " indices");
      }
    }
    return true;
  }

  private void checkEnd() {
    if (blocksRead != footerBlocks || nextStep != footerSteps || indicesRead != footerIndices) {
      throw corrupt(footerOffset, "the footer records " + footerBlocks + " blocks, "
          + footerSteps + " steps and " + footerIndices + " indices, the file holds " + blocksRead
          + ", " + nextStep + " and " + indicesRead);
    }
  }

  private void loadBlock() throws IOException {
    blockOffset = pos;
    String what = "block " + blocksRead;
    if (footerOffset - pos < DsatFormat.BLOCK_HEADER_BYTES + DsatFormat.CRC_BYTES) {
      throw corrupt(pos, what + ": only " + (footerOffset - pos) + " bytes before the footer, a"
          + " block needs at least " + (DsatFormat.BLOCK_HEADER_BYTES + DsatFormat.CRC_BYTES));
    }
    readFully(blockHeader, 0, blockHeader.length, pos, what);
    if (!Arrays.equals(blockHeader, 0, 4, DsatFormat.BLOCK_MAGIC, 0, 4)) {
      throw corrupt(pos, what + ": expected the block magic "
          + DsatFormat.hex(DsatFormat.BLOCK_MAGIC, 0, 4) + ", found "
          + DsatFormat.hex(blockHeader, 0, 4));
    }
    ByteBuffer h = DsatFormat.le(blockHeader);
    int stored = h.getInt(DsatFormat.BLOCK_HEADER_BYTES - DsatFormat.CRC_BYTES);
    int computed =
        DsatFormat.crc32c(blockHeader, 0, DsatFormat.BLOCK_HEADER_BYTES - DsatFormat.CRC_BYTES);
    if (stored != computed) {
      throw corrupt(pos, what + " header checksum mismatch (CRC32C stored "
          + DsatFormat.hexInt(stored) + ", computed " + DsatFormat.hexInt(computed) + ")");
    }
    long firstStep = h.getLong(4);
    long stepCount = h.getInt(12) & 0xFFFFFFFFL;
    long rawLength = h.getInt(16) & 0xFFFFFFFFL;
    long compLength = h.getInt(20) & 0xFFFFFFFFL;
    long indexCount = h.getInt(24) & 0xFFFFFFFFL;
    if (firstStep != nextStep) {
      throw corrupt(pos, what + " starts at step " + firstStep + ", expected step " + nextStep);
    }
    if (stepCount < 1 || rawLength < stepCount * minStepBytes || rawLength > maxRawBlockBytes) {
      throw corrupt(pos, what + " declares " + stepCount + " steps in " + rawLength
          + " bytes; expected at least 1 step of at least " + minStepBytes
          + " bytes and at most " + maxRawBlockBytes + " bytes");
    }
    long payloadEnd = pos + DsatFormat.BLOCK_HEADER_BYTES + compLength + DsatFormat.CRC_BYTES;
    if (compLength < 1 || compLength > Zstd.compressBound(rawLength)
        || payloadEnd > footerOffset) {
      throw corrupt(pos, what + " declares a compressed size of " + compLength
          + " bytes; expected 1.." + Zstd.compressBound(rawLength) + " and within the "
          + (footerOffset - pos - DsatFormat.BLOCK_HEADER_BYTES - DsatFormat.CRC_BYTES)
          + " bytes before the footer");
    }
    if (indexCount > rawLength) {
      throw corrupt(pos, what + " declares " + indexCount + " indices in " + rawLength
          + " bytes");
    }
    int comp = (int) compLength;
    if (compressed.length < comp + DsatFormat.CRC_BYTES) {
      compressed = new byte[comp + DsatFormat.CRC_BYTES];
    }
    long payloadAt = pos + DsatFormat.BLOCK_HEADER_BYTES;
    readFully(compressed, 0, comp + DsatFormat.CRC_BYTES, payloadAt, what);
    int storedPayload = DsatFormat.le(compressed).getInt(comp);
    int computedPayload = DsatFormat.crc32c(compressed, 0, comp);
    if (storedPayload != computedPayload) {
      throw corrupt(payloadAt, what + " payload checksum mismatch (CRC32C stored "
          + DsatFormat.hexInt(storedPayload) + ", computed " + DsatFormat.hexInt(computedPayload)
          + " over " + comp + " bytes); the block is corrupt");
    }
    int rawSize = (int) rawLength;
    // Padding lets one row decode without per-byte bounds checks; rows are checked at their end.
    if (raw.length < rawSize + rawPadding) {
      raw = new byte[rawSize + rawPadding];
    }
    if (zstd == null) {
      zstd = new ZstdDecompressCtx();
    }
    int got;
    try {
      got = zstd.decompressByteArray(raw, 0, rawSize, compressed, 0, comp);
    } catch (ZstdException e) {
      throw corrupt(payloadAt, what + " does not decompress (" + e.getMessage() + ")");
    }
    if (got != rawSize) {
      throw corrupt(payloadAt, what + " decompresses to " + got + " bytes, its header says "
          + rawSize);
    }
    pos = payloadEnd;
    blocksRead++;
    compressedBytesRead += comp;
    rawBytesRead += rawSize;
    rawLen = rawSize;
    rawPos = 0;
    stepsLeftInBlock = (int) stepCount;
    blockIndexCount = (int) indexCount;
    blockIndicesSeen = 0;
    Arrays.fill(contextLen, 0);
  }

  /** The inverse of {@link DsatWriter}'s encoding; see there for the layout. */
  private void decodeStep(StepSelection into) {
    final byte[] r = raw;
    final int end = rawLen;
    final int layers = header.layers();
    final int seqs = header.seqs();
    final int topk = header.topk();
    final int[] ctxs = contextLen;
    int p = rawPos;
    for (int s = 0; s < seqs; s++) {
      long packed = varint(r, p);
      p = (int) (packed >>> 32);
      int ctx = ctxs[s] + DsatFormat.unzigzag((int) packed);
      if (packed < 0 || p > end || ctx < 0) {
        throw malformed(rawPos, "bad context length of sequence " + s);
      }
      ctxs[s] = ctx;
      into.setContextLen(s, ctx);
    }
    final int[] idx = into.indices();
    int seen = 0;
    for (int l = 0; l < layers; l++) {
      for (int s = 0; s < seqs; s++) {
        long packed = varint(r, p);
        p = (int) (packed >>> 32);
        int n = (int) packed;
        if (packed < 0 || p > end || n < 0 || n > topk) {
          throw malformed(rawPos, "bad selection count of layer " + l + ", sequence " + s);
        }
        final int ctx = ctxs[s];
        int off = into.offset(l, s);
        int prev = 0;
        boolean bad = false;
        for (int i = 0; i < n; i++) {
          int b = r[p++];
          int v;
          if (b >= 0) {
            v = b;
          } else {
            v = b & 0x7F;
            b = r[p++];
            v |= (b & 0x7F) << 7;
            if (b < 0) {
              b = r[p++];
              v |= (b & 0x7F) << 14;
              if (b < 0) {
                b = r[p++];
                v |= (b & 0x7F) << 21;
                if (b < 0) {
                  b = r[p++];
                  bad |= (b & 0xF0) != 0;
                  v |= b << 28;
                }
              }
            }
          }
          prev += (v >>> 1) ^ -(v & 1);
          bad |= Integer.compareUnsigned(prev, ctx) >= 0;
          idx[off + i] = prev;
        }
        if (bad || p > end) {
          throw malformed(rawPos, "bad token index in layer " + l + ", sequence " + s
              + " (each index must lie in [0, context length " + ctx + "))");
        }
        into.setCount(l, s, n);
        seen += n;
      }
    }
    into.setStep(nextStep++);
    rawPos = p;
    blockIndicesSeen += seen;
    indicesRead += seen;
  }

  /**
   * Decodes one varint at {@code p}: the value in the low 32 bits, the position after it in the
   * high 32; negative if a fifth byte carries more than the 4 bits a 32-bit value needs.
   */
  private static long varint(byte[] r, int p) {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = r[p++];
      if (shift == 28 && (b & 0xF0) != 0) {
        return -1;
      }
      v |= (b & 0x7F) << shift;
      if (b >= 0) {
        return ((long) p << 32) | (v & 0xFFFFFFFFL);
      }
    }
    return -1;
  }

  private void readFully(byte[] dst, int off, int len, long at, String what) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(dst, off, len);
    long p = at;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, p);
      if (n < 0) {
        throw new UserInputException(name + ": file ended at byte offset " + p + " while reading "
            + what + " (was it changed while being read?)");
      }
      p += n;
    }
  }

  private UserInputException corrupt(long offset, String what) {
    return new UserInputException(name + ": corrupt trace at byte offset " + offset + ": " + what);
  }

  private UserInputException malformed(int payloadPos, String what) {
    return corrupt(blockOffset, "block " + (blocksRead - 1) + " payload malformed near"
        + " uncompressed byte " + payloadPos + " (step " + nextStep + "): " + what);
  }

  private UserInputException truncated(long offset) {
    return new UserInputException(name + ": truncated or unfinished trace: no end-of-trace footer"
        + " (" + DsatFormat.FOOTER_BYTES + " bytes starting with "
        + DsatFormat.hex(DsatFormat.FOOTER_MAGIC, 0, 4) + ") at byte offset " + offset
        + " of this " + fileSize + "-byte file; it was cut short or its writer did not finish");
  }

  /** Bytes of the file. */
  public long fileSize() {
    return fileSize;
  }

  /** Blocks in the file (from the footer). */
  public int blocks() {
    return footerBlocks;
  }

  /** Indices in the file (from the footer), known before reading. */
  public long totalIndices() {
    return footerIndices;
  }

  /** Uncompressed block target size the writer used. */
  public int blockTargetBytes() {
    return blockTargetBytes;
  }

  /** Compressed payload bytes read so far. */
  public long compressedBytesRead() {
    return compressedBytesRead;
  }

  /** Uncompressed (varint) payload bytes read so far. */
  public long rawBytesRead() {
    return rawBytesRead;
  }

  /** Indices read so far. */
  public long indicesRead() {
    return indicesRead;
  }

  /**
   * Bytes held by the block buffers: the reader's memory apart from a few fixed-size arrays. At
   * most about {@code 2 x (blockTargetBytes + one step's worst-case encoding)}.
   */
  public long bufferBytes() {
    return (long) raw.length + compressed.length;
  }

  @Override
  public void close() throws IOException {
    if (zstd != null) {
      zstd.close();
    }
    channel.close();
  }
}
