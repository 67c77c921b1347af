package org.dsasim.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dsasim.workloads.analyze.TraceAnalyzer;
import org.dsasim.workloads.analyze.TraceStatistics;
import org.dsasim.workloads.gen.DsaParams;
import org.dsasim.workloads.gen.GeneratorShape;
import org.dsasim.workloads.gen.Generators;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceSource;
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
 * Trace analyzer throughput, in selected indices per second (one operation = one index): a
 * paper-like dsa trace (k = 2048, context 64K, 4 layers, 4 sequences, 100 steps) held in memory,
 * analyzed with and without the LRU stack-distance profiles (the overall one and one per layer,
 * computed on two other threads when the machine has more than one processor).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AnalyzeBenchmark {
  private static final int STEPS = 100;
  private static final int LAYERS = 4;
  private static final int SEQS = 4;
  private static final int TOPK = 2048;
  private static final int INDICES = STEPS * LAYERS * SEQS * TOPK;

  @Param({"true", "false"})
  public boolean reuseProfile;

  private final List<StepSelection> steps = new ArrayList<>();
  private TraceHeader header;

  @Setup
  public void generate() throws IOException {
    GeneratorShape shape = new GeneratorShape(STEPS, LAYERS, SEQS, TOPK, 65536, 1);
    try (TraceSource src = Generators.dsa(shape, DsaParams.defaults())) {
      header = src.header();
      StepSelection step = StepSelection.forHeader(header);
      while (src.next(step)) {
        StepSelection copy = StepSelection.forHeader(header);
        copy.copyFrom(step);
        steps.add(copy);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(INDICES)
  public TraceStatistics analyze() {
    TraceAnalyzer analyzer = new TraceAnalyzer(header, reuseProfile);
    for (StepSelection step : steps) {
      analyzer.accept(step);
    }
    return analyzer.finish();
  }
}
