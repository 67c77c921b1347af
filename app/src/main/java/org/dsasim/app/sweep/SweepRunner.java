package org.dsasim.app.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dsasim.app.JsonMappers;
import org.dsasim.app.Main;
import org.dsasim.core.UserInputException;
import org.dsasim.core.io.AtomicFiles;

/**
 * Runs the points of a sweep, persisting each as it finishes, so that an interrupted sweep
 * resumes with only the missing points.
 *
 * <p>Layout under the output folder: {@code sweep.json} (the spec's points, written first),
 * {@code points/<id>/result.json} (one per finished point, written atomically; a failed point
 * records its error there and the sweep goes on), and at the end {@code points.csv} and
 * {@code points.json}, one row per point in enumeration order. Every point's result depends only
 * on its own settings and seed, so the table is the same whatever the number of workers.
 * Resuming re-runs the points that have no result and those that failed.
 */
public final class SweepRunner {
  /** Simulates one point and returns its summary metrics (name -> number or text). */
  @FunctionalInterface
  public interface PointRunner {
    Map<String, Object> run(SweepPoint point, Path pointDir) throws Exception;
  }

  /** Counts of one invocation. */
  public record Summary(int total, int ran, int alreadyDone, int failed) {}

  static final String STATUS_OK = "ok";
  static final String STATUS_FAILED = "failed";
  /** A point's record under {@code points/<id>/}: written last, so its presence means done. */
  static final String RESULT_FILE = "result.json";

  private final SweepSpec spec;
  private final Path out;
  private final PointRunner runner;
  private final int parallel;
  private final boolean resume;
  private final Progress progress;
  private java.util.Set<String> only;

  public SweepRunner(
      SweepSpec spec, Path out, PointRunner runner, int parallel, boolean resume,
      Progress progress) {
    if (parallel < 1) {
      throw new UserInputException("--parallel must be at least 1, got " + parallel);
    }
    this.spec = spec;
    this.out = out;
    this.runner = runner;
    this.parallel = parallel;
    this.resume = resume;
    this.progress = progress;
  }

  /**
   * Restricts this invocation to the points with these ids (one task of a cluster job array);
   * the table then holds those points only.
   *
   * @param ids each id with where it was given ({@code --only}, {@code FILE line N}), for the
   *     message that refuses an id the spec does not have
   */
  public SweepRunner only(java.util.Map<String, String> ids) {
    java.util.Set<String> known = new java.util.HashSet<>();
    spec.points().forEach(p -> known.add(p.id()));
    ids.forEach((id, where) -> {
      if (!known.contains(id)) {
        throw new UserInputException(
            where + ": point '" + id + "' is not a point of " + spec.source());
      }
    });
    this.only = java.util.Set.copyOf(ids.keySet());
    return this;
  }

  /** Runs what is missing and writes the table. */
  public Summary run() {
    List<SweepPoint> points = selectedPoints();
    List<SweepPoint> todo = prepare();
    int alreadyDone = points.size() - todo.size();
    progress.start(points.size(), alreadyDone);
    int failed = runAll(todo);
    finish();
    return new Summary(points.size(), todo.size(), alreadyDone, failed);
  }

  private List<SweepPoint> selectedPoints() {
    List<SweepPoint> points = new ArrayList<>(spec.points());
    if (only != null) {
      points.removeIf(p -> !only.contains(p.id()));
    }
    return points;
  }

  /**
   * Checks or writes the manifest and returns the points still to run; for executors other than
   * the local thread pool (which then call {@link #runPoint} for each and {@link #finish}).
   */
  public List<SweepPoint> prepare() {
    List<SweepPoint> points = selectedPoints();
    checkOrWriteManifest(points);
    List<SweepPoint> todo = new ArrayList<>();
    for (SweepPoint p : points) {
      if (!isDone(p)) {
        todo.add(p);
      }
    }
    return todo;
  }

  /** Writes the table of every selected point from the results found in the output folder. */
  public void finish() {
    writeTable(out, spec.axisKeys(), selectedPoints(), spec.compare());
    progress.finish();
  }

