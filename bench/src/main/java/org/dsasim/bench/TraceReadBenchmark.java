package org.dsasim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceSink;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reading a {@code .dsat} trace end to end (file, CRC32C, zstd, varint decoding into a
 * {@link StepSelection}) on one thread. The score is indices per second: one operation reads
 * {@link #INDICES} indices.
 *
 * <p>The trace has the captured trace's shape (8 layers, 6 sequences, top-256, every row full);
 * each row keeps half of the previous step's tokens (in new rank positions) and draws the rest
 * uniformly from the context, as a selector with about 50% step-to-step persistence would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TraceReadBenchmark {
  static final int LAYERS = 8;
  static final int SEQS = 6;
  static final int TOPK = 256;
  static final int STEPS = 256;
  static final int INDICES = STEPS * LAYERS * SEQS * TOPK;

  /** Context length: the captured trace's ~4 K tokens, or DeepSeek-V3.2's 128 K. */
  @Param({"4096", "131072"})
  public int context;

  private Path dir;
  private Path file;
  private StepSelection step;

  @Setup(Level.Trial)
  public void writeTrace() throws IOException {
    dir = Files.createTempDirectory("trace-bench");
    file = dir.resolve("bench.dsat");
    TraceHeader h = new TraceHeader("bench", LAYERS, SEQS, TOPK, 656, 132, 64, context,
        STEPS, Map.of());
    SplittableRandom rnd = new SplittableRandom(1);
    StepSelection s = StepSelection.forHeader(h);
    int[] row = new int[TOPK];
    try (TraceSink sink = Traces.create(file, h)) {
      for (int t = 0; t < STEPS; t++) {
        s.setStep(t);
        for (int q = 0; q < SEQS; q++) {
          s.setContextLen(q, context + t);
        }
        for (int l = 0; l < LAYERS; l++) {
          for (int q = 0; q < SEQS; q++) {
            for (int i = 0; i < TOPK; i++) {
              boolean keep = t > 0 && rnd.nextBoolean();
              row[i] = keep ? s.index(l, q, rnd.nextInt(TOPK)) : rnd.nextInt(context + t);
            }
            s.set(l, q, row, 0, TOPK);
          }
        }
        sink.write(s);
      }
    }
    step = StepSelection.forHeader(h);
  }

  @TearDown(Level.Trial)
  public void deleteTrace() throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  /** Reads the whole trace; returns a checksum so that nothing is optimised away. */
  @Benchmark
  @OperationsPerInvocation(INDICES)
  public long readDsat() throws IOException {
    long sum = 0;
    try (TraceSource src = Traces.open(file)) {
      while (src.next(step)) {
        int[] idx = step.indices();
        for (int l = 0; l < LAYERS; l++) {
          for (int q = 0; q < SEQS; q++) {
            int off = step.offset(l, q);
            for (int i = 0, n = step.count(l, q); i < n; i++) {
              sum += idx[off + i];
            }
          }
        }
      }
    }
    return sum;
  }
}
