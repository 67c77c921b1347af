package org.dsasim.accel.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dsasim.accel.TestConfigs;
import org.dsasim.accel.gpu.StallCause;
import org.dsasim.accel.memory.TwoLevelMemory;
import org.dsasim.accel.workload.PersistUniformSource;
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

  private static PersistUniformSource workload(ModelSpec m) {
    return new PersistUniformSource(m.layersPerGpu(), 2, m.topk(), 4096, 1, 0.5, 42);
  }

  @Test
  void withEveryAccessHittingAStepIsTheSumOfItsParts() {
    Config cfg = small();
    ModelSpec model = ModelSpec.from(cfg);
    long hitPs = 200_000;
    DecodeSimulation sim = new DecodeSimulation(cfg, model, options(0),
        (s, messages, units) -> new TwoLevelMemory(s, "mem", messages, units, line -> true, hitPs,
            350_000, 4.8e12));
    DecodeSimulation.Result r = sim.run(workload(model));
    double phases = r.phaseUs().values().stream().mapToDouble(Double::doubleValue).sum();
    double launchPerStep = r.stallPs().get(StallCause.LAUNCH.key()) / 1e6 / 2;
    double meanStep = (r.stepUs()[0] + r.stepUs()[1]) / 2;
    assertEquals(meanStep, phases + launchPerStep, 1e-6, "phases + launch gaps = the step");
    assertEquals(0, r.memory().hbmReadBytes, "nothing comes from HBM");
    assertEquals(0, r.stallPs().get(StallCause.HBM.key()));
    // 6 kernels per layer (weights, indexer, top-k, attention, append, FFN) per step
    assertEquals(6 * 2 * cfg.get(org.dsasim.accel.config.AccelKeys.KERNEL_LAUNCH) / 1e6,
        launchPerStep, 1e-9);
    assertEquals(2L * 2 * 2 * 256, r.gatheredEntries(), "layers x sequences x steps x top-k");
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

  @Test
  void sameInputsGiveIdenticalResults() {
    Config cfg = small("fastmem.llc.reservation=8MiB");
    ModelSpec model = ModelSpec.from(cfg);
    DecodeSimulation.Result a =
        new DecodeSimulation(cfg, model, options(8 << 20)).run(workload(model));
    DecodeSimulation.Result b =
        new DecodeSimulation(cfg, model, options(8 << 20)).run(workload(model));
    assertArrayEquals(a.stepUs(), b.stepUs());
    assertEquals(a.stallPs(), b.stallPs());
    assertEquals(a.memory().reservedHits, b.memory().reservedHits);
    assertEquals(a.memory().hbmReadBytes, b.memory().hbmReadBytes);
    assertEquals(a.gatherLatencyNs(), b.gatherLatencyNs());
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
