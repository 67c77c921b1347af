package org.dsasim.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dsasim.app.sweep.SweepCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code dsasim sweep} end to end on configs/studies/smoke.yaml (2 x 2 real simulations): killed
 * and resumed, run with one and two workers, and as a Slurm job array run by bash and collected.
 * Every variant must end with the table of one uninterrupted run, byte for byte.
 */
class SweepCommandTest {
  static final Path SMOKE =
      Path.of(System.getProperty("dsasim.repo.root"), "configs", "studies", "smoke.yaml");

  @TempDir static Path shared;
  @TempDir Path dir;

  /** The uninterrupted run with one worker: the reference table of every test. */
  static Path reference;

  private record Outcome(int status, String out, String err) {}

  private static Outcome sweep(String... args) {
    CommandLine cli = Main.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("sweep"));
    all.addAll(List.of(args));
    int status = cli.execute(all.toArray(String[]::new));
    return new Outcome(status, out.toString(), err.toString());
  }

  @BeforeAll
  static void uninterruptedRun() {
    reference = shared.resolve("reference");
    Outcome o = sweep(SMOKE.toString(), "--out", reference.toString(), "--parallel", "1");
    assertEquals(0, o.status(), o.err());
    assertTrue(o.out().contains("4 points (4 run now, 0 already done, 0 failed)"), o.out());
    assertTrue(o.err().contains("[4/4]"), "plain progress lines without a terminal: " + o.err());
  }

  private static String csv(Path out) throws IOException {
    return Files.readString(out.resolve("points.csv"));
  }

  @Test
  void theReferenceTableHasEveryAxisAndMetricAndThePointFiles() throws IOException {
    String[] lines = csv(reference).split("\n");
    assertEquals(5, lines.length);
    assertTrue(lines[0].startsWith("id,fastmem.llc.capacity,reservation_ratio,status,"), lines[0]);
    assertTrue(lines[0].contains(",decode_step_us.p50,") && lines[0].contains(",tokens_per_s,")
        && lines[0].contains(",llc_hit_rate.reserved,"), lines[0]);
    assertFalse(lines[0].contains("wall"), "host timings would make the table differ: " + lines[0]);
    assertTrue(lines[4].startsWith("p0003,60MiB,0.25,ok,"), lines[4]);
    // the derived reservation reached the simulation: 25 % of 60 MiB, and it is used: no
    // reserved hits without it, some with it, more with the larger one
    assertTrue(lines[4].contains(",15728640,"), lines[4]);
    int hits = List.of(lines[0].split(",")).indexOf("llc_hit_rate.reserved");
    double[] reserved = new double[4];
    for (int i = 0; i < 4; i++) {
      reserved[i] = Double.parseDouble(lines[i + 1].split(",")[hits]);
    }
    assertEquals(0.0, reserved[0]);
    assertEquals(0.0, reserved[2]);
    assertTrue(reserved[1] > 0 && reserved[3] > reserved[1], java.util.Arrays.toString(reserved));
    for (String f : List.of("result.json", "summary.json", "step_latency_ns.hlog",
        "gather_latency_ns.hlog", "config.yaml")) {
      assertTrue(Files.size(reference.resolve("points/p0002").resolve(f)) > 0, f);
    }
    assertTrue(Files.readString(reference.resolve("points/p0003/config.yaml"))
        .contains("fastmem.llc.reservation: 15MiB\n"));
  }

  @Test
  void twoWorkersGiveTheSameTableAsOne() throws IOException {
    Path two = dir.resolve("two");
    assertEquals(0, sweep(SMOKE.toString(), "--out", two.toString(), "--parallel", "2").status());
    assertEquals(csv(reference), csv(two));
    assertEquals(Files.readString(reference.resolve("points.json")),
        Files.readString(two.resolve("points.json")));
  }

  @Test
  void aKilledSweepResumesToTheSameTable() throws Exception {
    Path out = dir.resolve("killed");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "sweep", SMOKE.toString(), "--out", out.toString(),
        "--parallel", "1")
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (finished(out) == 0 && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    int before = finished(out);
    assertTrue(before >= 1 && before < 4, "killed after " + before + " of 4 points; log: "
        + Files.readString(dir.resolve("child.log")));
    assertFalse(Files.exists(out.resolve("points.csv")), "the table is written at the end only");

    Outcome refused = sweep(SMOKE.toString(), "--out", out.toString());
    assertEquals(Main.EXIT_USAGE, refused.status());
    assertTrue(refused.err().contains("--resume"), refused.err());

    Outcome resumed = sweep(SMOKE.toString(), "--out", out.toString(), "--resume",
        "--parallel", "2");
    assertEquals(0, resumed.status(), resumed.err());
    assertTrue(resumed.err().contains("resuming: " + before + " of 4 points already done"),
        resumed.err());
    assertTrue(resumed.out().contains("(" + (4 - before) + " run now, " + before
        + " already done, 0 failed)"), resumed.out());
    assertEquals(csv(reference), csv(out));
    assertEquals(Files.readString(reference.resolve("points.json")),
        Files.readString(out.resolve("points.json")));
  }

  /** Points with a result record (written last and atomically, so complete). */
  private static int finished(Path out) throws IOException {
    Path points = out.resolve("points");
    if (!Files.isDirectory(points)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(points)) {
      return (int) s.filter(p -> Files.isRegularFile(p.resolve("result.json"))).count();
    }
  }

  @Test
  void aSlurmJobArrayRunByBashAndCollectedGivesTheSameTable() throws Exception {
    Path out = dir.resolve("slurm-out");
    String launcher = "'" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
        + System.getProperty("java.class.path") + "' " + Main.class.getName();
    Outcome o = sweep(SMOKE.toString(), "--out", out.toString(), "--slurm", "--tasks", "2",
        "--launcher", launcher);
    assertEquals(0, o.status(), o.err());
    Path script = out.resolve("slurm/sweep.sbatch");
    String text = Files.readString(script);
    assertTrue(text.startsWith("#!/bin/bash\n"), text);
    assertTrue(text.contains("\n#SBATCH --array=0-1\n"), text);
    assertTrue(text.contains("\n#SBATCH --job-name=dsasim-smoke\n"), text);
    assertTrue(text.contains("\n" + launcher + " sweep '" + SMOKE.toAbsolutePath() + "' --out '"),
        text);
    assertEquals(List.of("p0000", "p0002"), Files.readAllLines(out.resolve("slurm/points-0.txt")));
    assertEquals(List.of("p0001", "p0003"), Files.readAllLines(out.resolve("slurm/points-1.txt")));

    // before any task ran, every point is missing
    Outcome none = sweep("--collect", out.toString());
    assertEquals(SweepCommand.EXIT_POINTS_FAILED, none.status(), none.err());
    assertTrue(none.out().contains("missing (no task has a result yet): p0000, p0001, p0002,"
        + " p0003"), none.out());

    // what sbatch does: the array tasks run at the same time, each in its own process
    List<Process> tasks = new ArrayList<>();
    for (int task = 0; task < 2; task++) {
      ProcessBuilder pb = new ProcessBuilder("bash", script.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("task-" + task + ".log").toFile());
      pb.environment().put("SLURM_ARRAY_TASK_ID", Integer.toString(task));
      tasks.add(pb.start());
    }
    for (int task = 0; task < 2; task++) {
      assertEquals(0, tasks.get(task).waitFor(),
          Files.readString(dir.resolve("task-" + task + ".log")));
    }
    Outcome collected = sweep("--collect", out.toString());
    assertEquals(0, collected.status(), collected.err());
    assertTrue(collected.out().contains("merged 4 of 4 points"), collected.out());
    assertEquals(csv(reference), csv(out));
    assertEquals(Files.readString(reference.resolve("points/p0001/step_latency_ns.hlog")),
        Files.readString(out.resolve("points/p0001/step_latency_ns.hlog")));
  }

  @Test
  void badSpecsAreOneMessageNamingTheFileAndTheKey() throws IOException {
    Path typo = dir.resolve("typo.yaml");
    Files.writeString(typo, "axes: [{key: fastmem.llc.capacty, values: [30MiB]}]\n");
    assertRefused(sweep(typo.toString(), "--out", dir.resolve("o1").toString()),
        "typo.yaml", "'fastmem.llc.capacty' is not a configuration key (did you mean"
            + " 'fastmem.llc.capacity'?)");

    Path unusedVariable = dir.resolve("unused.yaml");
    Files.writeString(unusedVariable, """
        axes: [{key: ratio, values: [0.5]}]
        derive: {fastmem.llc.reservation: fastmem.llc.capacity * 0.5}
        """);
    assertRefused(sweep(unusedVariable.toString(), "--out", dir.resolve("o2").toString()),
        "unused.yaml", "'ratio' is not a configuration key");

    Path badDerive = dir.resolve("derive.yaml");
    Files.writeString(badDerive, "derive: {fastmem.llc.reservation: fastmem.llc.capacity * }\n");
    assertRefused(sweep(badDerive.toString(), "--out", dir.resolve("o3").toString()),
        "derive.yaml", "derive.fastmem.llc.reservation");

    Path escape = dir.resolve("escape.yaml");
    Files.writeString(escape, "name: ../../outside\n");
    assertRefused(sweep(escape.toString()), "escape.yaml", "name: '../../outside'");
    Files.writeString(escape, "name: /tmp/outside\n");
    assertRefused(sweep(escape.toString()), "escape.yaml", "name: '/tmp/outside'");

    assertRefused(sweep(SMOKE.toString(), "--out", dir.resolve("o4").toString(), "--only",
        "../p0000"), "smoke.yaml", "point '../p0000' is not a point of");
    assertFalse(Files.exists(dir.resolve("p0000")));

    assertRefused(sweep("--collect", dir.toString(), SMOKE.toString()), "--collect",
        "takes no spec");
    assertRefused(sweep(SMOKE.toString(), "--slurm", "--resume", "--launcher", "x"), "--slurm",
        "--resume, --only and --points-file belong to the runs of its tasks");
  }

  @Test
  void collectRefusesAManifestWhosePointIdsLeaveTheFolder() throws IOException {
    Path out = dir.resolve("tampered");
    Files.createDirectories(out.resolve("tasks/0/points/x"));
    Files.writeString(out.resolve("sweep.json"),
        "{\"name\":\"t\",\"axis_keys\":[],\"points\":[{\"id\":\"../../escaped\"}]}");
    Outcome o = sweep("--collect", out.toString());
    assertEquals(Main.EXIT_USAGE, o.status(), o.err());
    assertTrue(o.err().contains("point id: '../../escaped' is not a plain file name"), o.err());
    assertFalse(Files.exists(dir.resolve("escaped")));
  }

  private static void assertRefused(Outcome o, String file, String expected) {
    assertEquals(Main.EXIT_USAGE, o.status(), o.out() + o.err());
    assertTrue(o.err().contains(file) && o.err().contains(expected), o.err());
    assertFalse(o.err().contains("Exception"), o.err());
    assertEquals(1, o.err().strip().split("\n").length, o.err());
  }
}
