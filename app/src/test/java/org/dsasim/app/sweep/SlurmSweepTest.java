package org.dsasim.app.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlurmSweepTest {
  @TempDir Path dir;

  @Test
  void exportWritesAJobArrayAndCollectMergesTheTasksIntoTheLocalTable() throws IOException {
    Path specFile = dir.resolve("spec.yaml");
    Files.writeString(specFile, """
        name: grid
        axes:
          - {key: llc.capacity, values: [30MiB, 60MiB]}
          - {key: llc.reservation.ratio, values: [0, 0.1, 0.2]}
        compare: {axis: llc.reservation.ratio, baseline: 0, metrics: [tokens_per_s]}
        """);
    SweepSpec spec = SweepSpec.load(specFile);
    Path out = dir.resolve("out");
    Path script = SlurmSweep.export(spec, out, 4, "/opt/dsasim/dsasim");

    String text = Files.readString(script);
    assertTrue(text.startsWith("#!/bin/bash\n"), text);
    assertTrue(text.contains("#SBATCH --array=0-3\n"), text);
    assertTrue(text.contains("#SBATCH --job-name=dsasim-grid\n"), text);
    assertTrue(text.contains("/opt/dsasim/dsasim sweep '" + specFile.toAbsolutePath() + "'"), text);
    assertTrue(text.contains("--points-file '" + out.toAbsolutePath().resolve("slurm")
        + "'/points-\"$task\".txt --resume"), text);
    // 6 points dealt round-robin over 4 tasks: every point exactly once
    List<String> all = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      all.addAll(SlurmSweep.readPointsFile(out.resolve("slurm/points-" + t + ".txt")).keySet());
    }
    all.sort(String::compareTo);
    assertEquals(List.of("p0000", "p0001", "p0002", "p0003", "p0004", "p0005"), all);

    // run the tasks as the cluster would (task 2 not yet finished), then collect
    for (int t : new int[] {0, 1, 3}) {
      Map<String, String> ids = SlurmSweep.readPointsFile(out.resolve("slurm/points-" + t + ".txt"));
      new SweepRunner(spec, out.resolve("tasks/" + t), (p, d) -> SweepRunnerTest.fakeMetrics(p),
          1, true, Progress.silent()).only(ids).run();
    }
    SlurmSweep.Collected partial = SlurmSweep.collect(out);
    assertEquals(List.of("p0002"), partial.missing());
    new SweepRunner(spec, out.resolve("tasks/2"), (p, d) -> SweepRunnerTest.fakeMetrics(p), 1,
        true, Progress.silent()).only(SlurmSweep.readPointsFile(out.resolve("slurm/points-2.txt")))
        .run();
    SlurmSweep.Collected full = SlurmSweep.collect(out);
    assertEquals(List.of(), full.missing());
    assertEquals(6, full.merged());

    Path local = dir.resolve("local");
    new SweepRunner(spec, local, (p, d) -> SweepRunnerTest.fakeMetrics(p), 2, false,
        Progress.silent()).run();
    // the same table, the compare: columns included (collect reads them from the manifest)
    String table = Files.readString(out.resolve("points.csv"));
    assertTrue(table.startsWith("id,llc.capacity,llc.reservation.ratio,status,tokens_per_s,hash,"
        + "speedup.tokens_per_s,error\n"), table);
    assertEquals(Files.readString(local.resolve("points.csv")), table);
  }
}
