package org.dsasim.accel.kernel;

/**
 * A streaming read: {@code bytes} from {@code base} with 16 B loads per thread, grid-stride (the
 * calibration {@code stream} kernel: 4 blocks of 512 threads per compute unit). As compiled, each
 * thread's loop runs its remainder iterations one load at a time, then four loads together; a
 * warp's 32 lanes read 512 contiguous bytes per iteration.
 */
public final class StreamKernel extends Kernel {
  private static final int BLOCK_THREADS = 512;
  private static final int WARPS_PER_BLOCK = BLOCK_THREADS / 32;

  private final long base;
  private final long bytes;
  private final int trafficClass;
  private final int consumeCycles;

  /**
   * @param blocksPerUnit blocks per compute unit (4 for the calibration kernel)
   */
  public StreamKernel(String name, String phase, long base, long bytes, int units,
      int blocksPerUnit, int registers, int trafficClass, int consumeCycles) {
    super(name, phase, bytes == 0 ? 0 : units * blocksPerUnit, BLOCK_THREADS, registers);
    this.base = base;
    this.bytes = bytes;
    this.trafficClass = trafficClass;
    this.consumeCycles = consumeCycles;
  }

  @Override
  public WarpProgram newProgram(int slots) {
    return new Program(slots);
  }

  private final class Program implements WarpProgram {
    private final long vectors = bytes / 16;
    private final long threads = (long) gridBlocks() * BLOCK_THREADS;
    private final long[] firstVector;
    private final int[] iteration;
    private final int[] trips;

    Program(int slots) {
      firstVector = new long[slots];
      iteration = new int[slots];
      trips = new int[slots];
    }

    @Override
    public void start(int slot, int block, int warpInBlock) {
      long v = ((long) block * WARPS_PER_BLOCK + warpInBlock) * 32;
      firstVector[slot] = v;
      iteration[slot] = 0;
      trips[slot] = v >= vectors ? 0 : (int) ((vectors - v + threads - 1) / threads);
    }

    @Override
    public void step(int slot, WarpContext ctx) {
      int k = iteration[slot];
      int trip = trips[slot];
      if (k >= trip) {
        ctx.exit();
        return;
      }
      int n = k < trip % 4 ? 1 : 4;
      for (int i = 0; i < n; i++) {
        long v = firstVector[slot] + (long) (k + i) * threads;
        long end = Math.min(v + 32, vectors);
        ctx.load(base + v * 16, (int) (end - v) * 16, trafficClass, false);
      }
      iteration[slot] = k + n;
      ctx.waitLoads(consumeCycles);
    }
  }
}
