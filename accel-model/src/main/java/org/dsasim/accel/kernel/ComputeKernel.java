package org.dsasim.accel.kernel;

/**
 * A phase that is all arithmetic on the units' issue slots (e.g. top-k selection over the
 * indexer's scores): {@code instructions} warp instructions spread evenly over the warps of
 * {@code grid} blocks, each warp's share taking at least its dependent-chain latency.
 */
public final class ComputeKernel extends Kernel {
  private final long instructions;

  public ComputeKernel(String name, String phase, int grid, int blockThreads, long instructions) {
    super(name, phase, Math.max(1, grid), blockThreads, 32);
    this.instructions = instructions;
  }

  /** Launches of as many instructions on the same grid do the same work, touching no memory. */
  @Override
  public ReplayKey replayKey() {
    return ReplayKey.arithmetic(new Work(instructions, gridBlocks(), threadsPerBlock()));
  }

  private record Work(long instructions, int grid, int threads) {}

  @Override
  public WarpProgram newProgram(int slots) {
    long warps = (long) gridBlocks() * warpsPerBlock();
    int perWarp = (int) Math.min(Integer.MAX_VALUE, (instructions + warps - 1) / warps);
    return new WarpProgram() {
      @Override
      public void start(int slot, int block, int warpInBlock) {}

      @Override
      public void step(int slot, WarpContext ctx) {
        if (perWarp == 0) {
          ctx.exit();
          return;
        }
        // a dependent chain: roughly 4 cycles per instruction on one warp
        ctx.compute(perWarp, perWarp * 4);
        ctx.exitAfter();
      }
    };
  }
}