  private int runAll(List<SweepPoint> todo) {
    if (todo.isEmpty()) {
      return 0;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, todo.size()), r -> {
      Thread t = new Thread(r, "sweep-worker");
      t.setDaemon(true);
      return t;
    });
    int failed = 0;
    try {
      ExecutorCompletionService<Boolean> done = new ExecutorCompletionService<>(pool);
      List<Future<Boolean>> futures = new ArrayList<>();
      for (SweepPoint p : todo) {
        futures.add(done.submit(() -> {
          long start = System.nanoTime();
          String error = runPoint(runner, out, p);
          progress.pointDone(p, error == null, (System.nanoTime() - start) / 1e9, error);
          return error == null;
        }));
      }
      for (int i = 0; i < todo.size(); i++) {
        boolean ok;
        try {
          ok = done.take().get();
        } catch (ExecutionException e) {
          // runPoint records every failure of the point itself; this is a failure to record it
          futures.forEach(f -> f.cancel(true));
          if (e.getCause() instanceof UserInputException u) {
            throw u;
          }
          throw new IllegalStateException(e.getCause());
        }
        if (!ok) {
          failed++;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserInputException("sweep interrupted; rerun with --resume to finish it");
    } finally {
      pool.shutdownNow();
    }
    return failed;
  }

  /**
   * Runs one point and persists its result, or its error, under {@code out/points/<id>/}.
   *
   * @return null when it succeeded, else the error message
   */
  public static String runPoint(PointRunner runner, Path out, SweepPoint p) {
    Path dir = pointDir(out, p);
    ObjectNode result = pointHeader(p);
    String error = null;
    try {
      Files.createDirectories(dir);
      Map<String, Object> metrics = runner.run(p, dir);
      result.put("status", STATUS_OK);
      result.set("metrics", JsonMappers.INDENTED.valueToTree(metrics));
    } catch (UserInputException e) {
      error = e.getMessage();
    } catch (OutOfMemoryError e) {
      // this point (with the others running beside it) is too large for the heap
      error = Main.outOfMemory(e);
    } catch (Exception | StackOverflowError e) {
      error = e.toString();
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      result.put("trace", trace.toString());
    }
    if (error != null) {
      result.put("status", STATUS_FAILED);
      result.put("error", error);
    }
    // not flushed to disk one by one: a record that a power failure truncates is unreadable, and
    // isDone runs its point again; a flush per point cost more than some points take
    AtomicFiles.writeUnforced(dir.resolve(RESULT_FILE),
        o -> JsonMappers.INDENTED.writeValue(o, result));
    return error;
  }

  private static ObjectNode pointHeader(SweepPoint p) {
    ObjectNode n = JsonMappers.INDENTED.createObjectNode();
    n.put("id", p.id());
    n.put("index", p.index());
    ObjectNode axes = n.putObject("axes");
    p.overrides().forEach(axes::put);
    if (p.seed() >= 0) {
      n.put("seed", p.seed());
    }
    return n;
  }

  static Path pointDir(Path out, SweepPoint p) {
    return pointDir(out, p.id());
  }

  /** {@code out/points/<id>}; an id read back from a file cannot point elsewhere. */
  static Path pointDir(Path out, String id) {
    return SweepPaths.child(out.resolve("points"), id, "point id");
  }

  private boolean isDone(SweepPoint p) {
    Path f = pointDir(out, p).resolve(RESULT_FILE);
    if (!Files.isRegularFile(f)) {
      return false;
    }
    try {
      return STATUS_OK.equals(JsonMappers.INDENTED.readTree(f.toFile()).path("status").asText());
    } catch (IOException e) {
      return false; // unreadable: run it again (results are written atomically, so this is rare)
    }
  }

  /** The manifest of a sweep: its name, axis keys and every point with its settings. */
  static ObjectNode manifest(SweepSpec spec, List<SweepPoint> points) {
    ObjectNode m = JsonMappers.INDENTED.createObjectNode();
    m.put("name", spec.name());
    ArrayNode keys = m.putArray("axis_keys");
    spec.axisKeys().forEach(keys::add);
    ArrayNode list = m.putArray("points");
    points.forEach(p -> list.add(pointHeader(p)));
    if (spec.compare() != null) {
      // --collect writes the table from the manifest alone
      m.set("compare", JsonMappers.INDENTED.valueToTree(spec.compare()));
    }
    return m;
  }

  private void checkOrWriteManifest(List<SweepPoint> points) {
    Path manifest = out.resolve("sweep.json");
    ObjectNode expected = manifest(spec, points);
    if (Files.exists(manifest)) {
      JsonNode found;
      try {
        found = JsonMappers.INDENTED.readTree(manifest.toFile());
      } catch (IOException e) {
        throw new UserInputException(manifest + " is not a readable sweep manifest: " + e.getMessage());
      }
      if (!resume) {
        throw new UserInputException(
            out + " already holds a sweep; rerun with --resume to finish it, or choose another --out");
      }
      JsonNode normalised;
      try {
        normalised =
            JsonMappers.INDENTED.readTree(JsonMappers.INDENTED.writeValueAsString(expected));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      if (!normalised.path("points").equals(found.path("points"))) {
        throw new UserInputException(
            "cannot resume in " + out + ": its points differ from those of " + spec.source()
                + " (the spec changed); use another --out");
      }
      if (normalised.equals(found)) {
        return;
      }
      // the same points with other derived columns (compare:): --collect reads them from here
    }
    writeJson(manifest, expected);
  }

  /** Writes {@code points.csv} and {@code points.json} from the per-point results found in {@code out}. */
  static void writeTable(Path out, List<String> axisKeys, List<SweepPoint> points,
      SweepSpec.Compare compare) {
    writeTableOfIds(out, axisKeys, points.stream().map(SweepPoint::id).toList(), compare);
  }

  static void writeTableOfIds(Path out, List<String> axisKeys, List<String> ids,
      SweepSpec.Compare compare) {
    List<JsonNode> rows = new ArrayList<>();
    for (String id : ids) {
      Path f = pointDir(out, id).resolve(RESULT_FILE);
      if (Files.isRegularFile(f)) {
        try {
          rows.add(JsonMappers.INDENTED.readTree(f.toFile()));
        } catch (IOException e) {
          throw new UserInputException("cannot read " + f + ": " + e.getMessage());
        }
      }
    }
    ResultTable.write(out, axisKeys, rows, compare);
  }

  static void writeJson(Path file, JsonNode node) {
    AtomicFiles.write(file, o -> JsonMappers.INDENTED.writeValue(o, node));
  }
}
