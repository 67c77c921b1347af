package org.dsasim.accel.kernel;

import java.util.Arrays;

/**
 * A streaming phase with arithmetic: read a list of byte ranges once in large chunks (as bulk
 * tensor copies do) and do matrix FLOPs in proportion, with one batch of chunk loads in flight
 * while the previous batch is computed on (double buffering). Weight streaming (the projections
 * and the FFN or experts) and the indexer's scan of the index keys are such phases: memory-bound
 * when their FLOPs per byte are below the unit's ratio, compute-bound above it, the overlap
 * coming out of the simulation rather than a max() formula.
 *
 * <p>Chunks are dealt to warps round-robin: chunk {@code c} goes to warp {@code c mod warps}.
 */
public final class StreamComputeKernel extends Kernel {
  private final long[] rangeBase;
  private final long[] rangeBytes;
  private final long[] rangeFirstChunk; // cumulative chunk index of each range
  private final long chunks;
  private final int chunkBytes;
  private final int chunksInFlight;
  private final double flopsPerByte;
  private final boolean fp8;
  private final int trafficClass;

  /**
   * @param bases start addresses of the ranges read
   * @param sizes their lengths in bytes
   * @param chunkBytes bytes per load request
   * @param chunksInFlight chunk loads a warp issues before waiting
   * @param flopsPerByte matrix FLOPs per byte read
   * @param fp8 whether the FLOPs run at the fp8 rate
   */
  public StreamComputeKernel(String name, String phase, long[] bases, long[] sizes,
      int chunkBytes, int chunksInFlight, double flopsPerByte, boolean fp8, int trafficClass,
      int grid, int blockThreads, int registers) {
    this(name, phase, bases.clone(), sizes.clone(),
        rangeFirstChunk(bases, sizes, chunkBytes, chunksInFlight), chunkBytes, chunksInFlight,
        flopsPerByte, fp8, trafficClass, grid, blockThreads, registers);
  }

  private StreamComputeKernel(String name, String phase, long[] bases, long[] sizes,
      long[] rangeFirstChunk, int chunkBytes, int chunksInFlight, double flopsPerByte,
      boolean fp8, int trafficClass, int maxGrid, int blockThreads, int registers) {
    super(name, phase,
        grid(rangeFirstChunk[bases.length], chunksInFlight, maxGrid, blockThreads), blockThreads,
        registers);
    this.rangeBase = bases;
    this.rangeBytes = sizes;
    this.rangeFirstChunk = rangeFirstChunk;
    this.chunks = rangeFirstChunk[bases.length];
    this.chunkBytes = chunkBytes;
    this.chunksInFlight = chunksInFlight;
    this.flopsPerByte = flopsPerByte;
    this.fp8 = fp8;
    this.trafficClass = trafficClass;
  }

  /** Cumulative chunk index of each range (the last element: all chunks). */
  private static long[] rangeFirstChunk(long[] bases, long[] sizes, int chunkBytes,
      int chunksInFlight) {
    if (bases.length != sizes.length || chunkBytes <= 0 || chunksInFlight <= 0) {
      throw new IllegalArgumentException("ranges, chunk size and chunks in flight");
    }
    long[] first = new long[bases.length + 1];
    for (int i = 0; i < bases.length; i++) {
      first[i + 1] = first[i] + (sizes[i] + chunkBytes - 1) / chunkBytes;
    }
    return first;
  }

  /**
   * Blocks launched: enough for every warp to have a full batch in flight, at most
   * {@code maxGrid}; none when there is nothing to read.
   */
  private static int grid(long chunks, int chunksInFlight, int maxGrid, int blockThreads) {
    long perBlock = (long) (blockThreads / 32) * chunksInFlight;
    int blocks = (int) Math.max(1, Math.min(maxGrid, (chunks + perBlock - 1) / perBlock));
    return chunks == 0 ? 0 : blocks;
  }

  /** Bytes read by the kernel. */
  public long bytes() {
    long b = 0;
    for (long s : rangeBytes) {
      b += s;
    }
    return b;
  }

