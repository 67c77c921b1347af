package org.dsasim.accel.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dsasim.accel.TestConfigs;
import org.dsasim.accel.config.AccelKeys;
import org.dsasim.accel.workload.Workloads;
import org.dsasim.core.config.Config;
import org.dsasim.workloads.gen.GeneratorShape;
import org.junit.jupiter.api.Test;

/**
 * The memory of a simulation does not grow with the number of decode steps: a JVM with a heap
 * just above what this small configuration needs runs 400 steps to the end. Measured: 20 steps
 * complete in -Xmx20m; with -Xmx24m the heap after a collection peaks at 18 MiB after 100 steps
 * and after 400 alike. State kept per step (kernels, selections, latencies outside the
 * fixed-size histograms) of more than about 10 KiB a step would exhaust the heap.
 */
class DecodeMemoryBoundTest {
  static final int STEPS = 400;
  static final String[] SMALL = {"model.layers_per_gpu=2", "model.topk=128", "decode.batch=2",
      "decode.context=2048", "model.expert_parallel=64", "decode.workload=dsa"};

  @Test
  void manyStepsRunInASmallFixedHeap() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process p = new ProcessBuilder(List.of(java, "-Xmx24m", "-XX:+UseSerialGC", "-cp",
        System.getProperty("java.class.path"), ManySteps.class.getName(),
        Integer.toString(STEPS)))
        .redirectErrorStream(true).start();
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertEquals(0, done ? p.exitValue() : -1, "forked simulation failed:\n" + output);
    assertEquals("steps " + STEPS, output.strip());
  }

  /** Runs {@code args[0]} measured steps of the small configuration; prints how many ran. */
  public static final class ManySteps {
    public static void main(String[] args) {
      int steps = Integer.parseInt(args[0]);
      Config cfg = TestConfigs.with(SMALL);
      ModelSpec model = ModelSpec.from(cfg);
      DecodeSimulation.Options options = new DecodeSimulation.Options(cfg.get(AccelKeys.BATCH),
          cfg.get(AccelKeys.CONTEXT), 1, steps, false, 4L << 20);
      var source = Workloads.open(cfg.get(AccelKeys.WORKLOAD_SOURCE),
          new GeneratorShape(steps + 1, model.layersPerGpu(), options.batch(), model.topk(),
              options.context(), 1, model.entryBytes(), 7), cfg.get(AccelKeys.PERSIST));
      DecodeSimulation.Result r = new DecodeSimulation(cfg, model, options).run(source);
      System.out.println("steps " + r.stepUs().length);
    }
  }
}
