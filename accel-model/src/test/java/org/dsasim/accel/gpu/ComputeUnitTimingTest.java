package org.dsasim.accel.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dsasim.accel.TestConfigs;
import org.dsasim.accel.kernel.Kernel;
import org.dsasim.accel.kernel.WarpContext;
import org.dsasim.accel.kernel.WarpProgram;
import org.dsasim.accel.memory.FixedLatencyMemory;
import org.dsasim.accel.system.Accelerator;
import org.dsasim.core.config.Config;
import org.junit.jupiter.api.Test;

/** Compute-unit timing against hand computations on a fixed-latency memory. */
class ComputeUnitTimingTest {
  private static final long LATENCY = 300_000; // 300 ns
  private static final double BW = 1e12; // 1 TB/s: 1 ps per byte

  /** A kernel whose warps each do {@code loads} dependent loads of {@code bytes}. */
  static final class ChainKernel extends Kernel {
    final int loads;
    final int bytes;
    final int after;

    ChainKernel(int grid, int threads, int loads, int bytes, int after) {
      super("chain", "chain", grid, threads, 32);
      this.loads = loads;
      this.bytes = bytes;
      this.after = after;
    }

    @Override
    public long prologuePs(ComputeSpec spec) {
      return 0;
    }

    @Override
    public WarpProgram newProgram(int slots) {
      int[] done = new int[slots];
      long[] base = new long[slots];
      return new WarpProgram() {
        @Override
        public void start(int slot, int block, int warpInBlock) {
          done[slot] = 0;
          base[slot] = ((long) block * 64 + warpInBlock) << 20;
        }

        @Override
        public void step(int slot, WarpContext ctx) {
          if (done[slot] == loads) {
            ctx.exit();
            return;
          }
          ctx.load(base[slot] + done[slot] * 4096L, bytes, 1, false);
          done[slot]++;
          ctx.waitLoads(after);
        }
      };
    }
  }

  private static Accelerator device(Config cfg) {
    return device(cfg, BW);
  }

  private static Accelerator device(Config cfg, double bandwidth) {
    return new Accelerator(cfg, (sim, messages, units) ->
        new FixedLatencyMemory(sim, "mem", messages, units, LATENCY, bandwidth));
  }

  @Test
  void aSingleWarpChainTakesLaunchPlusLoadsTimesRoundTrip() {
    Config cfg = TestConfigs.with("fastmem.interconnect.port_bandwidth=1TB/s");
    Accelerator acc = device(cfg);
    ComputeSpec spec = acc.compute();
    int loads = 5;
    int bytes = 512;
    int after = 20;
    acc.gpu().submit(new ChainKernel(1, 32, loads, bytes, after));
    long end = acc.drain();
    // per load: the memory pipe (bytes at 1 ps/B) + latency, the response port (bytes at 1 ps/B)
    // and the cycles after, rounded to whole picoseconds as the simulator does
    long cycle = Math.round(after * spec.cyclePs());
    long expected = spec.kernelLaunchPs() + loads * (bytes + LATENCY + bytes + cycle);
    assertEquals(expected, end, 2.0 * loads);
  }

  @Test
  void blocksBeyondOccupancyRunInWaves() {
    Config cfg = TestConfigs.with("compute.sms=1", "compute.block_launch=0ns",
        "compute.max_blocks_per_sm=2", "fastmem.interconnect.port_bandwidth=1000000TB/s");
    Accelerator acc = device(cfg, 1e18); // transfers take no time: only the latency counts
    ComputeSpec spec = acc.compute();
    // 6 blocks, 2 resident at a time: 3 waves of one load each
    acc.gpu().submit(new ChainKernel(6, 32, 1, 64, 0));
    long end = acc.drain();
    assertEquals(spec.kernelLaunchPs() + 3 * LATENCY, end, 20.0);
  }

  @Test
  void theInFlightLimitSerialisesLoadsAndCountsMshrStalls() {
    Config free = TestConfigs.with("compute.sms=1", "compute.max_inflight_lines_per_sm=1000");
    Config tight = TestConfigs.with("compute.sms=1", "compute.max_inflight_lines_per_sm=4");
    long[] times = new long[2];
    long[] mshr = new long[2];
    Config[] cfgs = {free, tight};
    for (int i = 0; i < 2; i++) {
      Accelerator acc = device(cfgs[i]);
      acc.gpu().submit(new ChainKernel(1, 32 * 32, 1, 128, 0)); // 32 warps, 1 line each
      times[i] = acc.drain();
      mshr[i] = acc.gpu().warpStallPs(StallCause.MSHR_FULL);
    }
    assertTrue(times[1] > times[0] + 5 * LATENCY, "32 lines 4 at a time take 8 round trips");
    assertEquals(0, mshr[0]);
    assertTrue(mshr[1] > 0);
  }

  @Test
  void occupancyFollowsRegistersAndBlockSize() {
    ComputeSpec spec = ComputeSpec.from(TestConfigs.with());
    assertEquals(5, spec.residentBlocks(256, 42)); // 1536 registers per warp: 42 warps
    assertEquals(6, spec.residentBlocks(256, 38)); // 1280 per warp: 51 warps
    assertEquals(8, spec.residentBlocks(256, 32)); // the 64-warp limit
    assertEquals(4, spec.residentBlocks(512, 32)); // the 2048-thread limit
  }
}
