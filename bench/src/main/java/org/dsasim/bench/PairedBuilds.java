package org.dsasim.bench;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Compares the default study's speed in two builds on a noisy machine: both builds are loaded
 * into one JVM, each by its own class loader, and their runs alternate, so that both see the same
 * machine at nearly the same moment. Prints each build's run times (minimum, quartile, median) and
 * the quartiles of the paired ratio B/A, which is far steadier than comparing separate JVMs when
 * the machine's speed drifts by 10-20 % within minutes.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.dsasim.bench.PairedBuilds RESERVATION ROUNDS A.jar B.jar
 * </pre>
 *
 * A and B are {@code bench/target/benchmarks.jar} files (or application jars) of the two builds;
 * RESERVATION is the KV reservation in bytes (0, or 31457280 for the study's 30 MiB); each build
 * runs 15 warm-up runs, then ROUNDS measured runs.
 */
public final class PairedBuilds {
  private static final int WARMUP = 15;

  private PairedBuilds() {}

  public static void main(String[] args) throws Exception {
    long reservation = 0;
    int rounds = 0;
    try {
      if (args.length == 4) {
        reservation = Long.parseLong(args[0]);
        rounds = Integer.parseInt(args[1]);
      }
    } catch (NumberFormatException e) {
      rounds = 0;
    }
    if (rounds < 4 || reservation < 0) {
      System.err.println("usage: PairedBuilds RESERVATION_BYTES ROUNDS A.jar B.jar"
          + " (reservation at least 0, at least 4 rounds)");
      System.exit(2);
    }
    Build[] builds = {new Build(Path.of(args[2])), new Build(Path.of(args[3]))};
    for (int w = 0; w < WARMUP; w++) {
      for (Build b : builds) {
        b.run(reservation);
      }
    }
    double[][] ms = new double[2][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < 2; k++) {
        int i = (k + r) % 2; // alternate which build goes first
        ms[i][r] = builds[i].run(reservation) / 1e6;
      }
    }
    for (int i = 0; i < 2; i++) {
      double[] s = ms[i].clone();
      Arrays.sort(s);
      System.out.printf(Locale.ROOT, "%s: min %.1f q1 %.1f median %.1f ms per run%n",
          args[2 + i], s[0], s[rounds / 4], s[rounds / 2]);
    }
    double[] ratio = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      ratio[r] = ms[1][r] / ms[0][r];
    }
    Arrays.sort(ratio);
    System.out.printf(Locale.ROOT, "B/A paired ratio: q1 %.3f median %.3f q3 %.3f%n",
        ratio[rounds / 4], ratio[rounds / 2], ratio[3 * rounds / 4]);
  }

  /** One build's default study, called through its own class loader. */
  private static final class Build {
    private final Method simulate;
    private final Object config;
    private final Object model;

    Build(Path jar) throws Exception {
      ClassLoader l = new URLClassLoader(new URL[] {jar.toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
      Class<?> loaderClass = l.loadClass("org.dsasim.core.config.ConfigLoader");
      Class<?> configClass = l.loadClass("org.dsasim.core.config.Config");
      Class<?> modelClass = l.loadClass("org.dsasim.accel.decode.ModelSpec");
      Object loader = loaderClass.getMethod("standard").invoke(null);
      l.loadClass("org.dsasim.accel.decode.DefaultStudy").getMethod("apply", loaderClass)
          .invoke(null, loader);
      config = loaderClass.getMethod("load").invoke(loader);
      model = modelClass.getMethod("from", configClass).invoke(null, config);
      simulate = l.loadClass("org.dsasim.app.run.DecodeRun")
          .getMethod("simulate", configClass, modelClass, long.class);
    }

    /** Runs the study once; returns its wall time in ns. */
    long run(long reservation) throws Exception {
      long t0 = System.nanoTime();
      simulate.invoke(null, config, model, reservation);
      return System.nanoTime() - t0;
    }
  }
}
