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

  /**
   * Warp {@code w} of every block computes one instruction with a dependent chain of
   * {@code latency[w]} cycles, after a load it does not wait for if {@code loadFirst[w]}; it then
   * exits either through {@link WarpContext#exitAfter} or in a step of its own.
   */
  static final class LastWorkKernel extends Kernel {
    final int[] latency;
    final boolean[] loadFirst;
    final boolean exitAfter;

    LastWorkKernel(int grid, int[] latency, boolean[] loadFirst, boolean exitAfter) {
      super("last-work", "last-work", grid, 32 * latency.length, 32);
      this.latency = latency;
      this.loadFirst = loadFirst;
      this.exitAfter = exitAfter;
    }

    @Override
    public long prologuePs(ComputeSpec spec) {
      return 0;
    }

    @Override
    public WarpProgram newProgram(int slots) {
      int[] warp = new int[slots];
      boolean[] computed = new boolean[slots];
      return new WarpProgram() {
        @Override
        public void start(int slot, int block, int warpInBlock) {
          warp[slot] = warpInBlock;
          computed[slot] = false;
        }

        @Override
        public void step(int slot, WarpContext ctx) {
          if (computed[slot]) {
            ctx.exit();
            return;
          }
          computed[slot] = true;
          if (loadFirst[warp[slot]]) {
            ctx.load(slot * 4096L, 64, 1, false);
          }
          ctx.compute(1, latency[warp[slot]]);
          if (exitAfter) {
            ctx.exitAfter();
          }
        }
      };
    }
  }

  @Test
  void aBlockWhoseWarpsEndWithExitAfterRetiresWhenTheLatestEndsWithFewerEvents() {
    // one unit, two blocks resident: 4 blocks run in two waves, each as long as its longest warp
    Config cfg = TestConfigs.with("compute.sms=1", "compute.block_launch=0ns",
        "compute.max_blocks_per_sm=2", "fastmem.interconnect.port_bandwidth=1000000TB/s");
    int[] latency = {300, 100, 200};
    boolean[] noLoads = new boolean[3];
    long[] end = new long[2];
    long[] events = new long[2];
    for (int i = 0; i < 2; i++) {
      Accelerator acc = device(cfg, 1e18);
      acc.gpu().submit(new LastWorkKernel(4, latency, noLoads, i == 1));
      end[i] = acc.drain();
      events[i] = acc.sim().dispatched();
    }
    ComputeSpec spec = ComputeSpec.from(cfg);
    long wave = (long) Math.ceil(300 * spec.cyclePs());
    assertEquals(spec.kernelLaunchPs() + 2 * wave, end[1], 2.0);
    assertEquals(end[0], end[1], "the same retirement with or without exitAfter");
    // per block: one event for its warps' exits instead of one per warp
    assertEquals(events[0] - 4 * (latency.length - 1), events[1]);
  }

  @Test
  void aWarpWithALoadOutstandingExitsAfterItsLoadReturns() {
    Config cfg = TestConfigs.with("compute.sms=1", "compute.block_launch=0ns",
        "fastmem.interconnect.port_bandwidth=1000000TB/s");
    Accelerator acc = device(cfg, 1e18);
    acc.gpu().submit(new LastWorkKernel(1, new int[] {10, 10}, new boolean[] {true, false}, true));
    long end = acc.drain();
    // the load (300 ns) outlasts both warps' 10-cycle computes
    assertEquals(acc.compute().kernelLaunchPs() + LATENCY, end, 20.0);
  }

  /** Every warp reads two 64 KiB bulk chunks on one scoreboard, as a batch or one by one. */
  static final class TwoChunkKernel extends Kernel {
    final boolean batch;

    TwoChunkKernel(int grid, boolean batch) {
      super("two-chunks", "two-chunks", grid, 128, 32);
      this.batch = batch;
    }

    @Override
    public WarpProgram newProgram(int slots) {
      long[] base = new long[slots];
      boolean[] loaded = new boolean[slots];
      long[] addrs = new long[2];
      int[] bytes = {64 << 10, 64 << 10};
      return new WarpProgram() {
        @Override
        public void start(int slot, int block, int warpInBlock) {
          base[slot] = ((long) block * 4 + warpInBlock) << 20;
          loaded[slot] = false;
        }

        @Override
        public void step(int slot, WarpContext ctx) {
          if (loaded[slot]) {
            ctx.exit();
            return;
          }
          loaded[slot] = true;
          addrs[0] = base[slot];
          addrs[1] = base[slot] + (512 << 10);
          if (batch) {
            ctx.loadBatch(addrs, bytes, 2, 1, 0);
          } else {
            ctx.load(addrs[0], bytes[0], 1, false, 0);
            ctx.load(addrs[1], bytes[1], 1, false, 0);
          }
          ctx.waitScoreboard(0, 0);
        }
      };
    }
  }

  @Test
  void aBatchOfBulkReadsCompletesWithOneEventAtTheSameTime() {
    Config cfg = TestConfigs.with();
    long[] end = new long[2];
    long[] events = new long[2];
    long[] hbmBytes = new long[2];
    for (int i = 0; i < 2; i++) {
      Accelerator acc = Accelerator.withFastMemory(cfg, 0);
      acc.gpu().submit(new TwoChunkKernel(264, i == 1));
      end[i] = acc.drain();
      events[i] = acc.sim().dispatched();
      hbmBytes[i] = acc.memory().stats().hbmReadBytes;
    }
    assertEquals(end[0], end[1], "the batch completes when its second chunk is in");
    assertEquals(264L * 4 * 2 * (64 << 10), hbmBytes[1]);
    assertEquals(hbmBytes[0], hbmBytes[1]);
    assertEquals(events[0] - 264 * 4, events[1], "one completion event per warp, not two");
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
