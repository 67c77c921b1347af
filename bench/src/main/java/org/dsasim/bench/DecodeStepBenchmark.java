package org.dsasim.bench;

import java.util.concurrent.TimeUnit;
import org.dsasim.accel.config.AccelKeys;
import org.dsasim.accel.decode.DecodeSimulation;
import org.dsasim.accel.decode.ModelSpec;
import org.dsasim.accel.workload.Workloads;
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
 * Speed of the detailed decode-step simulation on the default study's setting (H200, DeepSeek-V3.2,
 * 4 sequences at 64K context, top-2048 over 61 layers: 499,712 gathered entries per step, the
 * paper-fitted {@code dsa} selections), with
 * no reservation and with a 30 MiB token-LRU reservation. One invocation simulates six decode
 * steps; the score is gathered token entries per second (of wall time).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecodeStepBenchmark {
  private static final int STEPS = 6;
  private static final int ENTRIES = STEPS * 61 * 4 * 2048;

  @Param({"0", "31457280"})
  public long reservation;

  private Config cfg;
  private ModelSpec model;

  @Setup
  public void setup() {
    cfg = ConfigLoader.standard().load();
    model = ModelSpec.from(cfg);
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
}
