package org.dsasim.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.dsasim.app.sweep.DecodePointRunnerFactory;
import org.dsasim.app.sweep.Progress;
import org.dsasim.app.sweep.SweepPoint;
import org.dsasim.app.sweep.SweepRunner;
import org.dsasim.app.sweep.SweepSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the sweep machinery costs and what a second worker gains. One operation runs the same
 * {@code points} simulations (the smoke study's setting: 2 layers, 2 sequences at 16K context,
 * a 15 MiB reservation, one point per seed) three ways:
 *
 * <ul>
 *   <li>{@code oneByOne}: the point runner called in a loop, nothing else (the baseline: what a
 *       script calling the simulator in one process would do);
 *   <li>{@code sweepOneWorker}: through {@link SweepRunner} with one worker (manifest, result
 *       records, progress, table): its excess over {@code oneByOne} is the sweep's overhead;
 *   <li>{@code sweepTwoWorkers}: the same with two workers: {@code oneByOne / sweepTwoWorkers} is
 *       the speed-up on two cores;
 *   <li>{@code sweepMachineryOnly}: the sweep of {@code sweepOneWorker} with a point runner that
 *       simulates nothing: the machinery's own cost (manifest, fsynced result records, table),
 *       which on a loaded machine is a steadier measure of the overhead than a difference of two
 *       noisy totals.
 * </ul>
 *
 * Every operation writes into a fresh folder (each point's histograms, summary and config).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SweepBenchmark {
  @Param({"8"})
  public int points;

  private Path work;
  private SweepSpec spec;
  private SweepRunner.PointRunner runner;
  private int run;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    work = Files.createTempDirectory("dsasim-sweep-bench");
    spec = smokeSettingSpec(work, points, Map.of());
    runner = new DecodePointRunnerFactory().create(spec);
  }

  /**
   * A sweep of {@code points} points, one per seed, in the smoke study's setting (DeepSeek-V3.2
   * shrunk to 2 layers, 2 sequences at 16K context, a 15 MiB reservation, 2 + 3 steps) with the
   * base settings {@code overrides} on top, written to {@code dir/bench.yaml}. With more layers
   * (model.layers_per_gpu) a point's simulation takes longer; its fixed costs (building the GPU
   * and the LLC, the result files) do not grow.
   */
  static SweepSpec smokeSettingSpec(Path dir, int points, Map<String, String> overrides)
      throws IOException {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("hardware", "h200");
    base.put("model", "deepseek-v3.2");
    base.put("model.layers_per_gpu", "2");
    base.put("decode.batch", "2");
    base.put("decode.context", "16384");
    base.put("fastmem.llc.reservation", "15MiB");
    base.put("sim.warmup.steps", "2");
    base.put("sim.stop.steps", "3");
    base.putAll(overrides);
    Path file = dir.resolve("bench.yaml");
    String seeds = IntStream.rangeClosed(1, points).mapToObj(Integer::toString)
        .collect(Collectors.joining(", "));
    StringBuilder yaml = new StringBuilder("name: sweep-bench\nbase:\n");
    base.forEach((k, v) -> yaml.append("  ").append(k).append(": ").append(v).append('\n'));
    yaml.append("seeds: [").append(seeds).append("]\n");
    Files.writeString(file, yaml);
    return SweepSpec.load(file);
  }

  /** The baseline: the point runner called in a loop, each point into its own folder. */
  static int runOneByOne(SweepSpec spec, SweepRunner.PointRunner runner, Path out)
      throws Exception {
    int metrics = 0;
    for (SweepPoint p : spec.points()) {
      Path dir = Files.createDirectories(out.resolve(p.id()));
      metrics += runner.run(p, dir).size();
    }
    return metrics;
  }

  /** The same points through the sweep runner with {@code workers} workers. */
  static int runSweep(SweepSpec spec, SweepRunner.PointRunner runner, Path out, int workers) {
    return new SweepRunner(spec, out, runner, workers, false, Progress.silent()).run().ran();
  }

  private Path freshFolder() {
    return work.resolve("run-" + run++);
  }

  @Benchmark
  public int oneByOne() throws Exception {
    return runOneByOne(spec, runner, freshFolder());
  }

  @Benchmark
  public int sweepOneWorker() {
    return runSweep(spec, runner, freshFolder(), 1);
  }

  @Benchmark
  public int sweepTwoWorkers() {
    return runSweep(spec, runner, freshFolder(), 2);
  }

  @Benchmark
  public int sweepMachineryOnly() {
    return new SweepRunner(spec, freshFolder(), (p, d) -> java.util.Map.of("index", p.index()), 1,
        false, Progress.silent()).run().ran();
  }

  @TearDown(Level.Trial)
  public void removeFiles() {
    deleteTree(work);
  }

  /** Deletes {@code dir} and everything under it. */
  static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
