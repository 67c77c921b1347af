package org.dsasim.workloads.trace;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.dsasim.core.UserInputException;
import org.dsasim.core.io.AtomicFiles;

/**
 * Writes a {@code .dsat} trace (see {@code docs/trace-format.md}) as a stream of steps.
 *
 * <p>Steps are delta/zigzag/varint encoded into a block buffer that is zstd-compressed and
 * written once it reaches the block target size, so memory stays at one block whatever the
 * trace length. The file appears at its target only when {@link #close()} completes: until then
 * the bytes go to a hidden temporary file in the same folder, which is forced to disk and renamed
 * over the target. A failed {@link #write} or an {@link #abort()} removes the temporary file and
 * leaves the target untouched.
 *
 * <p>Every written index must lie in {@code [0, contextLen)} of its sequence: the format stores
 * that invariant and readers check it.
 */
public final class DsatWriter implements TraceSink {
  /** zstd level 3: the format's indices are near their entropy already, higher levels gain ~2%. */
  static final int DEFAULT_ZSTD_LEVEL = 3;

  private final Path target;
  private final Path tmp;
  private final TraceHeader header;
  private final int blockTargetBytes;
  private final FileChannel channel;
  private final OutputStream out;
  private final ZstdCompressCtx zstd;
  private final int[] prevContextLen;

  private byte[] raw;
  private int rawLen;
  private byte[] compressed = new byte[0];
  private long blockFirstStep;
  private int blockSteps;
  private int blockIndices;

  private long steps;
  private long indices;
  private int blocks;
  private long bytesWritten;
  private boolean failed;
  private boolean closed;

  private DsatWriter(
      Path target, Path tmp, TraceHeader header, int blockTargetBytes, FileChannel channel,
      int zstdLevel) {
    this.target = target;
    this.tmp = tmp;
    this.header = header;
    this.blockTargetBytes = blockTargetBytes;
    this.channel = channel;
    this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    this.zstd = new ZstdCompressCtx().setLevel(zstdLevel);
    this.prevContextLen = new int[header.seqs()];
    this.raw = new byte[Math.min(blockTargetBytes, 1 << 16)];
  }

  /**
   * Starts a trace at {@code target}. {@code header.steps()} may be -1 (unknown); if it is a
   * count, {@link #close()} refuses to publish a file with a different number of steps, which
   * protects conversions that stop half way.
   *
   * @throws UserInputException if the temporary file cannot be created (folder missing and not
   *     creatable, permission denied)
   * @throws IllegalArgumentException if the header's shape exceeds the format's limits
   */
  public static DsatWriter create(Path target, TraceHeader header) {
    return create(target, header, DsatFormat.DEFAULT_BLOCK_TARGET_BYTES, DEFAULT_ZSTD_LEVEL);
  }

  /** As {@link #create(Path, TraceHeader)} with an explicit block size (tests use small ones). */
  static DsatWriter create(Path target, TraceHeader header, int blockTargetBytes, int zstdLevel) {
    String problem = DsatFormat.shapeProblem(header.layers(), header.seqs(), header.topk());
    if (problem != null) {
      throw new IllegalArgumentException("cannot write " + target + ": " + problem);
    }
    if (blockTargetBytes <= 0 || blockTargetBytes > DsatFormat.MAX_BLOCK_TARGET_BYTES) {
      throw new IllegalArgumentException("block target " + blockTargetBytes + " out of range");
    }
    byte[] headerBytes = DsatFormat.encodeHeader(header, blockTargetBytes);
    Path abs = target.toAbsolutePath();
    Path tmp = null;
    FileChannel channel;
    try {
      tmp = AtomicFiles.newTempFile(abs);
      channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
    } catch (IOException e) {
      AtomicFiles.deleteQuietly(tmp);
      throw AtomicFiles.cannotWrite(target, e);
    }
    DsatWriter w = new DsatWriter(abs, tmp, header, blockTargetBytes, channel, zstdLevel);
    try {
      w.emit(headerBytes, 0, headerBytes.length);
    } catch (IOException e) {
      w.abort();
      throw AtomicFiles.cannotWrite(target, e);
    }
    return w;
  }

  public TraceHeader header() {
    return header;
  }

  /** Steps written so far. */
  public long steps() {
    return steps;
  }

  /** Indices written so far. */
  public long indices() {
    return indices;
  }

