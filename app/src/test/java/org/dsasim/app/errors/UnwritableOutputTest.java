package org.dsasim.app.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dsasim.app.Cli;
import org.dsasim.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --out} and {@code sweep --out} into a folder that cannot take the results: a
 * read-only folder, and a disk that fills up mid-write. Each is refused with one message and exit
 * status 2, every file already in the folder is byte-identical afterwards (nothing a previous
 * run or finished point wrote is lost), no temporary file is left, and the same command without
 * the fault then completes.
 *
 * <p>The full disk is real, not simulated in-process: the command runs in a child JVM under a
 * file-size limit ({@code ulimit -f}), so that the kernel fails any write past the limit with
 * {@code EFBIG}, as it fails a write to a full disk with {@code ENOSPC}, mid-file and after the
 * earlier files were written. (The JVM ignores the {@code SIGXFSZ} that comes with it.)
 */
class UnwritableOutputTest {
  private static final List<String> RUN = List.of("run",
      "--set", "sim.warmup.steps=1", "--set", "sim.stop.steps=2", "--set", "decode.batch=1",
      "--set", "decode.context=1024", "--set", "model.layers=2", "--set", "model.layers_per_gpu=2",
      "--set", "model.dense_layers=1", "--set", "model.topk=64");
  private static final String SPEC = String.join("\n",
      "runner: replay",
      "base:",
      "  model.layers_per_gpu: 2",
      "  decode.batch: 1",
      "  model.topk: 64",
      "  decode.context: 1024",
      "  sim.stop.steps: 8",
      "axes:",
      "  - key: replay.policy",
      "    values: [token-lru, belady]",
      "  - key: replay.capacity",
      "    values: [64, 256]",
      "");
  /** Bytes a file may have under the file-size limit: less than a run's config.yaml. */
  private static final int LIMIT_KIB = 2;

  @TempDir Path dir;

  private static String[] run(Path out, String... more) {
    List<String> a = new ArrayList<>(RUN);
    a.addAll(List.of(more));
    a.add("--out");
    a.add(out.toString());
    return a.toArray(String[]::new);
  }

  private String[] sweep(Path out, String... more) throws IOException {
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec, SPEC);
    List<String> a = new ArrayList<>(List.of("sweep", spec.toString(), "--out", out.toString()));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  /** Every file under {@code folder} (hidden ones included) and its bytes. */
  private static Map<String, String> snapshot(Path folder) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        files.put(folder.relativize(p).toString(),
            new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    return files;
  }

