package org.dsasim.accel.kernel;

/**
 * An explicit launch shape for a kernel whose grid and block size are normally derived from its
 * work: {@code grid} blocks of {@code blockThreads} threads; 0 keeps the kernel's own choice.
 */
public record Launch(int grid, int blockThreads) {
  public static final Launch DEFAULT = new Launch(0, 0);

  public Launch {
    if (grid < 0 || blockThreads < 0 || blockThreads % 32 != 0 || blockThreads > 1024) {
      throw new IllegalArgumentException(
          "launch: grid >= 0 and a block size of 0 or a multiple of 32 up to 1024");
    }
  }

  /** The block size: this launch's, or {@code kernelDefault} where it keeps the kernel's own. */
  public int blockThreadsOr(int kernelDefault) {
    return blockThreads > 0 ? blockThreads : kernelDefault;
  }

  /**
   * The grid: this launch's, or where it keeps the kernel's own, enough blocks to cover
   * {@code work} items at {@code workPerBlock} per block, capped at {@code maxBlocks} (the rest is
   * covered by grid-stride loops).
   */
  public int gridOr(long work, long workPerBlock, int maxBlocks) {
    return grid > 0 ? grid : (int) Math.min((work + workPerBlock - 1) / workPerBlock, maxBlocks);
  }
}
