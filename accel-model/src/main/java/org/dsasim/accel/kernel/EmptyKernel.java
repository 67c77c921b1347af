package org.dsasim.accel.kernel;

import org.dsasim.accel.gpu.ComputeSpec;

/**
 * A kernel whose warps exit at once without reading parameters: what remains is the cost of
 * launching it and starting its blocks (the launch-overhead probes of docs/validation).
 */
public final class EmptyKernel extends Kernel {
  public EmptyKernel(String name, String phase, int grid, int blockThreads) {
    super(name, phase, grid, blockThreads, 8);
  }

  @Override
  public long prologuePs(ComputeSpec spec) {
    return 0;
  }

  @Override
  public WarpProgram newProgram(int slots) {
    return new WarpProgram() {
      @Override
      public void start(int slot, int block, int warpInBlock) {}

      @Override
      public void step(int slot, WarpContext ctx) {
        ctx.exit();
      }
    };
  }
}
