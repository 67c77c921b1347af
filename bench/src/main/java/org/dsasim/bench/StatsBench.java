package org.dsasim.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.dsasim.core.stats.Counter;
import org.dsasim.core.stats.Distribution;
import org.dsasim.core.stats.StatsRegistry;
import org.dsasim.core.stats.StatsScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Cost of recording statistics on a model's hot path. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StatsBench {
  private static final int SAMPLES = 1 << 16;

  private Counter hits;
  private Distribution latency;
  private final long[] latencies = new long[SAMPLES];
  private int next;

  @Setup
  public void setUp() {
    StatsScope llc = new StatsRegistry().scope("system.llc");
    hits = llc.counter("hits", "requests", "hits");
    latency = llc.distribution("latency", "ps", "load-to-use latency");
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < SAMPLES; i++) {
      latencies[i] = 146_000 + rng.nextInt(250_000); // L2 hit to HBM, in ps
    }
    for (long v : latencies) {
      latency.record(v); // the histogram reaches its final size before measuring
    }
  }

  @Benchmark
  public void counterIncrement() {
    hits.inc();
  }

  @Benchmark
  public void distributionRecord() {
    latency.record(latencies[next++ & (SAMPLES - 1)]);
  }
}
