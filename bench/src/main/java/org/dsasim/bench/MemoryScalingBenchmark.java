package org.dsasim.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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

/**
 * What a second core adds on this machine, independent of the simulator: each thread chases
 * dependent random indices through an array of its own ({@code bytes} per thread, as a sweep
 * worker keeps its own point's tag arrays and queues), or does arithmetic only. Compare the
 * aggregate throughput with two threads ({@code -t 2}) with one ({@code -t 1}): a speed-up of two
 * workers in a sweep cannot exceed what the machine gives these loops at the point's working-set
 * size.
 *
 * <pre>java -jar bench/target/benchmarks.jar MemoryScalingBenchmark -t 1 -f 1 -wi 2 -i 3 -w 1s -r 1s
 * java -jar bench/target/benchmarks.jar MemoryScalingBenchmark -t 2 -f 1 -wi 2 -i 3 -w 1s -r 1s</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MemoryScalingBenchmark {
  static final int STEPS = 1 << 16;

  /** One thread's array: a random cyclic permutation, so every load depends on the last. */
  @State(Scope.Thread)
  public static class Chase {
    @Param({"256KiB", "4MiB", "16MiB", "64MiB"})
    public String bytes;

    int[] next;
    int at;
    long acc = 1;

    @Setup(Level.Trial)
    public void build() {
      int n = (int) (org.dsasim.core.config.Units.parseBytes(bytes) / Integer.BYTES);
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      SplittableRandom rng = new SplittableRandom(Thread.currentThread().getId());
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      next = new int[n];
      for (int i = 0; i < n; i++) {
        next[order[i]] = order[(i + 1) % n];
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(STEPS)
  public int chase(Chase c) {
    int[] next = c.next;
    int at = c.at;
    for (int i = 0; i < STEPS; i++) {
      at = next[at];
    }
    c.at = at;
    return at;
  }

  @Benchmark
  @OperationsPerInvocation(STEPS)
  public long arithmetic(Chase c) {
    long x = c.acc;
    for (int i = 0; i < STEPS; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    c.acc = x;
    return x;
  }
}
