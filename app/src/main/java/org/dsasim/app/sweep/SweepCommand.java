package org.dsasim.app.sweep;

import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dsasim.app.report.Report;
import org.dsasim.app.run.OutputPaths;
import org.dsasim.core.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dsasim sweep}: runs the points of a sweep spec, locally or as a Slurm job array. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run every point of a sweep spec (a base configuration and axes over config keys) and"
          + " write one table: OUT/points.csv and OUT/points.json, one row per point with every"
          + " axis value and summary metric, plus each point's files under OUT/points/<id>/.",
      "Each point is saved as it finishes; an interrupted sweep continues with --resume. A point"
          + " that fails is recorded with its error and the others go on. The table is the same"
          + " whatever --parallel is.",
      "With --slurm: write a Slurm job-array script instead of running; after 'sbatch', merge"
          + " the tasks' results with 'dsasim sweep --collect OUT'. See docs/sweeps.md.",
      ""
    },
    footer = {"", "Exit status: 0 every point succeeded, 1 some point failed or is missing,"
        + " 2 bad input."})
public final class SweepCommand implements Callable<Integer> {
  /** Exit status when some point failed (or, for --collect, has no result yet). */
  public static final int EXIT_POINTS_FAILED = 1;

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC.yaml",
      description = "The sweep spec (see configs/studies/ and docs/sweeps.md).")
  Path specFile;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder (default: results/sweep-<name of the spec>).")
  Path out;

  @Option(names = "--parallel", paramLabel = "N",
      description = "Points simulated at once (default: the number of cores, ${DEFAULT-VALUE}).")
  int parallel = Runtime.getRuntime().availableProcessors();

  @Option(names = "--resume",
      description = "Continue the sweep already in --out: run only the points without a result"
          + " (and those that failed).")
  boolean resume;

  @Option(names = "--only", split = ",", paramLabel = "ID",
      description = "Run only these points (ids as in the table, e.g. p0003); comma-separated.")
  List<String> only;

  @Option(names = "--points-file", paramLabel = "FILE",
      description = "Run only the points listed in FILE, one id per line (a Slurm task's list).")
  Path pointsFile;

  @Option(names = "--slurm",
      description = "Write OUT/slurm/sweep.sbatch (a job array) and per-task point lists; run"
          + " nothing.")
  boolean slurm;

  @Option(names = "--tasks", paramLabel = "N",
      description = "With --slurm: array tasks the points are dealt over (default: one per point,"
          + " at most 1000).")
  Integer tasks;

  @Option(names = "--launcher", paramLabel = "COMMAND",
      description = "With --slurm: how cluster nodes start dsasim (default: java -jar with the"
          + " absolute path of this jar).")
  String launcher;

  @Option(names = "--collect", paramLabel = "DIR",
      description = "Merge the results of a Slurm sweep's tasks in DIR into DIR/points.csv.")
  Path collect;

  @Override
  public Integer call() {
    PrintWriter w = spec.commandLine().getOut();
    if (collect != null) {
      if (specFile != null || out != null || slurm || resume || only != null
          || pointsFile != null) {
        throw new UserInputException("--collect DIR takes no spec and none of --out, --slurm,"
            + " --resume, --only, --points-file");
      }
      SlurmSweep.Collected c = SlurmSweep.collect(collect);
      w.printf("merged %d of %d points into %s%n", c.merged(), c.total(),
          collect.resolve("points.csv"));
      if (!c.missing().isEmpty()) {
        w.println("missing (no task has a result yet): " + String.join(", ", c.missing()));
      }
      w.println("report: " + Report.write(collect));
      w.flush();
      return c.missing().isEmpty() ? 0 : EXIT_POINTS_FAILED;
    }
    if (specFile == null) {
      throw new UserInputException("dsasim sweep needs a SPEC.yaml (or --collect DIR)");
    }
    SweepSpec sweep = SweepSpec.load(specFile);
    Path dir = out != null ? out : SweepPaths.child(Path.of("results"), "sweep-" + sweep.name(),
        "sweep spec " + specFile + ": name");
    PointRunnerFactory factory = new SpecPointRunnerFactory();
    SweepRunner.PointRunner runner = factory.create(sweep); // checks the keys before anything runs
    if (slurm) {
      if (resume || only != null || pointsFile != null) {
        throw new UserInputException("--slurm writes a job array of every point; --resume,"
            + " --only and --points-file belong to the runs of its tasks");
      }
      int n = tasks != null ? tasks : Math.min(sweep.points().size(), 1000);
      Path script = SlurmSweep.export(sweep, dir, n, launcher != null ? launcher : thisJar());
      w.println("wrote " + script);
      w.println("submit with: sbatch " + script);
      w.println("when every task has finished: dsasim sweep --collect " + dir);
      w.flush();
      return 0;
    }
    if (tasks != null || launcher != null) {
      // a local run has no array tasks and starts no nodes; ignoring them hides a forgotten --slurm
      throw new UserInputException("--tasks and --launcher only go with --slurm");
    }
    OutputPaths.checkFolder(dir, "--out");
    SweepRunner sweepRunner = new SweepRunner(sweep, dir, runner, parallel, resume,
        new Progress(spec.commandLine().getErr(), System.console() != null));
    Map<String, String> ids = selectedIds();
    if (ids != null) {
      sweepRunner.only(ids);
    }
    // Ctrl-C or a kill ends the JVM mid-sweep; the finished points are safe, so say how to go on
    Thread hint = new Thread(() -> System.err.printf("%ndsasim sweep: interrupted; the finished"
        + " points are saved in %s; continue with: dsasim sweep %s --out %s --resume%n", dir,
        specFile, dir));
    Runtime.getRuntime().addShutdownHook(hint);
    SweepRunner.Summary s;
    try {
      s = sweepRunner.run();
    } finally {
      Runtime.getRuntime().removeShutdownHook(hint);
    }
    w.printf("%d points (%d run now, %d already done, %d failed): %s%n", s.total(), s.ran(),
        s.alreadyDone(), s.failed(), dir.resolve("points.csv"));
    w.println("report: " + Report.write(dir));
    w.flush();
    return s.failed() == 0 ? 0 : EXIT_POINTS_FAILED;
  }

  /** The ids of --only and --points-file, each with where it was given; null for all points. */
  private Map<String, String> selectedIds() {
    if (only == null && pointsFile == null) {
      return null;
    }
    Map<String, String> ids = new LinkedHashMap<>();
    if (only != null) {
      only.forEach(id -> ids.putIfAbsent(id, "--only"));
    }
    if (pointsFile != null) {
      SlurmSweep.readPointsFile(pointsFile).forEach(ids::putIfAbsent);
    }
    return ids;
  }

  /** {@code java -jar '/abs/dsasim.jar'} when running from the application jar. */
  private static String thisJar() {
    try {
      Path where = Path.of(SweepCommand.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      if (Files.isRegularFile(where) && where.toString().endsWith(".jar")) {
        return "java -jar " + SlurmSweep.quote(where.toAbsolutePath().toString());
      }
    } catch (URISyntaxException | SecurityException e) {
      // fall through: not started from a jar
    }
    throw new UserInputException("cannot tell which jar runs dsasim here (not started from the"
        + " application jar); give the cluster's command with --launcher, e.g. --launcher"
        + " 'java -jar /path/to/dsasim.jar'");
  }
}
