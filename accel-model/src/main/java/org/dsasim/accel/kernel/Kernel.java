package org.dsasim.accel.kernel;

/**
 * A kernel launch as the compute units see it: a grid of blocks of threads, the resources that
 * limit how many blocks are resident per unit, and the access program its warps run.
 */
public abstract class Kernel {
  private final String name;
  private final String phase;
  private final int gridBlocks;
  private final int threadsPerBlock;
  private final int registersPerThread;

  /**
   * @param name what the launch is ("gather-warp", "indexer L12")
   * @param phase the statistics bucket its time is reported under ("gather", "indexer", ...)
   * @param gridBlocks blocks launched (0: nothing to do, the launch completes at once)
   * @param threadsPerBlock threads of each block
   * @param registersPerThread registers per thread, which with the block size sets the occupancy
   */
  protected Kernel(String name, String phase, int gridBlocks, int threadsPerBlock,
      int registersPerThread) {
    this.name = name;
    this.phase = phase;
    this.gridBlocks = gridBlocks;
    this.threadsPerBlock = threadsPerBlock;
    this.registersPerThread = registersPerThread;
  }

  public String name() {
    return name;
  }

  public String phase() {
    return phase;
  }

  public final int gridBlocks() {
    return gridBlocks;
  }

  public final int threadsPerBlock() {
    return threadsPerBlock;
  }

  /** Registers per thread, which together with the block size sets the occupancy. */
  public final int registersPerThread() {
    return registersPerThread;
  }

  /** A fresh program for one launch with room for {@code slots} resident warps. */
  public abstract WarpProgram newProgram(int slots);

  /**
   * Time from a block's start until its warps run: the parameter fetch of {@code spec}, for
   * kernels that read parameters (all but empty ones).
   */
  public long prologuePs(org.dsasim.accel.gpu.ComputeSpec spec) {
    return spec.blockProloguePs();
  }

  /**
   * For launch replay (see {@code Gpu}): a key equal for two launches that do the same work, or
   * null (the default) when launches of this kernel are always simulated. A kernel may return one
   * only if what it does depends on nothing but its key, the device's configuration and the time
   * and answers of its reads.
   */
  public ReplayKey replayKey() {
    return null;
  }

  /**
   * @param work what the launch does (equal for equal work)
   * @param smallestReadBytes the size of its smallest read ({@link #NO_READS}: it reads nothing)
   * @param trafficClass the class of all its reads
   */
  public record ReplayKey(Object work, int smallestReadBytes, int trafficClass) {
    /** {@code smallestReadBytes} of a kernel that neither reads nor writes memory. */
    public static final int NO_READS = Integer.MAX_VALUE;

    /** The key of a kernel that neither reads nor writes memory. */
    public static ReplayKey arithmetic(Object work) {
      return new ReplayKey(work, NO_READS, -1);
    }

    public boolean reads() {
      return smallestReadBytes != NO_READS;
    }

    // compared by hand: the generated methods go through an indirect call that costs more than
    // the comparison, once per launch
    @Override
    public boolean equals(Object o) {
      return o instanceof ReplayKey k && work.equals(k.work)
          && smallestReadBytes == k.smallestReadBytes && trafficClass == k.trafficClass;
    }

    @Override
    public int hashCode() {
      return (work.hashCode() * 31 + smallestReadBytes) * 31 + trafficClass;
    }
  }

  public int warpsPerBlock() {
    return (threadsPerBlock() + 31) / 32;
  }

  @Override
  public String toString() {
    return name + " <<<" + gridBlocks() + ", " + threadsPerBlock() + ">>>";
  }
}
