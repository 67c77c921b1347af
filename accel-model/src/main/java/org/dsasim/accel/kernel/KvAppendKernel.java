package org.dsasim.accel.kernel;

/**
 * Writes the new token's KV entry and index key of one layer for every sequence (one warp per
 * sequence, two stores).
 */
public final class KvAppendKernel extends Kernel {
  private static final int BLOCK_THREADS = 256;
  private final long[] entryAddr;
  private final int entryBytes;
  private final long[] keyAddr;
  private final int keyBytes;

  public KvAppendKernel(String name, String phase, long[] entryAddr, int entryBytes,
      long[] keyAddr, int keyBytes) {
    super(name, phase, (entryAddr.length + BLOCK_THREADS / 32 - 1) / (BLOCK_THREADS / 32),
        BLOCK_THREADS, 32);
    this.entryAddr = entryAddr;
    this.entryBytes = entryBytes;
    this.keyAddr = keyAddr;
    this.keyBytes = keyBytes;
  }

  @Override
  public WarpProgram newProgram(int slots) {
    int[] seq = new int[slots];
    return new WarpProgram() {
      @Override
      public void start(int slot, int block, int warpInBlock) {
        seq[slot] = block * (BLOCK_THREADS / 32) + warpInBlock;
      }

      @Override
      public void step(int slot, WarpContext ctx) {
        int s = seq[slot];
        if (s < entryAddr.length) {
          ctx.store(entryAddr[s], entryBytes, TrafficClass.KV_APPEND);
          if (keyBytes > 0) {
            ctx.store(keyAddr[s], keyBytes, TrafficClass.KV_APPEND);
          }
        }
        ctx.exit();
      }
    };
  }
}