  /**
   * Launches that read ranges of the same sizes in the same chunks with the same arithmetic and
   * grid do the same work: where the ranges lie does not change the timing of bulk reads.
   */
  @Override
  public ReplayKey replayKey() {
    int smallest = chunkBytes;
    for (long size : rangeBytes) {
      long tail = size % chunkBytes;
      if (tail != 0) {
        smallest = (int) Math.min(smallest, tail);
      }
    }
    return new ReplayKey(new Work(rangeBytes, chunkBytes, chunksInFlight, flopsPerByte, fp8,
        gridBlocks(), threadsPerBlock(), registersPerThread()), smallest, trafficClass);
  }

  /**
   * What a launch does. Compared field by field (a record's generated comparison of the array
   * would compare references, and its indirect dispatch costs more than the comparison).
   */
  private record Work(long[] sizes, int chunkBytes, int chunksInFlight, double flopsPerByte,
      boolean fp8, int grid, int threads, int registers) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Work w && Arrays.equals(sizes, w.sizes) && chunkBytes == w.chunkBytes
          && chunksInFlight == w.chunksInFlight
          && Double.compare(flopsPerByte, w.flopsPerByte) == 0 && fp8 == w.fp8 && grid == w.grid
          && threads == w.threads && registers == w.registers;
    }

    @Override
    public int hashCode() {
      int h = Arrays.hashCode(sizes);
      h = 31 * h + chunkBytes;
      h = 31 * h + chunksInFlight;
      h = 31 * h + Double.hashCode(flopsPerByte);
      h = 31 * h + (fp8 ? 1 : 0);
      h = 31 * h + grid;
      h = 31 * h + threads;
      return 31 * h + registers;
    }
  }

  @Override
  public WarpProgram newProgram(int slots) {
    return new Program(slots);
  }

  private final class Program implements WarpProgram {
    private final long warps = (long) gridBlocks() * warpsPerBlock();
    private final long[] next; // next chunk this warp loads
    private final long[] pendingBytes; // bytes loaded and not yet computed on
    private final int[] batch; // batches issued so far
    private final long[] batchAddr = new long[chunksInFlight]; // the batch being issued
    private final int[] batchBytes = new int[chunksInFlight];

    Program(int slots) {
      next = new long[slots];
      pendingBytes = new long[slots];
      batch = new int[slots];
    }

    @Override
    public void start(int slot, int block, int warpInBlock) {
      next[slot] = (long) block * warpsPerBlock() + warpInBlock;
      pendingBytes[slot] = 0;
      batch[slot] = 0;
    }

    @Override
    public void step(int slot, WarpContext ctx) {
      int b = batch[slot];
      if (b % 2 == 1) {
        // odd phase: wait for the batch just issued
        batch[slot] = b + 1;
        ctx.waitScoreboard((b / 2) % 2, 0);
        return;
      }
      long loaded = 0;
      int sb = (b / 2) % 2;
      int n = 0;
      for (; n < chunksInFlight && next[slot] < chunks; n++) {
        loaded += chunk(next[slot], n);
        next[slot] += warps;
      }
      if (n > 0) {
        ctx.loadBatch(batchAddr, batchBytes, n, trafficClass, sb);
      }
      long compute = pendingBytes[slot];
      pendingBytes[slot] = loaded;
      if (loaded == 0 && compute == 0) {
        ctx.exit();
        return;
      }
      batch[slot] = loaded > 0 ? b + 1 : b + 2;
      if (compute > 0 && flopsPerByte > 0) {
        ctx.tensor(compute * flopsPerByte, fp8);
        if (loaded == 0) {
          ctx.exitAfter(); // nothing was left to load: this batch was the last
        }
      } else if (loaded > 0) {
        batch[slot] = b + 2;
        ctx.waitScoreboard(sb, 0);
      } else {
        ctx.exit();
      }
    }

    /** Puts chunk {@code c} at position {@code i} of the batch; returns its bytes. */
    private int chunk(long c, int i) {
      int r = range(c);
      long offset = (c - rangeFirstChunk[r]) * chunkBytes;
      int n = (int) Math.min(chunkBytes, rangeBytes[r] - offset);
      batchAddr[i] = rangeBase[r] + offset;
      batchBytes[i] = n;
      return n;
    }

    private int range(long c) {
      int lo = 0;
      int hi = rangeBase.length - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (rangeFirstChunk[mid] <= c) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return lo;
    }
  }
}
