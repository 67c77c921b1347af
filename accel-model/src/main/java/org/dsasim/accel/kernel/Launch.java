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
}
