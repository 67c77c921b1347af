package org.dsasim.accel.gpu;

import org.dsasim.accel.config.AccelKeys;
import org.dsasim.core.config.Config;
import org.dsasim.core.UserInputException;

/**
 * The compute side of an accelerator: its compute units (SMs), their resident-warp limits,
 * memory-level parallelism, arithmetic rates and the costs of launching work.
 *
 * @param smCount compute units
 * @param clockHz their clock
 * @param maxWarpsPerSm resident warps per unit
 * @param maxBlocksPerSm resident thread blocks per unit
 * @param maxThreadsPerSm resident threads per unit
 * @param registersPerSm 32-bit registers per unit
 * @param registerAllocUnit registers are allocated per warp in multiples of this
 * @param maxInflightPerSm memory requests (one per line) a unit may have outstanding; a warp that
 *     would exceed it waits ("MSHR full")
 * @param l1Lines lines of the unit's L1 data cache that loads marked cacheable may hit
 * @param l1HitPs load-to-use latency of an L1 hit
 * @param issueWidth warp instructions issued per cycle per unit
 * @param tensorFlopsPerCycle dense bf16 matrix FLOPs per cycle per unit
 * @param fp8Speedup how many times the fp8 matrix rate exceeds the bf16 one
 * @param vectorFlopsPerCycle fp32 FLOPs per cycle per unit (non-matrix arithmetic)
 * @param kernelLaunchPs time from the end of one kernel of a graph to the first block of the next
 * @param blockLaunchPs interval between block starts on one unit (its block launcher is busy that
 *     long per block, also in the first wave)
 * @param warpLaunchPs extra block-launch time per warp beyond the eighth (large blocks start
 *     slower)
 * @param blockProloguePs time from a block's start until its warps run code that needs the
 *     kernel's parameters (a constant-bank fetch), for kernels that read parameters
 * @param gridBarrierPs cost of a grid-wide barrier between phases of a fused (persistent) kernel
 */
public record ComputeSpec(
    int smCount,
    double clockHz,
    int maxWarpsPerSm,
    int maxBlocksPerSm,
    int maxThreadsPerSm,
    int registersPerSm,
    int registerAllocUnit,
    int maxInflightPerSm,
    int l1Lines,
    long l1HitPs,
    int issueWidth,
    double tensorFlopsPerCycle,
    double fp8Speedup,
    double vectorFlopsPerCycle,
    long kernelLaunchPs,
    long blockLaunchPs,
    long warpLaunchPs,
    long blockProloguePs,
    long gridBarrierPs) {

  public ComputeSpec {
    if (smCount < 1 || maxWarpsPerSm < 1 || maxBlocksPerSm < 1 || maxThreadsPerSm < 32
        || registersPerSm < 1 || registerAllocUnit < 1 || maxInflightPerSm < 1 || l1Lines < 0
        || issueWidth < 1) {
      throw new UserInputException(
          "compute settings must be positive (sms, warps, blocks, threads, registers, in-flight)");
    }
  }

  /** Reads the {@code compute.*} keys. */
  public static ComputeSpec from(Config c) {
    return new ComputeSpec(
        c.get(AccelKeys.SMS),
        c.get(AccelKeys.CLOCK),
        c.get(AccelKeys.MAX_WARPS),
        c.get(AccelKeys.MAX_BLOCKS),
        c.get(AccelKeys.MAX_THREADS),
        c.get(AccelKeys.REGISTERS),
        c.get(AccelKeys.REGISTER_UNIT),
        c.get(AccelKeys.INFLIGHT_LINES),
        (int) (c.get(AccelKeys.L1_CAPACITY) / 128),
        AccelKeys.ps(c, AccelKeys.L1_HIT),
        c.get(AccelKeys.ISSUE_WIDTH),
        c.get(AccelKeys.TENSOR_FLOPS),
        c.get(AccelKeys.FP8_SPEEDUP),
        c.get(AccelKeys.VECTOR_FLOPS),
        c.get(AccelKeys.KERNEL_LAUNCH),
        c.get(AccelKeys.BLOCK_LAUNCH),
        c.get(AccelKeys.WARP_LAUNCH),
        c.get(AccelKeys.BLOCK_PROLOGUE),
        c.get(AccelKeys.GRID_BARRIER));
  }

  /** Time the block launcher of a unit is busy starting a block of {@code warps} warps. */
  public long blockLaunchPs(int warps) {
    return blockLaunchPs + Math.max(0, warps - 8) * warpLaunchPs;
  }

  /** Picoseconds per core clock cycle. */
  public double cyclePs() {
    return 1e12 / clockHz;
  }

  /**
   * Blocks of {@code threadsPerBlock} threads using {@code registersPerThread} registers that fit
   * on one unit at a time (the occupancy limit), at least 1.
   */
  public int residentBlocks(int threadsPerBlock, int registersPerThread) {
    int warps = (threadsPerBlock + 31) / 32;
    int regsPerWarp =
        ((registersPerThread * 32 + registerAllocUnit - 1) / registerAllocUnit) * registerAllocUnit;
    int byRegs = registersPerSm / Math.max(1, regsPerWarp); // warps allowed by registers
    int blocks = Math.min(maxBlocksPerSm, maxWarpsPerSm / warps);
    blocks = Math.min(blocks, maxThreadsPerSm / (warps * 32));
    blocks = Math.min(blocks, byRegs / warps);
    return Math.max(1, blocks);
  }
}
