package org.dsasim.accel.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.dsasim.accel.TestConfigs;
import org.dsasim.accel.config.AccelKeys;
import org.dsasim.accel.gpu.StallCause;
import org.dsasim.accel.memory.MemoryStats;
import org.dsasim.accel.memory.TwoLevelMemory;
import org.dsasim.accel.workload.Workloads;
import org.dsasim.workloads.gen.GeneratorShape;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.core.config.Config;
import org.junit.jupiter.api.Test;

class DecodeSimulationTest {
  /** A small DeepSeek-shaped run: 2 layers, 2 sequences of 4096 tokens, top-256. */
  private static Config small(String... more) {
    String[] base = {"model.layers_per_gpu=2", "model.topk=256", "decode.batch=2",
        "decode.context=4096", "model.expert_parallel=64"};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return TestConfigs.with(all);
  }

  private static DecodeSimulation.Options options(long reservation) {
    return new DecodeSimulation.Options(2, 4096, 1, 2, false, reservation);
  }

  private static TraceSource workload(ModelSpec m) {
    return Workloads.open("persist-uniform",
        new GeneratorShape(3, m.layersPerGpu(), 2, m.topk(), 4096, 1, m.entryBytes(), 42), 0.5);
  }

  /**
   * Every load hits at the preset's near LLC latency and arithmetic is made negligible, so a
   * step is launch gaps, block prologues, dependent round trips to the LLC and the top-k's issue
   * time. The expected time is built here from the preset numbers and the kernels' documented
   * shapes (one block per unit, chunks dealt to warps in turn, entries split over a tile's warps).
   */
  @Test
  void withEveryGatherHittingAStepIsTheSumOfItsModelledParts() {
    Config cfg = small("compute.tensor_flops_per_cycle=1e12",
        "fastmem.interconnect.port_bandwidth=1000000TB/s");
    ModelSpec model = ModelSpec.from(cfg);
    long hitPs = AccelKeys.ps(cfg, AccelKeys.LLC_NEAR);
    DecodeSimulation sim = new DecodeSimulation(cfg, model, options(0),
        (s, messages, units) -> new TwoLevelMemory(s, "mem", messages, units, line -> true, hitPs,
            350_000, 4.8e12));
    DecodeSimulation.Result r = sim.run(workload(model));

    long launch = cfg.get(AccelKeys.KERNEL_LAUNCH);
    long prologue = cfg.get(AccelKeys.BLOCK_PROLOGUE);
    double cyclePs = 1e12 / cfg.get(AccelKeys.CLOCK);
    int units = cfg.get(AccelKeys.SMS);
    int batch = 2;
    int warpsPerTile = cfg.get(AccelKeys.ATTENTION_WARPS);
    int entriesPerWarp = ceilDiv(cfg.get(AccelKeys.ATTENTION_ENTRIES_PER_BLOCK), warpsPerTile);
    int attentionTrips = 1 + ceilDiv(entriesPerWarp, cfg.get(AccelKeys.ATTENTION_IN_FLIGHT));
    long attnBytes = (long) ((model.attentionParams() + model.indexerParams())
        / model.tensorParallel() * model.weightBytes());
    for (int measured = 0; measured < 2; measured++) {
      int ctx = 4096 + 1 + measured; // one warm-up step, then one more token per step
      double expectedPs = 0;
      for (int l = 0; l < model.layersPerGpu(); l++) {
        long ffnBytes = (long) model.weightBytes(l, batch) - attnBytes;
        long keyBytes = (long) ctx * model.indexKeyBytes();
        // top-k: one 256-thread block per unit, each warp a dependent chain of 4 cycles per
        // instruction (longer than the unit's issue time for its 8 warps)
        long topkInstr = ceilDiv((long) batch * ctx, 32);
        long topkPerWarp = ceilDiv(topkInstr, (long) batch * (units / batch) * 8);
        expectedPs += 6 * (launch + prologue)
            + hitPs * (streamTrips(cfg, attnBytes) + streamTrips(cfg, keyBytes, keyBytes)
                + attentionTrips + streamTrips(cfg, ffnBytes))
            + 4 * topkPerWarp * cyclePs;
      }
      // ceilings of the negligible arithmetic: at most a few ps per kernel
      assertEquals(expectedPs / 1e6, r.stepUs()[measured], 12 * 5 / 1e6,
          "step " + measured + " against the sum of its parts");
    }
    assertEquals(0, r.memory().hbmReadBytes, "nothing comes from HBM");
    assertEquals(0, r.stallPs().get(StallCause.HBM.key()));
    assertEquals(2L * 2 * 2 * 256, r.gatheredEntries(), "layers x sequences x steps x top-k");
  }

