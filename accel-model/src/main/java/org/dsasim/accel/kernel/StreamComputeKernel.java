package org.dsasim.accel.kernel;

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
  private final int grid;
  private final int blockThreads;
  private final int registers;

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
    super(name, phase);
    if (bases.length != sizes.length || chunkBytes <= 0 || chunksInFlight <= 0) {
      throw new IllegalArgumentException("ranges, chunk size and chunks in flight");
    }
    this.rangeBase = bases.clone();
    this.rangeBytes = sizes.clone();
    this.rangeFirstChunk = new long[bases.length + 1];
    for (int i = 0; i < bases.length; i++) {
      rangeFirstChunk[i + 1] = rangeFirstChunk[i] + (sizes[i] + chunkBytes - 1) / chunkBytes;
    }
    this.chunks = rangeFirstChunk[bases.length];
    this.chunkBytes = chunkBytes;
    this.chunksInFlight = chunksInFlight;
    this.flopsPerByte = flopsPerByte;
    this.fp8 = fp8;
    this.trafficClass = trafficClass;
    int warpsPerBlock = blockThreads / 32;
    this.grid = (int) Math.max(1, Math.min(grid,
        (chunks + (long) warpsPerBlock * chunksInFlight - 1) / ((long) warpsPerBlock * chunksInFlight)));
    this.blockThreads = blockThreads;
    this.registers = registers;
  }

  /** Bytes read by the kernel. */
  public long bytes() {
    long b = 0;
    for (long s : rangeBytes) {
      b += s;
    }
    return b;
  }

  @Override
  public int gridBlocks() {
    return chunks == 0 ? 0 : grid;
  }

  @Override
  public int threadsPerBlock() {
    return blockThreads;
  }

  @Override
  public int registersPerThread() {
    return registers;
  }

  @Override
  public WarpProgram newProgram(int slots) {
    return new Program(slots);
  }

  private final class Program implements WarpProgram {
    private final long warps = (long) grid * warpsPerBlock();
    private final long[] next; // next chunk this warp loads
    private final long[] pendingBytes; // bytes loaded and not yet computed on
    private final int[] batch; // batches issued so far

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
      for (int i = 0; i < chunksInFlight && next[slot] < chunks; i++) {
        loaded += loadChunk(ctx, next[slot], sb);
        next[slot] += warps;
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
      } else if (loaded > 0) {
        batch[slot] = b + 2;
        ctx.waitScoreboard(sb, 0);
      } else {
        ctx.exit();
      }
    }

    private long loadChunk(WarpContext ctx, long c, int sb) {
      int r = range(c);
      long offset = (c - rangeFirstChunk[r]) * chunkBytes;
      int n = (int) Math.min(chunkBytes, rangeBytes[r] - offset);
      ctx.load(rangeBase[r] + offset, n, trafficClass, false, sb);
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
