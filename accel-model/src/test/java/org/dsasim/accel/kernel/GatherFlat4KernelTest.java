package org.dsasim.accel.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dsasim.accel.TestConfigs;
import org.dsasim.accel.gpu.ComputeSpec;
import org.dsasim.accel.memory.FixedLatencyMemory;
import org.dsasim.accel.system.Accelerator;
import org.dsasim.core.config.Config;
import org.dsasim.mem.reservation.KvLayout;
import org.junit.jupiter.api.Test;

class GatherFlat4KernelTest {
  private static final long LATENCY = 300_000; // 300 ns

  /** One warp runs {@code rounds} rounds of 4 items; returns when the kernel is done. */
  private static long singleWarp(int divisionCycles, int rounds) {
    Config cfg = TestConfigs.with("kernels.division_cycles=" + divisionCycles,
        "fastmem.interconnect.port_bandwidth=1000000TB/s");
    Accelerator acc = new Accelerator(cfg, (sim, messages, units) ->
        new FixedLatencyMemory(sim, "mem", messages, units, LATENCY, 1e18));
    // 16 B entries: one chunk each, so a warp's 32 items are 32 entries
    KvLayout kv = new KvLayout(0, 1, 1, 4096, 16);
    int topk = 128 * rounds;
    int[] tokens = new int[topk];
    for (int i = 0; i < topk; i++) {
      tokens[i] = (i * 37) % 4096;
    }
    acc.gpu().submit(new GatherFlat4Kernel("flat4", "gather", kv, 0, 1, topk, tokens, 0,
        1L << 30, 1, acc.costs(), new Launch(1, 32)));
    return acc.drain();
  }

  @Test
  void everyItemWaitsForTwoDivisionsOnTheWarpsCriticalPath() {
    // the kernel divides the item by the chunks per entry, then the entry by top-k, before
    // loading the index: 2 divisions per item, 4 items per round, all on one warp's chain
    Config cfg = TestConfigs.with();
    double cyclePs = ComputeSpec.from(cfg).cyclePs();
    for (int rounds : new int[] {1, 3}) {
      long shorter = singleWarp(300, rounds);
      long longer = singleWarp(600, rounds);
      double expected = rounds * 4 * 2 * 300 * cyclePs;
      assertEquals(expected, longer - shorter, 4.0 * rounds * 8, rounds + " rounds");
    }
  }
}
