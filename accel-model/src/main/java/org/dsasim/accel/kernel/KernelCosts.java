package org.dsasim.accel.kernel;

import org.dsasim.accel.config.AccelKeys;
import org.dsasim.core.config.Config;

/**
 * Instruction costs, in core cycles, of the non-memory work between a warp's dependent loads, and
 * the register counts that set each kernel's occupancy. These belong to compiled code on one
 * instruction set (read from the SASS of the calibration kernels built by nvcc 13.0 for sm_90),
 * so they live with the hardware preset.
 *
 * @param consumeCycles after a load returns: using the data (a few dependent adds) and the loop
 * @param addressCycles after an index returns: computing the entry's address
 * @param divisionCycles a 64-bit integer division by a run-time divisor (fast 32-bit path)
 * @param gatherWarpRegisters registers per thread of gather-warp
 * @param gatherFlat4Registers registers per thread of gather-flat4
 * @param streamRegisters registers per thread of the stream kernel
 */
public record KernelCosts(
    int consumeCycles,
    int addressCycles,
    int divisionCycles,
    int gatherWarpRegisters,
    int gatherFlat4Registers,
    int streamRegisters) {

  public static KernelCosts from(Config c) {
    return new KernelCosts(
        c.get(AccelKeys.CONSUME_CYCLES),
        c.get(AccelKeys.ADDRESS_CYCLES),
        c.get(AccelKeys.DIVISION_CYCLES),
        c.get(AccelKeys.GATHER_WARP_REGISTERS),
        c.get(AccelKeys.GATHER_FLAT4_REGISTERS),
        c.get(AccelKeys.STREAM_REGISTERS));
  }
}