  /**
   * Makes {@code folder} and the folders under it read-only: by its permissions, or, for a user
   * whom permissions do not stop (root), by the immutable attribute where {@code chattr} can set
   * it; skips the test otherwise.
   */
  private static List<Path> makeReadOnly(Path folder) throws IOException, InterruptedException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    List<Path> folders;
    try (Stream<Path> all = Files.walk(folder)) {
      folders = all.filter(Files::isDirectory).toList();
    }
    for (Path f : folders) {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r-xr-xr-x"));
    }
    if (Files.isWritable(folder)) {
      for (Path f : folders) {
        if (!chattr("+i", f)) {
          makeWritable(folders);
          assumeTrue(false, "this user writes into read-only folders and cannot set them"
              + " immutable");
        }
      }
    }
    return folders;
  }

  private static void makeWritable(List<Path> folders) throws IOException, InterruptedException {
    for (Path f : folders) {
      chattr("-i", f);
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static boolean chattr(String flag, Path folder) throws InterruptedException {
    try {
      Process p = new ProcessBuilder("chattr", flag, folder.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false; // no chattr here
    }
  }

  /** Runs dsasim in a child JVM whose files may not grow past {@value #LIMIT_KIB} KiB. */
  private static Cli.Result onAFullDisk(String... args) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "a POSIX shell sets the limit");
    StringBuilder command = new StringBuilder("ulimit -f " + LIMIT_KIB + " && exec");
    List<String> words = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    words.addAll(List.of(args));
    for (String w : words) {
      command.append(" '").append(w.replace("'", "'\\''")).append('\'');
    }
    Process child = new ProcessBuilder("/bin/sh", "-c", command.toString()).start();
    byte[] out = child.getInputStream().readAllBytes();
    byte[] err = child.getErrorStream().readAllBytes();
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child did not finish");
    return new Cli.Result(child.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8),
        new String(err, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A finished run of the small setting into {@code out}. */
  private void finishedRun(Path out) throws Exception {
    Cli.Result first = Cli.run(run(out));
    assertEquals(0, first.code(), first.err());
  }

  /** {@code args} writing into {@code out} made read-only is refused, naming the folder. */
  private static void refusedWhileReadOnly(Path out, String[] args) throws Exception {
    List<Path> folders = makeReadOnly(out);
    try {
      Cli.assertRefused(Cli.run(args), "--out ", out.toString(),
          "cannot write there: permission denied");
    } finally {
      makeWritable(folders);
    }
  }

  @Test
  void runIntoAReadOnlyFolderKeepsThePreviousResult() throws Exception {
    Path out = dir.resolve("run");
    finishedRun(out);
    Map<String, String> before = snapshot(out);
    refusedWhileReadOnly(out, run(out, "--set", "decode.batch=2"));
    assertEquals(before, snapshot(out));
  }

  @Test
  void runOnAFullDiskKeepsThePreviousResult() throws Exception {
    Path out = dir.resolve("run");
    finishedRun(out);
    Map<String, String> before = snapshot(out);
    // another run into the same folder: its small histogram logs fit, its config.yaml does not
    Cli.Result full = onAFullDisk(run(out, "--set", "decode.batch=2"));
    Cli.assertRefused(full, "cannot write " + out, "(nothing was written there)");
    assertEquals(before, snapshot(out), "the folder changed (a mix of two runs, or a temp file)");
    Cli.Result again = Cli.run(run(out, "--set", "decode.batch=2"));
    assertEquals(0, again.code(), again.err());
    assertTrue(Files.readString(out.resolve("summary.json")).contains("\"batch\" : 2"));
  }

  /**
   * A sweep of four points as one that was interrupted leaves it: two points finished, the other
   * two (p0001, p0002) without a result; returns the table of the whole sweep.
   */
  private String interruptedSweep(Path out) throws IOException {
    Cli.Result full = Cli.run(sweep(out));
    assertEquals(0, full.code(), full.err());
    String table = Files.readString(out.resolve("points.csv"));
    for (String id : List.of("p0001", "p0002")) {
      try (Stream<Path> all = Files.walk(out.resolve("points").resolve(id))) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return table;
  }

  @Test
  void sweepIntoAReadOnlyFolderKeepsTheFinishedPoints() throws Exception {
    Path out = dir.resolve("sweep");
    String table = interruptedSweep(out);
    Map<String, String> before = snapshot(out);
    refusedWhileReadOnly(out, sweep(out, "--resume"));
    assertEquals(before, snapshot(out));
    Cli.Result resumed = Cli.run(sweep(out, "--resume"));
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("4 points (2 run now, 2 already done, 0 failed)"),
        resumed.out());
    assertEquals(table, Files.readString(out.resolve("points.csv")));
  }

  @Test
  void sweepOnAFullDiskKeepsTheFinishedPointsAndResumes() throws Exception {
    Path out = dir.resolve("sweep");
    String table = interruptedSweep(out);
    Map<String, String> before = snapshot(out);
    // the missing points' config.yaml files do not fit: they fail, and so does the report
    Cli.Result full = onAFullDisk(sweep(out, "--resume", "--parallel", "1"));
    String all = full.out() + full.err();
    assertEquals(Main.EXIT_USAGE, full.code(), all);
    String[] lines = full.err().strip().split("\n");
    assertTrue(lines[lines.length - 1].startsWith("dsasim: cannot write "), all);
    assertTrue(lines[lines.length - 1].contains("(nothing was written there)"), all);
    assertTrue(!all.contains("\tat ") && !all.contains("Exception"), "stack trace:\n" + all);
    Map<String, String> after = snapshot(out);
    // the finished points and the manifest (the table and the report are rewritten, atomically)
    for (Map.Entry<String, String> f : before.entrySet()) {
      if (f.getKey().startsWith("points/") || f.getKey().equals("sweep.json")) {
        assertEquals(f.getValue(), after.get(f.getKey()), f.getKey() + " changed");
      }
    }
    assertTrue(after.keySet().stream().noneMatch(f -> f.endsWith(".tmp")), after.keySet()
        .toString());
    Cli.Result resumed = Cli.run(sweep(out, "--resume"));
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("4 points (2 run now, 2 already done, 0 failed)"),
        resumed.out());
    assertEquals(table, Files.readString(out.resolve("points.csv")));
  }
}
