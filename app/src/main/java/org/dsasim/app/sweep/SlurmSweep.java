package org.dsasim.app.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dsasim.app.JsonMappers;
import org.dsasim.core.UserInputException;
import org.dsasim.core.io.AtomicFiles;
import org.dsasim.core.io.TextFiles;

/**
 * Runs a sweep on an HPC cluster as a Slurm job array: {@link #export} writes the job script and
 * one point list per array task; each task runs {@code dsasim sweep SPEC --points-file F} into
 * its own folder {@code OUT/tasks/<task>}; {@link #collect} then merges the per-task results into
 * {@code OUT/points/} and writes the one table, exactly as a local sweep would.
 */
public final class SlurmSweep {
  private SlurmSweep() {}

  /**
   * Writes {@code OUT/sweep.json}, {@code OUT/slurm/points-<i>.txt} (points dealt round-robin
   * over {@code tasks}) and {@code OUT/slurm/sweep.sbatch}; returns the script's path.
   *
   * @param dsasim the command that runs dsasim on the cluster's nodes (e.g. an absolute path to
   *     this repository's launcher, or {@code java -jar /path/dsasim.jar})
   */
  public static Path export(SweepSpec spec, Path out, int tasks, String dsasim) {
    if (tasks < 1) {
      throw new UserInputException("--tasks must be at least 1, got " + tasks);
    }
    List<SweepPoint> points = spec.points();
    int n = Math.min(tasks, points.size());
    List<StringBuilder> lists = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      lists.add(new StringBuilder());
    }
    for (SweepPoint p : points) {
      lists.get(p.index() % n).append(p.id()).append('\n');
    }
    Path abs = out.toAbsolutePath().normalize();
    Path slurm = abs.resolve("slurm");
    SweepRunner.writeJson(abs.resolve("sweep.json"), SweepRunner.manifest(spec, points));
    for (int t = 0; t < n; t++) {
      AtomicFiles.writeString(slurm.resolve("points-" + t + ".txt"), lists.get(t).toString());
    }
    String script = String.join("\n",
        "#!/bin/bash",
        "# Slurm job array for the dsasim sweep '" + spec.name() + "' (" + points.size()
            + " points in " + n + " tasks).",
        "# Submit with: sbatch " + slurm.resolve("sweep.sbatch"),
        "# When every task has finished: dsasim sweep --collect " + abs,
        "#SBATCH --job-name=dsasim-" + spec.name().replaceAll("[^A-Za-z0-9_.-]", "_"),
        "#SBATCH --array=0-" + (n - 1),
        "#SBATCH --cpus-per-task=1",
        "#SBATCH --output=" + slurm.resolve("task-%a.log"),
        "set -euo pipefail",
        "task=\"${SLURM_ARRAY_TASK_ID:?run this script with sbatch}\"",
        dsasim + " sweep " + quote(spec.source().toAbsolutePath().normalize().toString())
            + " --out " + quote(abs.resolve("tasks").toString()) + "/\"$task\""
            + " --points-file " + quote(slurm.toString()) + "/points-\"$task\".txt"
            + " --resume --parallel \"${SLURM_CPUS_PER_TASK:-1}\"",
        "");
    Path file = slurm.resolve("sweep.sbatch");
    AtomicFiles.writeString(file, script);
    file.toFile().setExecutable(true);
    return file;
  }

  /**
   * Reads a point list written by {@link #export}: one point id per line. Returns each id with
   * where it is written ({@code FILE line N}), for messages.
   */
  public static Map<String, String> readPointsFile(Path file) {
    Map<String, String> ids = new LinkedHashMap<>();
    List<String> lines = TextFiles.read(file, "points file").lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String id = lines.get(i).strip();
      if (!id.isEmpty()) {
        ids.putIfAbsent(id, file + " line " + (i + 1));
      }
    }
    if (ids.isEmpty()) {
      throw new UserInputException("points file " + file + " lists no points");
    }
    return ids;
  }

  /** What {@link #collect} found. */
  public record Collected(int total, int merged, List<String> missing) {}

  /**
   * Merges {@code OUT/tasks/*}/points/ into {@code OUT/points/} and writes the table of every
   * point of the manifest; points with no result anywhere are listed as missing.
   */
  public static Collected collect(Path out) {
    Path manifestFile = out.resolve("sweep.json");
    JsonNode manifest;
    try {
      manifest = JsonMappers.INDENTED.readTree(manifestFile.toFile());
    } catch (IOException e) {
      throw new UserInputException(
          "cannot collect " + out + ": no readable sweep manifest " + manifestFile
              + " (was it written by 'dsasim sweep --slurm'?)");
    }
    List<String> axisKeys = new ArrayList<>();
    manifest.path("axis_keys").forEach(k -> axisKeys.add(k.asText()));
    List<String> ids = new ArrayList<>();
    manifest.path("points").forEach(p -> ids.add(p.path("id").asText()));
    List<Path> taskDirs = new ArrayList<>();
    Path tasks = out.resolve("tasks");
    if (Files.isDirectory(tasks)) {
      try (Stream<Path> s = Files.list(tasks)) {
        s.filter(Files::isDirectory).sorted().forEach(taskDirs::add);
      } catch (IOException e) {
        throw new UserInputException("cannot list " + tasks + ": " + e.getMessage());
      }
    }
    int merged = 0;
    List<String> missing = new ArrayList<>();
    for (String id : ids) {
      Path targetDir = SweepRunner.pointDir(out, id);
      JsonNode best = null;
      Path bestDir = null;
      for (Path t : taskDirs) {
        Path dir = SweepRunner.pointDir(t, id);
        Path f = dir.resolve(SweepRunner.RESULT_FILE);
        if (Files.isRegularFile(f)) {
          try {
            JsonNode r = JsonMappers.INDENTED.readTree(f.toFile());
            if (best == null || SweepRunner.STATUS_OK.equals(r.path("status").asText())) {
              best = r;
              bestDir = dir;
            }
          } catch (IOException e) {
            throw new UserInputException("cannot read " + f + ": " + e.getMessage());
          }
        }
      }
      if (best != null) {
        copyPointFiles(bestDir, targetDir);
        SweepRunner.writeJson(targetDir.resolve(SweepRunner.RESULT_FILE), (ObjectNode) best);
        merged++;
      } else if (!Files.isRegularFile(targetDir.resolve(SweepRunner.RESULT_FILE))) {
        missing.add(id);
      }
    }
    SweepSpec.Compare compare = null;
    if (manifest.has("compare")) {
      try {
        compare = JsonMappers.INDENTED.treeToValue(manifest.get("compare"), SweepSpec.Compare.class);
      } catch (IOException e) {
        throw new UserInputException(manifestFile + ": its compare block is not readable: "
            + e.getMessage());
      }
    }
    SweepRunner.writeTableOfIds(out, axisKeys, ids, compare);
    return new Collected(ids.size(), merged, missing);
  }

  /**
   * Copies a point's files (histograms, summary, config) from a task's folder, each atomically;
   * the result record is written after them, so that a merged point is complete once it has one.
   */
  private static void copyPointFiles(Path from, Path to) {
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String name = f.getFileName().toString();
        if (Files.isRegularFile(f) && !name.equals(SweepRunner.RESULT_FILE)
            && !name.startsWith(".")) {
          AtomicFiles.write(to.resolve(name), o -> Files.copy(f, o));
        }
      }
    } catch (IOException e) {
      throw new UserInputException("cannot copy the results of " + from + ": " + e.getMessage());
    }
  }

  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
