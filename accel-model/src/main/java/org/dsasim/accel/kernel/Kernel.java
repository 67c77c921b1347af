package org.dsasim.accel.kernel;

/**
 * A kernel launch as the compute units see it: a grid of blocks of threads, the resources that
 * limit how many blocks are resident per unit, and the access program its warps run.
 */
public abstract class Kernel {
  private final String name;
  private final String phase;

  /**
   * @param name what the launch is ("gather-warp", "indexer L12")
   * @param phase the statistics bucket its time is reported under ("gather", "indexer", ...)
   */
  protected Kernel(String name, String phase) {
    this.name = name;
    this.phase = phase;
  }

  public String name() {
    return name;
  }

  public String phase() {
    return phase;
  }

  public abstract int gridBlocks();

  public abstract int threadsPerBlock();

  /** Registers per thread, which together with the block size sets the occupancy. */
  public abstract int registersPerThread();

  /** A fresh program for one launch with room for {@code slots} resident warps. */
  public abstract WarpProgram newProgram(int slots);

  /**
   * Time from a block's start until its warps run: the parameter fetch of {@code spec}, for
   * kernels that read parameters (all but empty ones).
   */
  public long prologuePs(org.dsasim.accel.gpu.ComputeSpec spec) {
    return spec.blockProloguePs();
  }

  public int warpsPerBlock() {
    return (threadsPerBlock() + 31) / 32;
  }

  @Override
  public String toString() {
    return name + " <<<" + gridBlocks() + ", " + threadsPerBlock() + ">>>";
  }
}