  /**
   * Dependent round trips of the busiest warp of a streaming phase over byte ranges: chunks of
   * at least a bulk copy and at most kernels.stream.chunk, sized so that every warp slot of one
   * 4-warp block per unit has its chunks in flight, dealt to the warps in turn.
   */
  private static long streamTrips(Config cfg, long... ranges) {
    int units = cfg.get(AccelKeys.SMS) * cfg.get(AccelKeys.STREAM_BLOCKS_PER_SM);
    int inFlight = cfg.get(AccelKeys.STREAM_IN_FLIGHT);
    long total = 0;
    for (long b : ranges) {
      total += b;
    }
    long chunk = ceilDiv(ceilDiv(total, (long) units * 4 * inFlight), 128) * 128;
    chunk = Math.max(2048, Math.min(cfg.get(AccelKeys.STREAM_CHUNK), chunk));
    long chunks = 0;
    for (long b : ranges) {
      chunks += ceilDiv(b, chunk);
    }
    long warps = 4 * Math.max(1, Math.min(units, ceilDiv(chunks, 4L * inFlight)));
    return ceilDiv(ceilDiv(chunks, warps), inFlight);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  @Test
  void slowerHbmNeverMakesAStepFaster() {
    double previous = 0;
    for (String latency : new String[] {"300ns", "350ns", "450ns", "700ns"}) {
      Config cfg = small("fastmem.hbm.load_to_use=" + latency);
      ModelSpec model = ModelSpec.from(cfg);
      DecodeSimulation.Result r = new DecodeSimulation(cfg, model, options(0)).run(workload(model));
      double mean = (r.stepUs()[0] + r.stepUs()[1]) / 2;
      assertTrue(mean >= previous, latency + ": " + mean + " < " + previous);
      previous = mean;
    }
  }

  /** Two runs of the same configuration and seed report the same summary, bit for bit. */
  @Test
  void sameInputsGiveIdenticalSummaries() {
    Config cfg = small("decode.workload=dsa", "fastmem.llc.reservation=8MiB");
    ModelSpec model = ModelSpec.from(cfg);
    GeneratorShape shape =
        new GeneratorShape(3, model.layersPerGpu(), 2, model.topk(), 4096, 1, model.entryBytes(), 7);
    Map<String, Object>[] summaries = new Map[2];
    DecodeSimulation.Result[] results = new DecodeSimulation.Result[2];
    for (int i = 0; i < 2; i++) {
      results[i] = new DecodeSimulation(cfg, model, options(8 << 20))
          .run(Workloads.open(cfg, shape));
      summaries[i] = DecodeReport.summary(results[i], cfg, 0);
    }
    assertTrue(results[0].memory().reservedHits > 0, "the reservation is exercised");
    assertEquals(summaries[0], summaries[1]);
    assertEquals(results[0].gatherLatencyNs(), results[1].gatherLatencyNs());
    assertEquals(results[0].stepLatencyNs(), results[1].stepLatencyNs());
  }

  /**
   * Launch replay (the default) against simulating every launch: the same counters, and the same
   * step times up to the rounding of times at another start.
   */
  @Test
  void replayedLaunchesGiveTheFiguresOfSimulatedOnes() {
    DecodeSimulation.Result[] r = new DecodeSimulation.Result[2];
    for (int i = 0; i < 2; i++) {
      Config cfg = small("decode.workload=dsa", "kernels.replay=" + (i == 0));
      ModelSpec model = ModelSpec.from(cfg);
      GeneratorShape shape = new GeneratorShape(
          6, model.layersPerGpu(), 2, model.topk(), 4096, 1, model.entryBytes(), 7);
      r[i] = new DecodeSimulation(cfg, model, new DecodeSimulation.Options(2, 4096, 2, 4, false,
          8 << 20)).run(Workloads.open(cfg, shape));
    }
    DecodeSimulation.Result replayed = r[0];
    DecodeSimulation.Result simulated = r[1];
    assertEquals(0, simulated.replayedLaunches());
    assertEquals(simulated.launches(), replayed.launches());
    // of each layer's streams (attention weights, index keys, FFN weights) the first layer's are
    // recorded, the others replayed
    assertTrue(replayed.replayedLaunches() >= replayed.launches() / 6,
        replayed.replayedLaunches() + " of " + replayed.launches());
    for (int s = 0; s < simulated.stepUs().length; s++) {
      assertEquals(simulated.stepUs()[s], replayed.stepUs()[s], 1e-6 * simulated.stepUs()[s]);
    }
    MemoryStats a = replayed.memory();
    MemoryStats b = simulated.memory();
    assertEquals(b.readRequests, a.readRequests);
    assertEquals(b.readBytes, a.readBytes);
    assertEquals(b.writeBytes, a.writeBytes);
    assertArrayEquals(b.bytesByLevel, a.bytesByLevel);
    assertEquals(b.sharedLookups, a.sharedLookups);
    assertEquals(b.sharedHits, a.sharedHits);
    assertEquals(b.reservedHits, a.reservedHits);
    assertEquals(b.hbmReadBytes, a.hbmReadBytes);
    assertEquals(b.hbmWriteBytes, a.hbmWriteBytes);
    assertEquals(b.hbmActivations, a.hbmActivations);
    assertEquals(simulated.gatherLatencyNs(), replayed.gatherLatencyNs());
  }

  @Test
  void aReservationTurnsRepeatedGathersIntoHits() {
    Config cfg = small();
    ModelSpec model = ModelSpec.from(cfg);
    DecodeSimulation.Result none = new DecodeSimulation(cfg, model, options(0))
        .run(workload(model));
    DecodeSimulation.Result with = new DecodeSimulation(cfg, model, options(16 << 20))
        .run(workload(model));
    assertEquals(0, none.memory().reservedLookups);
    // half of every step's top-k was selected the step before, and it all fits in 16 MiB
    assertTrue(with.memory().reservedHitRate() > 0.4, "hit rate " + with.memory().reservedHitRate());
    assertTrue(with.memory().hbmReadBytes < none.memory().hbmReadBytes);
  }
}
