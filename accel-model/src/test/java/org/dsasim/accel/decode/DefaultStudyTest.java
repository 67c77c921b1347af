package org.dsasim.accel.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dsasim.accel.config.AccelKeys;
import org.dsasim.accel.workload.Workloads;
import org.dsasim.core.config.Config;
import org.dsasim.core.config.ConfigLoader;
import org.dsasim.core.config.SimKeys;
import org.dsasim.workloads.gen.GeneratorShape;
import org.junit.jupiter.api.Test;

/** The study {@code dsasim run} runs without options compares something real. */
class DefaultStudyTest {
  private static Config study(String... more) {
    ConfigLoader loader = DefaultStudy.apply(ConfigLoader.standard());
    for (String a : more) {
      loader.set(a);
    }
    return loader.load();
  }

  private static DecodeSimulation.Result run(Config cfg, long reservation) {
    ModelSpec model = ModelSpec.from(cfg);
    int steps = cfg.get(SimKeys.WARMUP_STEPS) + cfg.get(SimKeys.STOP_STEPS);
    GeneratorShape shape = new GeneratorShape(steps, model.layersPerGpu(),
        cfg.get(AccelKeys.BATCH), model.topk(), cfg.get(AccelKeys.CONTEXT), 1,
        model.entryBytes(), 11);
    DecodeSimulation.Options options = new DecodeSimulation.Options(cfg.get(AccelKeys.BATCH),
        cfg.get(AccelKeys.CONTEXT), cfg.get(SimKeys.WARMUP_STEPS), cfg.get(SimKeys.STOP_STEPS),
        false, reservation);
    return new DecodeSimulation(cfg, model, options).run(Workloads.open(cfg, shape));
  }

  /** bench/run gives the default study's settings explicitly: they must be these. */
  @Test
  void benchRunsDefaultStudyHasTheseSettings() throws IOException {
    String script = Files.readString(
        Path.of(System.getProperty("dsasim.repo.root"), "bench", "run"));
    int from = script.indexOf("study default-study");
    assertTrue(from >= 0, "bench/run runs the default study");
    String call = script.substring(from, script.indexOf("\nfi", from));
    Map<String, String> settings = new LinkedHashMap<>();
    Matcher m = Pattern.compile("--set ([\\w.]+)=(\\S+)").matcher(call);
    while (m.find()) {
      settings.put(m.group(1), m.group(2));
    }
    assertEquals(DefaultStudy.SETTINGS, settings);
  }

  @Test
  void theComparedReservationHoldsMoreThanAStepOfGathersAndFitsTheSetAside() {
    Config cfg = study();
    ModelSpec model = ModelSpec.from(cfg);
    long stepBytes = (long) cfg.get(AccelKeys.BATCH) * model.layersPerGpu() * model.topk()
        * model.entryBytes();
    assertEquals(20L * 2 * 128 * 4096, stepBytes, "20 layers x 2 sequences x top-128 x 4 KiB");
    long reservation = cfg.get(AccelKeys.COMPARE_RESERVATION);
    assertTrue(reservation > stepBytes, reservation + " B vs a step's " + stepBytes + " B");
    assertTrue(reservation <= cfg.get(AccelKeys.LLC_SET_ASIDE_MAX));
    assertEquals("dsa", cfg.get(AccelKeys.WORKLOAD_SOURCE));
    assertEquals("paper-fitted", cfg.get(AccelKeys.WORKLOAD_PARAMS));
  }

  /**
   * Reuse in a DSA selection is mostly from one step to the next, and between two uses of a
   * layer's token every other layer and sequence gathers its top-k: a token-LRU reservation of
   * less than one step's gathers gets no hits; one of 1.5 steps keeps the step-to-step reuse.
   */
  @Test
  void aReservationSmallerThanOneStepOfGathersGetsNoHits() {
    // larger stream chunks: fewer weight-streaming events, the same order of gathers per layer
    Config cfg = study("sim.warmup.steps=2", "sim.stop.steps=1", "kernels.stream.chunk=16MiB");
    double halfStep = run(cfg, 10L << 20).memory().reservedHitRate();
    double stepAndHalf = run(cfg, cfg.get(AccelKeys.COMPARE_RESERVATION)).memory()
        .reservedHitRate();
    assertEquals(0.0, halfStep, "10 MiB holds half a step");
    assertTrue(stepAndHalf > 0.3, "30 MiB holds 1.5 steps: " + stepAndHalf);
  }
}
