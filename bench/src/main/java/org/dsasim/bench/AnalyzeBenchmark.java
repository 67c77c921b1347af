package org.dsasim.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
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

  /**
   * CPU time per index, which a shared machine distorts much less than wall time: the analyzer's
   * thread alone and the whole process (the analyzer and the stack-distance threads; the JIT and
   * GC threads add a little noise after the warm-up). Arguments: repetitions (default 10), then
   * {@code false} to leave out the stack-distance profiles.
   */
  public static void main(String[] args) throws IOException {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    AnalyzeBenchmark bench = new AnalyzeBenchmark();
    bench.reuseProfile = args.length <= 1 || Boolean.parseBoolean(args[1]);
    bench.generate();
    var threads = ManagementFactory.getThreadMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int r = 0; r < reps; r++) {
      long wall0 = System.nanoTime();
      long own0 = threads.getCurrentThreadCpuTime();
      long all0 = os.getProcessCpuTime();
      bench.analyze();
      double own = (double) (threads.getCurrentThreadCpuTime() - own0) / INDICES;
      double all = (double) (os.getProcessCpuTime() - all0) / INDICES;
      double wall = (double) (System.nanoTime() - wall0) / INDICES;
      System.out.printf("rep %d: analyzer thread %.1f ns/index, process %.1f ns/index, "
          + "wall %.1f ns/index (%.1f M indices/s)%n", r, own, all, wall, 1e3 / wall);
    }
  }
}
