package org.dsasim.accel.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dsasim.accel.TestConfigs;
import org.dsasim.accel.decode.DecodeReport;
import org.dsasim.accel.decode.DecodeSimulation;
import org.dsasim.accel.decode.ModelSpec;
import org.dsasim.accel.workload.Workloads;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Config;
import org.dsasim.workloads.gen.GeneratorShape;
import org.junit.jupiter.api.Test;

/**
 * The two memory fidelities run the same decode step: both end to end, the detailed one
 * deterministic, reporting its levels and keeping the reservation's monotony, and the two within
 * the bounds docs/model.md ("Fidelity levels") documents.
 */
class FidelityTest {
  /** A model small enough for the detailed level: 2 layers of 1.4 MB of weights, 4 KiB entries. */
  private static final String[] TINY = {"model=llama-3.1-70b-dsa", "model.layers_per_gpu=2",
      "model.dim=256", "model.heads=4", "model.kv_heads=4", "model.head_dim=64",
      "model.dense_inter_dim=512", "model.index_heads=2", "model.index_head_dim=64",
      "model.topk=128"};

  private static Config config(String fidelity, String... more) {
    List<String> all = new ArrayList<>(List.of(TINY));
    all.add("memory.fidelity=" + fidelity);
    all.addAll(List.of(more));
    return TestConfigs.with(all.toArray(String[]::new));
  }

  private static DecodeSimulation.Result run(Config cfg, int batch, int context, int warmup,
      int measured, long reservation) {
    return run(cfg, "persist-uniform", batch, context, warmup, measured, reservation);
  }

