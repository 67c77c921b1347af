package org.dsasim.spark;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.dsasim.app.sweep.SpecPointRunnerFactory;
import org.dsasim.app.sweep.PointRunnerFactory;
import org.dsasim.app.sweep.Progress;
import org.dsasim.app.sweep.SweepPoint;
import org.dsasim.app.sweep.SweepRunner;
import org.dsasim.app.sweep.SweepSpec;
import org.dsasim.core.io.TextFiles;

/**
 * Runs a sweep spec on Apache Spark, one task per point, producing the same output folder as a
 * local {@code dsasim sweep}: each executor simulates its point and persists
 * {@code points/<id>/result.json} itself (so the output folder must be on a file system every
 * executor sees, as on a cluster with a shared home or scratch space); the driver then writes
 * {@code points.csv} and {@code points.json}. Resuming skips the points already done.
 *
 * <p>Submit with {@code spark-submit --class org.dsasim.spark.SparkSweep --jars dsasim.jar
 * sweep-spark.jar SPEC OUT [--resume]}, or call {@link #run} from code. Executors build the same
 * {@link SpecPointRunnerFactory} as {@code dsasim sweep} (decode or replay points, as the spec's
 * {@code runner} says), so a point gives the same row whichever way it ran.
 */
public final class SparkSweep {
  private SparkSweep() {}

  /**
   * @param master Spark master URL, e.g. {@code local[2]}, or null to take it from spark-submit
   * @param factoryClass a {@link PointRunnerFactory} with a no-argument constructor, built on each
   *     executor
   */
  public static SweepRunner.Summary run(
      Path specFile, String specText, Path out, String master, String factoryClass,
      boolean resume, PrintStream log) {
    SweepSpec spec = SweepSpec.parse(specText, specFile);
    newFactory(factoryClass).create(spec); // refuses a bad spec here, before any executor starts
    Progress progress = new Progress(log, false);
    SweepRunner driver = new SweepRunner(spec, out, (p, d) -> {
      throw new IllegalStateException("points run on the executors");
    }, 1, resume, progress);
    List<SweepPoint> todo = driver.prepare();
    int total = spec.points().size();
    progress.start(total, total - todo.size());
    int failed = 0;
    if (!todo.isEmpty()) {
      SparkConf conf = new SparkConf().setAppName("dsasim sweep " + spec.name())
          .setIfMissing("spark.ui.enabled", "false");
      if (master != null) {
        conf.setMaster(master);
        if (master.startsWith("local")) {
          // one process: keep the driver's endpoints on loopback
          conf.setIfMissing("spark.driver.host", "127.0.0.1")
              .setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
      }
      List<Integer> indices = new ArrayList<>();
      todo.forEach(p -> indices.add(p.index()));
      String specPath = specFile.toAbsolutePath().toString();
      String outPath = out.toAbsolutePath().toString();
      try (JavaSparkContext sc = new JavaSparkContext(conf)) {
        JavaRDD<Integer> rdd = sc.parallelize(indices, indices.size());
        // collect(), not toLocalIterator(): the latter runs the partitions one job at a time
        List<String[]> results = rdd.map(i -> runOnExecutor(specText, specPath, outPath,
            factoryClass, i)).collect();
        for (String[] r : results) { // {index, error or null}
          SweepPoint p = spec.points().get(Integer.parseInt(r[0]));
          if (r[1] != null) {
            failed++;
          }
          progress.pointDone(p, r[1] == null, 0, r[1]);
        }
      }
    }
    driver.finish();
    return new SweepRunner.Summary(total, todo.size(), total - todo.size(), failed);
  }

  private static PointRunnerFactory newFactory(String className) {
    try {
      return (PointRunnerFactory) Class.forName(className).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new org.dsasim.core.UserInputException("cannot make point runners with '" + className
          + "': " + e + " (a PointRunnerFactory with a public no-argument constructor)");
    }
  }

  private static String[] runOnExecutor(
      String specText, String specPath, String outPath, String factoryClass, int index) {
    SweepSpec spec = SweepSpec.parse(specText, Paths.get(specPath));
    PointRunnerFactory factory = newFactory(factoryClass);
    SweepPoint p = spec.points().get(index);
    String error = SweepRunner.runPoint(factory.create(spec), Paths.get(outPath), p);
    return new String[] {Integer.toString(index), error};
  }

  /**
   * {@code SparkSweep SPEC OUT [--resume] [--runner-factory CLASS]}, for spark-submit; the
   * points are simulated as {@code dsasim sweep} does unless another factory is named.
   */
  public static void main(String[] args) throws java.io.IOException {
    String usage = "usage: SparkSweep SPEC.yaml OUT_DIR [--resume] [--runner-factory CLASS]";
    if (args.length < 2) {
      System.err.println(usage);
      System.exit(2);
    }
    boolean resume = false;
    String factory = SpecPointRunnerFactory.class.getName();
    for (int i = 2; i < args.length; i++) {
      if (args[i].equals("--resume")) {
        resume = true;
      } else if (args[i].equals("--runner-factory") && i + 1 < args.length) {
        factory = args[++i];
      } else {
        System.err.println("SparkSweep: unknown argument '" + args[i] + "'\n" + usage);
        System.exit(2);
      }
    }
    Path spec = Paths.get(args[0]);
    try {
      SweepRunner.Summary s = run(spec, TextFiles.read(spec, "sweep spec"), Paths.get(args[1]),
          null, factory, resume, System.out);
      System.exit(s.failed() == 0 ? 0 : 1);
    } catch (org.dsasim.core.UserInputException e) {
      System.err.println("SparkSweep: " + e.getMessage());
      System.exit(2);
    }
  }
}