  @Override
  public void write(StepSelection step) throws IOException {
    if (closed || failed) {
      throw new IllegalStateException("trace writer for " + target + " is closed or failed");
    }
    try {
      checkStep(step);
      encode(step);
      steps++;
      blockSteps++;
      if (rawLen >= blockTargetBytes) {
        flushBlock();
      }
    } catch (IOException e) {
      abort();
      throw AtomicFiles.cannotWrite(target, e);
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
  }

  private void checkStep(StepSelection step) {
    if (step.layers() != header.layers() || step.seqs() != header.seqs()
        || step.topk() != header.topk()) {
      throw new IllegalArgumentException(
          "step shape " + step.layers() + "x" + step.seqs() + "x" + step.topk()
              + " (layers x seqs x topk) differs from the trace header's " + header.layers() + "x"
              + header.seqs() + "x" + header.topk());
    }
    if (step.step() != steps) {
      throw new IllegalArgumentException(
          "step number " + step.step() + " written where step " + steps + " was expected");
    }
  }

  /**
   * Appends one step to the block buffer: per sequence the zigzag delta of its context length
   * from the previous step in this block; then per (layer, sequence) the count and the zigzag
   * deltas of the indices in their original order.
   */
  private void encode(StepSelection step) {
    int layers = header.layers();
    int seqs = header.seqs();
    int stepIndices = 0;
    for (int l = 0; l < layers; l++) {
      for (int s = 0; s < seqs; s++) {
        stepIndices += step.count(l, s);
      }
    }
    ensureRaw((long) DsatFormat.MAX_VARINT_BYTES * (seqs + (long) layers * seqs + stepIndices));
    byte[] r = raw;
    int p = rawLen;
    if (blockSteps == 0) {
      blockFirstStep = step.step();
      Arrays.fill(prevContextLen, 0);
    }
    for (int s = 0; s < seqs; s++) {
      int ctx = step.contextLen(s);
      if (ctx < 0) {
        throw new IllegalArgumentException(
            "step " + step.step() + ": negative context length " + ctx + " of sequence " + s);
      }
      p = putVarint(r, p, DsatFormat.zigzag(ctx - prevContextLen[s]));
      prevContextLen[s] = ctx;
    }
    int[] idx = step.indices();
    for (int l = 0; l < layers; l++) {
      for (int s = 0; s < seqs; s++) {
        int n = step.count(l, s);
        int ctx = prevContextLen[s];
        p = putVarint(r, p, n);
        int off = step.offset(l, s);
        int prev = 0;
        for (int i = 0; i < n; i++) {
          int v = idx[off + i];
          if (v < 0 || v >= ctx) {
            throw new IllegalArgumentException(
                "step " + step.step() + ", layer " + l + ", sequence " + s + ": index " + v
                    + " outside [0, context length " + ctx + ")");
          }
          p = putVarint(r, p, DsatFormat.zigzag(v - prev));
          prev = v;
        }
      }
    }
    rawLen = p;
    blockIndices += stepIndices;
    indices += stepIndices;
  }

  private void ensureRaw(long extra) {
    long need = rawLen + extra;
    if (need > raw.length) {
      if (need > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("block buffer would exceed 2 GiB");
      }
      raw = Arrays.copyOf(raw, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, 2L * raw.length)));
    }
  }

  private static int putVarint(byte[] r, int p, int v) {
    while ((v & ~0x7F) != 0) {
      r[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    r[p++] = (byte) v;
    return p;
  }

  private void flushBlock() throws IOException {
    if (blockSteps == 0) {
      return;
    }
    int bound = (int) Zstd.compressBound(rawLen);
    if (compressed.length < bound) {
      compressed = new byte[bound];
    }
    int compLen = zstd.compressByteArray(compressed, 0, compressed.length, raw, 0, rawLen);
    byte[] blockHeader =
        DsatFormat.encodeBlockHeader(blockFirstStep, blockSteps, rawLen, compLen, blockIndices);
    emit(blockHeader, 0, blockHeader.length);
    emit(compressed, 0, compLen);
    byte[] crc = new byte[DsatFormat.CRC_BYTES];
    DsatFormat.le(crc).putInt(DsatFormat.crc32c(compressed, 0, compLen));
    emit(crc, 0, crc.length);
    blocks++;
    rawLen = 0;
    blockSteps = 0;
    blockIndices = 0;
  }

  private void emit(byte[] bytes, int off, int len) throws IOException {
    out.write(bytes, off, len);
    bytesWritten += len;
  }

  /**
   * Writes the last block and the footer and moves the file into place. Idempotent. If the header
   * announced a step count and a different number was written, nothing is published and an
   * {@link IllegalStateException} says so.
   *
   * @throws UserInputException if the file cannot be written (disk full, permission denied)
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    if (failed) {
      closed = true;
      return;
    }
    if (header.steps() >= 0 && header.steps() != steps) {
      abort();
      throw new IllegalStateException(
          "trace " + target + " not written: the header announced " + header.steps()
              + " steps but " + steps + " were written");
    }
    try {
      flushBlock();
      byte[] footer = DsatFormat.encodeFooter(steps, indices, blocks, bytesWritten);
      emit(footer, 0, footer.length);
      out.flush();
      channel.force(true);
      channel.close();
      AtomicFiles.moveIntoPlace(tmp, target);
      closed = true;
      zstd.close();
    } catch (IOException e) {
      abort();
      throw AtomicFiles.cannotWrite(target, e);
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
  }

  /** Discards everything written: the temporary file is removed, the target is not touched. */
  public void abort() {
    if (closed) {
      return;
    }
    failed = true;
    closed = true;
    closeQuietly(channel);
    AtomicFiles.deleteQuietly(tmp);
    zstd.close();
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // The write already failed; that failure is the one reported.
      }
    }
  }
}
