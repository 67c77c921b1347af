package org.dsasim.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.dsasim.app.sweep.DecodePointRunnerFactory;
import org.dsasim.app.sweep.SweepRunner;
import org.dsasim.app.sweep.SweepSpec;
import org.dsasim.core.stats.Percentiles;

/**
 * The sweep's overhead and the two-worker speed-up measured in pairs, in one JVM: each round runs
 * the same points one by one, through the sweep runner with one worker and with two workers, in
 * an order that alternates from round to round, and reports the ratios of each round. Separate
 * JMH forks (as {@link SweepBenchmark}) compare runs that differ in heap layout and JIT decisions
 * by more than the few percent being measured; a paired ratio cancels what the rounds share (the
 * machine's load at that moment, the JVM's state).
 *
 * <pre>java -cp bench/target/benchmarks.jar org.dsasim.bench.SweepOverhead [points] [rounds] [warm-up rounds] [key=value ...]</pre>
 *
 * The points are those of {@link SweepBenchmark#smokeSettingSpec} (about 25 ms each) with the
 * {@code key=value} base settings on top: {@code model.layers_per_gpu=16} gives points of about
 * 160 ms, {@code model.layers_per_gpu=61} (the ready-made studies' model) of about 0.6 s.
 *
 * Prints one line per round (wall ms of each way, and the process's CPU ms) and the medians of
 * the ratios: {@code sweep/oneByOne - 1} is the overhead, {@code oneByOne/twoWorkers} the speed-up.
 */
public final class SweepOverhead {
  private SweepOverhead() {}

  public static void main(String[] args) throws Exception {
    int points = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 3; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected key=value, got '" + args[i] + "'");
      }
      overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    Path work = Files.createTempDirectory("dsasim-sweep-overhead");
    SweepSpec spec = SweepBenchmark.smokeSettingSpec(work, points, overrides);
    SweepRunner.PointRunner runner = new DecodePointRunnerFactory().create(spec);
    double[] overhead = new double[rounds];
    double[] speedUp = new double[rounds];
    System.out.printf(Locale.ROOT, "%d points per run (smoke setting%s), %d warm-up + %d measured"
        + " rounds, %d cores%n", points, overrides.isEmpty() ? "" : " with " + overrides, warmup,
        rounds, Runtime.getRuntime().availableProcessors());
    System.out.println("round  oneByOne ms (cpu)  sweep-1 ms (cpu)  sweep-2 ms (cpu)  overhead  speed-up");
    try {
      for (int r = -warmup; r < rounds; r++) {
        long[][] t = new long[3][];
        // rotate which way goes first, so that a drift of the machine favours none of them
        for (int k = 0; k < 3; k++) {
          int way = Math.floorMod(r + k, 3);
          Path out = work.resolve("round" + (r + warmup) + "-" + way);
          t[way] = measure(() -> {
            switch (way) {
              case 0 -> SweepBenchmark.runOneByOne(spec, runner, out);
              case 1 -> SweepBenchmark.runSweep(spec, runner, out, 1);
              default -> SweepBenchmark.runSweep(spec, runner, out, 2);
            }
          });
        }
        if (r < 0) {
          continue;
        }
        overhead[r] = (double) t[1][0] / t[0][0] - 1;
        speedUp[r] = (double) t[0][0] / t[2][0];
        System.out.printf(Locale.ROOT, "%5d  %8.1f (%6.1f)  %8.1f (%6.1f)  %8.1f (%6.1f)  %+7.1f %%  %6.2fx%n",
            r + 1, t[0][0] / 1e6, t[0][1] / 1e6, t[1][0] / 1e6, t[1][1] / 1e6, t[2][0] / 1e6,
            t[2][1] / 1e6, 100 * overhead[r], speedUp[r]);
      }
    } finally {
      SweepBenchmark.deleteTree(work);
    }
    System.out.printf(Locale.ROOT, "median overhead of the sweep runner (1 worker): %+.1f %%"
        + " (quartiles %+.1f %% .. %+.1f %%)%n", 100 * quantile(overhead, 0.5),
        100 * quantile(overhead, 0.25), 100 * quantile(overhead, 0.75));
    System.out.printf(Locale.ROOT, "median speed-up with 2 workers: %.2fx (quartiles %.2fx .. %.2fx)%n",
        quantile(speedUp, 0.5), quantile(speedUp, 0.25), quantile(speedUp, 0.75));
  }

  @FunctionalInterface
  private interface Run {
    void run() throws Exception;
  }

  /** Wall and process CPU nanoseconds of one run. */
  private static long[] measure(Run run) throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    run.run();
    return new long[] {System.nanoTime() - t0, os.getProcessCpuTime() - cpu0};
  }

  /** The {@code q} quantile of {@code v} (NumPy's default interpolation). */
  private static double quantile(double[] v, double q) {
    double[] s = v.clone();
    Arrays.sort(s);
    return Percentiles.linear(s, s.length, q);
  }
}
