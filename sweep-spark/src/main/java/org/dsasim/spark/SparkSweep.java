package org.dsasim.spark;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.dsasim.app.sweep.PointRunnerFactory;
import org.dsasim.app.sweep.Progress;
import org.dsasim.app.sweep.SweepPoint;
import org.dsasim.app.sweep.SweepRunner;
import org.dsasim.app.sweep.SweepSpec;

/**
 * Runs a sweep spec on Apache Spark, one task per point, producing the same output folder as a
 * local {@code dsasim sweep}: each executor simulates its point and persists
 * {@code points/<id>/result.json} itself (so the output folder must be on a file system every
 * executor sees, as on a cluster with a shared home or scratch space); the driver then writes
 * {@code points.csv} and {@code points.json}. Resuming skips the points already done.
 *
 * <p>Submit with {@code spark-submit --class org.dsasim.spark.SparkSweep sweep-spark.jar SPEC OUT
 * [--resume]} (the dsasim application jar on the classpath), or call {@link #run} from code.
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

  private static String[] runOnExecutor(
      String specText, String specPath, String outPath, String factoryClass, int index)
      throws ReflectiveOperationException {
    SweepSpec spec = SweepSpec.parse(specText, Paths.get(specPath));
    PointRunnerFactory factory = (PointRunnerFactory)
        Class.forName(factoryClass).getDeclaredConstructor().newInstance();
    SweepPoint p = spec.points().get(index);
    String error = SweepRunner.runPoint(factory.create(spec), Paths.get(outPath), p);
    return new String[] {Integer.toString(index), error};
  }

  /** {@code SparkSweep SPEC OUT FACTORY_CLASS [--resume]}, for spark-submit. */
  public static void main(String[] args) throws java.io.IOException {
    if (args.length < 3) {
      System.err.println("usage: SparkSweep SPEC.yaml OUT_DIR RUNNER_FACTORY_CLASS [--resume]");
      System.exit(2);
    }
    Path spec = Paths.get(args[0]);
    SweepRunner.Summary s = run(spec, java.nio.file.Files.readString(spec), Paths.get(args[1]),
        null, args[2], args.length > 3 && args[3].equals("--resume"), System.out);
    System.exit(s.failed() == 0 ? 0 : 1);
  }
}
