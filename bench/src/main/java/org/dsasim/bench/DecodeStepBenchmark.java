package org.dsasim.bench;

import java.util.concurrent.TimeUnit;
import org.dsasim.accel.config.AccelKeys;
import org.dsasim.accel.decode.DecodeSimulation;
import org.dsasim.accel.decode.DefaultStudy;
import org.dsasim.accel.decode.ModelSpec;
import org.dsasim.accel.workload.Workloads;
import org.dsasim.app.run.DecodeRun;
import org.dsasim.workloads.gen.GeneratorShape;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.core.config.Config;
import org.dsasim.core.config.ConfigLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Speed of the decode-step simulation, as gathered token entries per second (of wall time), with
 * no reservation and with a 30 MiB token-LRU reservation:
 *
 * <ul>
 *   <li>{@link #defaultStudy}: the study {@code dsasim run} runs without options
 *       ({@link DefaultStudy}: H200, LLaMA-3.1-70B with DSA at top-128, 2 sequences at 64K
 *       context, 4 warm-up + 8 measured steps, its steps dominated by weight streams). One
 *       invocation is one of its two runs, as the command does it (workload generation
 *       included): 12 steps of 5,120 gathered entries.
 *   <li>{@link #decodeSteps}: the base configuration (H200, DeepSeek-V3.2, 4 sequences at 64K
 *       context, top-2048 over 61 layers: 499,712 gathered entries per step, the paper-fitted
 *       {@code dsa} selections), six steps per invocation.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecodeStepBenchmark {
  private static final int STEPS = 6;
  private static final int ENTRIES = STEPS * 61 * 4 * 2048;
  /** Entries of one run of the default study: (4 + 8) steps x 20 layers x 2 sequences x 128. */
  private static final int DEFAULT_STUDY_ENTRIES = 12 * 20 * 2 * 128;

  @Param({"0", "31457280"})
  public long reservation;

  private Config cfg;
  private ModelSpec model;
  private Config defaultStudy;
  private ModelSpec defaultStudyModel;

  @Setup
  public void setup() {
    cfg = ConfigLoader.standard().load();
    model = ModelSpec.from(cfg);
    defaultStudy = DefaultStudy.apply(ConfigLoader.standard()).load();
    defaultStudyModel = ModelSpec.from(defaultStudy);
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public long decodeSteps() {
    DecodeSimulation.Options options = new DecodeSimulation.Options(cfg.get(AccelKeys.BATCH),
        cfg.get(AccelKeys.CONTEXT), 0, STEPS, false, reservation);
    TraceSource source = Workloads.open(cfg.get(AccelKeys.WORKLOAD_SOURCE),
        new GeneratorShape(STEPS, model.layersPerGpu(), options.batch(), model.topk(),
            options.context(), 1, model.entryBytes(), 1), cfg.get(AccelKeys.PERSIST));
    return new DecodeSimulation(cfg, model, options).run(source).gatheredEntries();
  }

  @Benchmark
  @OperationsPerInvocation(DEFAULT_STUDY_ENTRIES)
  public long defaultStudy() {
    DecodeSimulation.Result r =
        DecodeRun.simulate(defaultStudy, defaultStudyModel, reservation).result();
    if (r.simulatedEntries() != DEFAULT_STUDY_ENTRIES) {
      throw new IllegalStateException("the default study simulated " + r.simulatedEntries()
          + " entries, not " + DEFAULT_STUDY_ENTRIES + ": update DEFAULT_STUDY_ENTRIES");
    }
    return r.simulatedEntries();
  }
}