  private static DecodeSimulation.Result run(Config cfg, String workload, int batch, int context,
      int warmup, int measured, long reservation) {
    ModelSpec model = ModelSpec.from(cfg);
    GeneratorShape shape = new GeneratorShape(warmup + measured, model.layersPerGpu(), batch,
        model.topk(), context, 1, model.entryBytes(), 7);
    DecodeSimulation.Options options =
        new DecodeSimulation.Options(batch, context, warmup, measured, false, reservation);
    return new DecodeSimulation(cfg, model, options)
        .run(Workloads.open(workload, shape, 0.5));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  @Test
  void bothFidelitiesRunAStepAndTheDetailedOneReportsItsLevels() {
    // one step gathers 2 layers x 2 sequences x 128 x 4 KiB = 2 MiB; 4 MiB hold two steps
    long reservation = 4L << 20;
    DecodeSimulation.Result fast = run(config("fast"), 2, 2048, 2, 1, reservation);
    DecodeSimulation.Result detailed = run(config("detailed"), 2, 2048, 2, 1, reservation);
    assertTrue(fast.memoryDescription().startsWith("LLC"), fast.memoryDescription());
    assertTrue(detailed.memoryDescription().startsWith("detailed: memory preset h200"),
        detailed.memoryDescription());
    for (DecodeSimulation.Result r : List.of(fast, detailed)) {
      assertEquals(1, r.stepUs().length);
      assertTrue(r.stepUs()[0] > 0);
      assertEquals(2L * 2 * 128, r.gatheredEntries(), "2 layers x 2 seqs x top-128");
      assertTrue(r.phaseUs().get("attention") > 0);
      assertTrue(r.gatherLatencyNs().getTotalCount() > 0);
    }
    MemoryStats m = detailed.memory();
    // every gathered entry is 32 whole lines, each one lookup of the units in the reservation
    // (a home partition's second lookup is not one): the lookups are the gathered lines
    assertEquals(detailed.gatheredEntries() * 4096 / 128, m.reservedLookups);
    assertTrue(m.reservedHits > 0 && m.reservedHits <= m.reservedLookups, "" + m.reservedHits);
    assertTrue(m.sharedLookups > 0 && m.sharedHits <= m.sharedLookups);
    assertTrue(m.hbmReadBytes > 0 && m.hbmActivations > 0);
    long served = 0;
    for (long b : m.bytesByLevel) {
      served += b;
    }
    // the split by level (from the hierarchy's read and fill counters) neither loses nor invents
    // bytes: the levels add up to what the units asked for
    assertEquals(m.readBytes, served);
    assertTrue(m.bytesByLevel[ServedBy.LLC_RESERVED] > 0);
    assertTrue(m.bytesByLevel[ServedBy.HBM] > 0);
    double busy = m.hbmUtilization(detailed.measuredPs());
    assertTrue(busy > 0 && busy < 1, "" + busy);
  }

  /**
   * The bounds of docs/model.md ("Fidelity levels"), measured on these two settings with margin:
   * latency-bound (one sequence, the step is launches and dependent round trips: detailed +10 %
   * on the step and +27 % on the attention, its LLC hit and HBM paths being longer than the
   * fast model's calibrated 146/350 ns) and bandwidth-bound (32 sequences of uniform selections
   * on one layer, 16 MiB of gathers: -7 % on the step, +6 % on the attention).
   */
  @Test
  void theFidelitiesAgreeWithinTheDocumentedBounds() {
    String[][] settings = {{"latency-bound", "persist-uniform", "1", "2"},
        {"bandwidth-bound", "uniform", "32", "1"}};
    for (String[] s : settings) {
      int batch = Integer.parseInt(s[2]);
      String layers = "model.layers_per_gpu=" + s[3];
      DecodeSimulation.Result fast = run(config("fast", layers), s[1], batch, 2048, 1, 1, 0);
      DecodeSimulation.Result detailed =
          run(config("detailed", layers), s[1], batch, 2048, 1, 1, 0);
      double step = detailed.stepUs()[0] / fast.stepUs()[0] - 1;
      double attention = detailed.phaseUs().get("attention") / fast.phaseUs().get("attention") - 1;
      assertTrue(Math.abs(step) <= 0.2, s[0] + ": decode step differs by " + step);
      assertTrue(Math.abs(attention) <= 0.4, s[0] + ": attention differs by " + attention);
    }
  }

  @Test
  void theDetailedLevelIsDeterministic() {
    Config cfg = config("detailed");
    DecodeSimulation.Result a = run(cfg, 2, 2048, 1, 1, 4L << 20);
    DecodeSimulation.Result b = run(cfg, 2, 2048, 1, 1, 4L << 20);
    // the whole summary a run reports (its wall time given as 0), bit for bit
    assertEquals(DecodeReport.summary(a, cfg, 0), DecodeReport.summary(b, cfg, 0));
    assertArrayEquals(a.stepUs(), b.stepUs());
    assertEquals(a.phaseUs(), b.phaseUs());
    assertEquals(a.stallPs(), b.stallPs());
    assertEquals(a.measuredPs(), b.measuredPs());
    assertEquals(a.memory().reservedHits, b.memory().reservedHits);
    assertEquals(a.memory().sharedHits, b.memory().sharedHits);
    assertEquals(a.memory().hbmReadBytes, b.memory().hbmReadBytes);
    assertEquals(a.memory().hbmActivations, b.memory().hbmActivations);
    assertArrayEquals(a.memory().bytesByLevel, b.memory().bytesByLevel);
    assertEquals(a.gatherLatencyNs(), b.gatherLatencyNs());
  }

  @Test
  void moreReservationNeverLowersTheReservedHitRateUnderTheDetailedLevel() {
    // one step gathers 2 layers x 2 sequences x 128 x 4 KiB = 2 MiB
    Config cfg = config("detailed");
    double previous = -1;
    for (long mib : new long[] {1, 3, 8}) {
      double rate = run(cfg, 2, 2048, 2, 1, mib << 20).memory().reservedHitRate();
      assertTrue(rate >= previous, mib + " MiB: " + rate + " < " + previous);
      previous = rate;
    }
    assertTrue(previous > 0.3, "8 MiB holds 4 steps: " + previous);
  }

  @Test
  void aDetailedRunNeedsAMemoryPresetAndKnownPolicies() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> config("detailed", "memory.detailed.preset=nope"));
    assertTrue(e.getMessage().contains("memory.detailed.preset"), e.getMessage());
    e = assertThrows(UserInputException.class,
        () -> config("detailed", "fastmem.llc.reservation_admission=sometimes"));
    assertTrue(e.getMessage().contains("fastmem.llc.reservation_admission"), e.getMessage());
    assertThrows(UserInputException.class, () -> config("medium"));
  }
}
