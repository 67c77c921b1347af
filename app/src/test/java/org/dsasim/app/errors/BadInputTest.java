package org.dsasim.app.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.dsasim.app.Cli;
import org.dsasim.workloads.npz.NpzBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad-input case of {@code docs/errors.md}, one test each, run through the command line:
 * exit status 2, one message naming the file and the key, line or byte offset, no stack trace,
 * and no result file (complete or partial) where the command would have written one.
 *
 * <p>Arguments starting with {@code @} name files of the fixture folder.
 */
class BadInputTest {
  @TempDir static Path dir;

  /**
   * One row of the table.
   *
   * @param id the row's name in docs/errors.md
   * @param args the command line
   * @param expected parts the message must contain (the file, the key or offset, what is allowed)
   * @param noOutput a fixture path that must not exist afterwards (or null)
   */
  record Case(String id, List<String> args, List<String> expected, String noOutput) {
    @Override
    public String toString() {
      return id;
    }
  }

  private static final List<Case> CASES = new ArrayList<>();

  private static void row(String id, String args, String... expected) {
    CASES.add(new Case(id, List.of(args.split(" ")), List.of(expected), null));
  }

  /** A row whose command would write {@code output}; it must not appear. */
  private static void rowWriting(String id, String output, String args, String... expected) {
    CASES.add(new Case(id, List.of(args.split(" ")), List.of(expected), output));
  }

  private static final String GEN_SHAPE = "--layers 2 --seqs 2 --steps 5 --topk 4 --context 100";

  static {
    // ---- configuration files and --set, through config show, run and calibrate
    row("config-yaml-syntax", "config show --config @syntax.yaml",
        "syntax.yaml line 4, column 1", "not valid YAML");
    row("config-unknown-key", "config show --config @typo.yaml",
        "typo.yaml line 2", "unknown key 'fastmem.llc.capacty'",
        "did you mean 'fastmem.llc.capacity'");
    row("config-wrong-unit", "config show --config @units.yaml",
        "units.yaml line 1", "fastmem.llc.capacity", "'30 furlongs' is not a size",
        "allowed: 128KiB to 16GiB");
    row("config-out-of-range", "config show --config @range.yaml",
        "range.yaml line 1", "fastmem.llc.capacity", "'64GiB' is above 16GiB");
    row("config-contradictory", "config show --config @contradiction.yaml",
        "inconsistent configuration", "fastmem.llc.reservation = 4MiB from ",
        "contradiction.yaml line 3", "fastmem.llc.capacity = 1MiB from ",
        "contradiction.yaml line 2");
    row("config-not-a-mapping", "config show --config @list.yaml",
        "list.yaml line 1", "expected a mapping of keys to values");
    row("config-duplicate-key", "config show --config @duplicate.yaml",
        "duplicate.yaml line 2", "'decode.batch' appears twice", "also on line 1");
    row("config-key-without-value", "config show --config @novalue.yaml",
        "novalue.yaml line 1", "decode.batch has no value");
    row("config-java-global-tag", "config show --config @evil.yaml",
        "evil.yaml line 1", "Global tag is not allowed",
        "tag:yaml.org,2002:javax.script.ScriptEngineManager");
    row("config-local-tag", "config show --config @localtag.yaml",
        "localtag.yaml line 1", "the YAML tag !foo is not allowed");
    row("config-merge-key", "config show --config @merge.yaml",
        "merge.yaml line 3", "merge keys (<<) are not supported");
    row("config-binary", "config show --config @binary.yaml",
        "binary.yaml", "not valid YAML");
    row("config-missing-file", "config show --config @missing.yaml",
        "missing.yaml: no such file");
    row("config-is-a-folder", "config show --config @folder",
        "folder: cannot read it (is a folder, not a file)");
    row("config-missing-include", "config show --config @include.yaml",
        "missing-part.yaml: no such file", "included from", "include.yaml line 1");
    row("config-include-loop", "config show --config @loop.yaml",
        "loop.yaml line 1", "the includes form a loop");
    row("set-without-equals", "config show --set fastmem.llc.capacity",
        "--set 'fastmem.llc.capacity'", "expected key=value");
    row("set-unknown-key", "config show --set decode.batchsize=4",
        "--set on the command line", "unknown key 'decode.batchsize'", "decode.batch");
    row("set-bad-choice", "config show --set decode.mode=turbo",
        "decode.mode", "'turbo' is not one of [graph, fused]");
    row("set-bad-boolean", "config show --set fastmem.llc.replicate_near=maybe",
        "fastmem.llc.replicate_near", "'maybe' is not true or false");
    row("set-unknown-preset", "config show --set hardware=h9000",
        "hardware", "no preset 'h9000'", "configs/hardware/h9000.yaml", "available: ");
    row("run-config-error", "run --config @syntax.yaml",
        "syntax.yaml line 4, column 1", "not valid YAML");
    row("run-set-out-of-range", "run --set decode.batch=0",
        "decode.batch", "'0' is below 1", "allowed: 1 to 65536");
    row("set-overflowing-number", "config show --set compute.clock=1e300GHz",
        "--set on the command line", "compute.clock", "'1e300GHz' is not a finite number");
    row("set-clock-out-of-range", "config show --set compute.clock=1Hz",
        "--set on the command line", "compute.clock", "'1Hz' is below 1MHz",
        "allowed: 1MHz to 100GHz");
    row("set-negative-latency", "config show --set fastmem.llc.near_hit_latency=-5cycles",
        "--set on the command line", "fastmem.llc.near_hit_latency", "'-5cycles' is below 0");

    // ---- .dsat traces
    row("dsat-empty", "trace info @empty.dsat", "empty.dsat", "empty file at byte offset 0");
    row("dsat-not-a-trace", "trace info @text.dsat",
        "text.dsat", "not a .dsat trace", "magic bytes", "at byte offset 0");
    row("dsat-truncated-header", "trace info @cut-header.dsat",
        "cut-header.dsat", "byte offset 12", "the file has only 40 bytes");
    row("dsat-truncated-body", "trace info @cut-body.dsat",
        "cut-body.dsat", "truncated or unfinished trace", "byte offset");
    row("dsat-corrupt-block", "trace info @corrupt.dsat",
        "corrupt.dsat", "corrupt trace at byte offset", "checksum mismatch");
    row("trace-missing", "trace info @missing.dsat", "missing.dsat", "no such file");
    row("trace-is-a-folder", "trace info @folder", "folder", "is a folder");
    row("replay-empty-capacity-list", "replay --trace @ok.dsat --capacity ,",
        "--capacity: the list is empty", "for example --capacity 20MiB,40MiB");
    row("replay-corrupt-dsat", "replay --trace @corrupt.dsat",
        "corrupt.dsat", "corrupt trace at byte offset");
    rowWriting("analyze-corrupt-dsat-writes-nothing", "report.txt",
        "trace analyze @corrupt.dsat -o @report.txt",
        "corrupt.dsat", "corrupt trace at byte offset");
    rowWriting("convert-corrupt-dsat-writes-nothing", "converted.dsat",
        "trace convert @corrupt.dsat @converted.dsat",
        "corrupt.dsat", "corrupt trace at byte offset");
    rowWriting("fit-corrupt-dsat-writes-nothing", "fitted.yaml",
        "trace fit @corrupt.dsat -o @fitted.yaml",
        "corrupt.dsat", "corrupt trace at byte offset");
    row("run-corrupt-trace", "run --workload @corrupt.dsat",
        "corrupt.dsat", "corrupt trace at byte offset");

    // ---- .npz archives
    row("npz-empty", "trace info @empty.npz", "empty.npz", "not a valid .npz (zip) archive");
    row("npz-truncated", "trace info @cut.npz",
        "cut.npz", "not a valid .npz (zip) archive", "cut short");
    row("npz-no-indices", "trace info @noindices.npz",
        "noindices.npz", "no trace arrays", "expected 'indices'", "the archive has: context_len");
    row("npz-float-indices", "trace info @float.npz",
        "float.npz", "array 'indices'", "'<f4' is not an integer type");
    row("npz-negative-index", "trace info @negative.npz",
        "negative.npz", "array 'indices' [0, 0, 0, 0] = -7", "-1 marks an empty slot");
    row("npz-context-len-shape", "trace info @badctx.npz",
        "badctx.npz", "array 'context_len'", "shape (5, 3)", "expected (5,) or (5, 2)");
    row("npz-malformed-npy-header", "trace info @badheader.npz",
        "badheader.npz", "array 'indices'", "malformed .npy header");
    row("npz-size-bomb", "trace info @bomb.npz",
        "bomb.npz", "array 'indices'", "needs 400000128 bytes", "compressed bytes",
        "the archive is corrupt");
    row("npz-entry-name-not-utf8", "trace info @badname.npz",
        "badname.npz", "not a valid .npz (zip) archive", "entry name", "not valid UTF-8");
    row("replay-truncated-npz", "replay --trace @cut.npz",
        "cut.npz", "not a valid .npz (zip) archive");

    // ---- command options
    row("analyze-topk-too-large", "trace analyze @ok.dsat --topk 99",
        "ok.dsat", "--topk 99 exceeds the trace's top-k of 4");
    row("convert-topk-zero", "trace convert @ok.dsat @never.dsat --topk 0",
        "--topk must be at least 1, found 0");
    row("replay-negative-capacity", "replay --trace @ok.dsat --capacity -3",
        "--capacity '-3'", "negative size");
    row("replay-capacity-unit", "replay --trace @ok.dsat --capacity 3furlongs",
        "--capacity '3furlongs'", "a size (e.g. 20MiB)");
    row("replay-unknown-policy", "replay --trace @ok.dsat --policy bogus",
        "unknown token-cache policy 'bogus'", "known: token-lru");
    row("replay-policy-parameter-range", "replay --trace @ok.dsat --policy window:hit-ratio=2",
        "window:hit-ratio=2", "hit ratio must be in [0, 1]");
    row("gen-zero-layers",
        "trace gen --generator uniform -o @never.dsat --layers 0 --seqs 2 --steps 5 --topk 4"
            + " --context 100",
        "must be positive", "got 5, 0, 2, 4, 100");
    row("gen-unknown-generator", "trace gen --generator nope -o @never.dsat " + GEN_SHAPE,
        "unknown generator 'nope'", "known: uniform, persist-uniform, dsa");
    row("gen-unknown-parameter",
        "trace gen --generator dsa --params @genparams.yaml -o @never.dsat " + GEN_SHAPE,
        "genparams.yaml:1", "unknown parameter 'foo' for generator dsa");
    row("gen-parameter-yaml-syntax",
        "trace gen --generator dsa --params @syntax.yaml -o @never.dsat " + GEN_SHAPE,
        "syntax.yaml:4", "malformed YAML");
    row("gen-parameter-java-global-tag",
        "trace gen --generator dsa --params @evil-params.yaml -o @never.dsat " + GEN_SHAPE,
        "evil-params.yaml:1", "Global tag is not allowed",
        "tag:yaml.org,2002:javax.script.ScriptEngineManager");
    row("gen-not-a-number",
        "trace gen --generator uniform -o @never.dsat --layers 2 --seqs 2 --steps 5 --topk 4"
            + " --context abc",
        "--context", "'abc' is not an int");
    row("fit-target-without-shape", "trace fit --target new_fraction=0.5 -o @never.yaml",
        "--target needs --steps, --layers, --seqs, --topk and --context");
    row("fit-unknown-statistic",
        "trace fit --target bogus=1 -o @never.yaml " + GEN_SHAPE,
        "--target: unknown statistic 'bogus'", "known: new_fraction");
    row("run-unknown-workload", "run --workload bogus-generator",
        "workload 'bogus-generator'", "neither a generator (uniform, persist-uniform, dsa)");
    row("run-trace-too-short", "run --workload @ok.dsat",
        "ran out of steps after 5 steps", "50 are needed");

    // ---- outputs that cannot be written
    rowWriting("convert-output-under-a-file", "afile/out.dsat",
        "trace convert @ok.dsat @afile/out.dsat",
        "cannot write", "afile/out.dsat", "is a file, not a folder", "nothing was written");
    rowWriting("gen-output-under-a-file", "afile/gen.dsat",
        "trace gen --generator uniform -o @afile/gen.dsat " + GEN_SHAPE,
        "cannot write", "afile/gen.dsat", "is a file, not a folder");
    rowWriting("analyze-output-under-a-file", "afile/report.txt",
        "trace analyze @ok.dsat --no-reuse -o @afile/report.txt",
        "cannot write", "afile/report.txt", "is a file, not a folder");
    row("gen-output-is-a-folder", "trace gen --generator uniform -o @folder " + GEN_SHAPE,
        "cannot write ", "folder: is a folder; give a file name");
    row("gen-missing-parameter-file",
        "trace gen --generator dsa --params @missing.yaml -o @never.dsat " + GEN_SHAPE,
        "parameter file ", "missing.yaml does not exist");

    // ---- calibration experiments
    row("calibrate-missing-csv", "calibrate --experiments @missing.csv", "missing.csv");
    row("calibrate-csv-is-a-folder", "calibrate --experiments @folder", "folder");
    row("calibrate-empty-csv", "calibrate --experiments @empty.csv",
        "empty.csv", "empty file, expected a header line");
    row("calibrate-missing-column", "calibrate --experiments @columns.csv",
        "columns.csv", "line 1", "missing column 'seqs'");
    row("calibrate-not-a-number", "calibrate --experiments @number.csv",
        "number.csv", "line 2, column 'seqs'", "'abc' is not a positive whole number");
    row("calibrate-unknown-hardware", "calibrate --experiments @number.csv --hardware nope",
        "--hardware on the command line", "no preset 'nope'");
    row("calibrate-extra-cells", "calibrate --experiments @extra.csv",
        "extra.csv", "line 2: 12 cells, but the header (line 1) names 11 columns");
    row("calibrate-not-utf8", "calibrate --experiments @latin1.csv",
        "latin1.csv", "not UTF-8 text: byte E9 at byte offset", "expected a text experiments file");
    row("calibrate-nan-measurement", "calibrate --experiments @nan.csv",
        "nan.csv", "line 2, column 'measured_step_us'", "'NaN' is not a positive number");
    row("calibrate-negative-measurement", "calibrate --experiments @negative.csv",
        "negative.csv", "line 2, column 'measured_step_us'", "'-5' is not a positive number");
    row("calibrate-zero-threads", "calibrate --experiments @number.csv --threads 0",
        "--threads must be at least 1, found 0");
    rowWriting("calibrate-plot-without-measurements", "never.svg",
        "calibrate --experiments @planned.csv --plot @never.svg",
        "planned.csv", "--plot draws predicted against measured", "no row has a measured_step_us");

    // ---- sweeps: the spec is checked before any point runs
    row("sweep-unknown-key", "sweep @spec-typo.yaml --out @never-sweep",
        "sweep spec ", "spec-typo.yaml", "unknown top-level key 'axis'", "did you mean 'axes'");
    row("sweep-empty-axis", "sweep @spec-empty-axis.yaml --out @never-sweep",
        "spec-empty-axis.yaml", "axes[0].values is empty");
    row("sweep-unknown-config-key", "sweep @spec-axis-key.yaml --out @never-sweep",
        "spec-axis-key.yaml", "'fastmem.llc.capacty' is not a configuration key",
        "did you mean 'fastmem.llc.capacity'");
    row("sweep-derive-syntax", "sweep @spec-derive-syntax.yaml --out @never-sweep",
        "spec-derive-syntax.yaml", "derive.fastmem.llc.reservation", "must be operands");
    row("sweep-derive-unknown-name", "sweep @spec-derive-name.yaml --out @never-sweep",
        "spec-derive-name.yaml", "derive.fastmem.llc.reservation",
        "'reservation_ration' is neither a configuration key", "did you mean");
    row("sweep-unknown-runner", "sweep @spec-runner.yaml --out @never-sweep",
        "spec-runner.yaml", "runner: unknown runner 'replays'", "allowed: [decode, replay]");
    row("sweep-replay-unknown-policy", "sweep @spec-replay-policy.yaml --out @never-sweep",
        "spec-replay-policy.yaml", "point p0000", "unknown token-cache policy 'lru'",
        "token-lru", "none");
    row("sweep-replay-without-capacity", "sweep @spec-replay-capacity.yaml --out @never-sweep",
        "spec-replay-capacity.yaml", "point p0000", "no replay.capacity");
    row("sweep-resume-another-spec", "sweep @spec-other.yaml --out @sweep-done --resume",
        "cannot resume in ", "sweep-done", "its points differ from those of ", "spec-other.yaml");
    row("sweep-collect-not-a-sweep", "sweep --collect @folder",
        "cannot collect ", "folder", "no readable sweep manifest", "sweep.json");
    rowWriting("sweep-bad-axis-value", "never-sweep", "sweep @spec-decode-unit.yaml --out @never-sweep",
        "sweep spec ", "spec-decode-unit.yaml, point p0001", "fastmem.llc.capacity",
        "'30furlongs' is not a size");
    rowWriting("sweep-overflowing-number", "never-sweep",
        "sweep @spec-overflow.yaml --out @never-sweep",
        "spec-overflow.yaml, point p0000", "decode.persist", "'1e400' is not a finite number");
    row("sweep-points-file-unknown-id",
        "sweep @spec-ok.yaml --points-file @points.txt --out @never-sweep",
        "points.txt line 2: point 'p0007' is not a point of ", "spec-ok.yaml");
    row("sweep-duplicate-axis", "sweep @spec-twice.yaml --out @never-sweep",
        "spec-twice.yaml", "axes[1]: replay.capacity is already swept by axes[0]");
    row("sweep-missing-spec", "sweep @missing.yaml --out @never-sweep",
        "sweep spec ", "missing.yaml does not exist");
    row("sweep-tasks-without-slurm", "sweep @spec-ok.yaml --tasks 2 --out @never-sweep",
        "--tasks and --launcher only go with --slurm");
    rowWriting("sweep-output-under-a-file", "afile/sweep",
        "sweep @spec-ok.yaml --out @afile/sweep",
        "--out ", "afile/sweep", "afile is a file, not a folder");

    // ---- report
    row("report-missing-folder", "report @missing-folder", "missing-folder: no such folder");
    row("report-a-file", "report @afile",
        "afile: is a file; expected the results folder");
    row("report-no-results", "report @folder",
        "folder: neither a run's results (summary.json) nor a sweep's (points.csv)");
    rowWriting("report-corrupt-hlog", "run-bad-hlog/report.html", "report @run-bad-hlog",
        "run-bad-hlog/step_latency_ns.hlog", "not a readable HdrHistogram log",
        "no interval histogram");
    rowWriting("report-empty-config", "run-empty-config/report.html", "report @run-empty-config",
        "run-empty-config/config.yaml", "no 'key: value' line");

    // ---- membench
    row("membench-unknown-memory",
        "membench --memory h9000 --pattern stream --requests 10 --request-bytes 128",
        "--memory: unknown preset 'h9000'", "known presets: [b200");
    row("membench-unknown-pattern",
        "membench --memory h200 --pattern zigzag --requests 10 --request-bytes 128",
        "--pattern: expected stream, random or chase, got 'zigzag'");
    row("membench-zero-requests",
        "membench --memory h200 --pattern stream --requests 0 --request-bytes 128",
        "--requests must be >= 1, got 0");
    row("membench-footprint-unit",
        "membench --memory h200 --pattern stream --requests 10 --request-bytes 128"
            + " --footprint 24furlongs",
        "--footprint: expected a size such as 128, 32B or 24MiB, got '24furlongs'");

    // ---- run: output paths are checked before the simulation starts
    rowWriting("run-timeline-under-a-file", "never-run",
        "run --timeline @afile/t.json --out @never-run",
        "--timeline ", "afile/t.json", "afile is a file, not a folder");
    rowWriting("run-timeline-steps-without-timeline", "never-run",
        "run --timeline-steps 3 --out @never-run", "--timeline-steps needs --timeline");
    rowWriting("run-timeline-is-a-folder", "never-run",
        "run --timeline @folder --out @never-run",
        "--timeline ", "folder: is a folder; give a file name");
    row("run-unknown-sharing-policy", "run --set fastmem.llc.reservation_sharing=per-layr",
        "fastmem.llc.reservation_sharing", "'per-layr' is not one of [pool, per-layer,"
            + " per-sequence]");
    rowWriting("run-reservation-too-small-to-share", "never-run",
        "run --set model=llama-3.1-70b-dsa --set fastmem.llc.reservation=40KiB"
            + " --set fastmem.llc.reservation_sharing=per-layer --set sim.stop.steps=1"
            + " --out @never-run",
        "inconsistent configuration", "the KV reservation holds 10 entries",
        "fastmem.llc.reservation = 40KiB from --set",
        "fastmem.llc.reservation_sharing = per-layer from --set");
    rowWriting("run-page-reservation-under-a-page", "never-run",
        "run --set model=llama-3.1-70b-dsa --set fastmem.llc.reservation=100KiB"
            + " --set fastmem.llc.reservation_kind=page --set sim.stop.steps=1 --out @never-run",
        "inconsistent configuration", "a page reservation needs room for a page of 64 entries",
        "this one holds 25 entries", "fastmem.llc.reservation_kind = page from --set");
    // two spaces: --out gets an empty argument, as from an unset shell variable
    row("run-empty-output-folder", "run --out  --set sim.stop.steps=1",
        "--out is empty; give a folder");
    rowWriting("run-output-under-a-file", "afile/run",
        "run --out @afile/run --set sim.stop.steps=1",
        "--out ", "afile/run", "afile is a file, not a folder");
  }

  static Stream<Case> cases() {
    return CASES.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedWithOneClearMessage(Case c) throws IOException {
    String[] args =
        c.args().stream()
            .map(a -> a.startsWith("@") ? dir.resolve(a.substring(1)).toString() : a)
            .toArray(String[]::new);
    Cli.assertRefused(Cli.run(args), c.expected().toArray(String[]::new));
    if (c.noOutput() != null) {
      Path output = dir.resolve(c.noOutput());
      assertFalse(Files.exists(output), output + " was written");
      Path folder = output.getParent();
      if (Files.isDirectory(folder)) {
        try (Stream<Path> files = Files.list(folder)) {
          assertEquals(
              List.of(),
              files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(),
              "temporary files left");
        }
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          List.of(),
          files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("never")).toList(),
          "a refused command wrote its output");
    }
  }

  @BeforeAll
  static void fixtures() throws IOException {
    Cli.Result gen =
        Cli.run(("trace gen --generator uniform -o " + dir.resolve("ok.dsat") + " " + GEN_SHAPE)
            .split(" "));
    assertEquals(0, gen.code(), gen.err());
    byte[] ok = Files.readAllBytes(dir.resolve("ok.dsat"));
    write("empty.dsat", new byte[0]);
    text("text.dsat", "hello\n");
    write("cut-header.dsat", Arrays.copyOf(ok, 40));
    write("cut-body.dsat", Arrays.copyOf(ok, ok.length - 20));
    byte[] corrupt = ok.clone();
    corrupt[ok.length - 60] ^= (byte) 0xFF; // inside the last block, before the footer
    write("corrupt.dsat", corrupt);
    Files.createDirectories(dir.resolve("folder"));
    text("afile", "a regular file where a folder is expected\n");

    int steps = 5;
    int[] indices = new int[steps * 2 * 2 * 4];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = i % 50;
    }
    long[] shape = {steps, 2, 2, 4};
    int[] ctx = new int[steps * 2];
    Arrays.fill(ctx, 60);
    byte[] npz = new NpzBuilder().ints("indices", shape, indices)
        .ints("context_len", new long[] {steps, 2}, ctx).toBytes(false);
    write("empty.npz", new byte[0]);
    write("cut.npz", Arrays.copyOf(npz, npz.length / 2));
    new NpzBuilder().ints("context_len", new long[] {steps, 2}, ctx)
        .write(dir.resolve("noindices.npz"), false);
    new NpzBuilder().raw("indices", NpzBuilder.npy("<f4", false, shape, new byte[indices.length * 4]))
        .write(dir.resolve("float.npz"), false);
    int[] negative = indices.clone();
    negative[0] = -7;
    new NpzBuilder().ints("indices", shape, negative)
        .ints("context_len", new long[] {steps, 2}, ctx).write(dir.resolve("negative.npz"), false);
    new NpzBuilder().ints("indices", shape, indices)
        .ints("context_len", new long[] {steps, 3}, new int[steps * 3])
        .write(dir.resolve("badctx.npz"), false);
    new NpzBuilder().raw("indices", NpzBuilder.npyWithHeader(
            "{'descr': '<i4', 'fortran_order': False, 'shape': (5, 2, 2, 4", new byte[320]))
        .write(dir.resolve("badheader.npz"), false);

    write("bomb.npz", sizeBomb());
    write("badname.npz",
        fuzzFinding("NpzReaderFuzzTestInputs/readsOrRefuses/crash-entry-name-not-utf8"));

    text("syntax.yaml", "fastmem:\n  llc:\n    capacity: [1\n");
    text("typo.yaml", "decode.batch: 4\nfastmem.llc.capacty: 30MiB\n");
    text("units.yaml", "fastmem.llc.capacity: 30 furlongs\n");
    text("range.yaml", "fastmem.llc.capacity: 64GiB\n");
    text("contradiction.yaml", "fastmem.llc:\n  capacity: 1MiB\n  reservation: 4MiB\n");
    text("list.yaml", "- decode.batch\n- 4\n");
    text("duplicate.yaml", "decode.batch: 4\ndecode.batch: 5\n");
    text("novalue.yaml", "decode.batch:\n");
    text("evil.yaml", "x: !!javax.script.ScriptEngineManager"
        + " [!!java.net.URLClassLoader [[!!java.net.URL [\"http://localhost/\"]]]]\n");
    text("evil-params.yaml", "retention: !!javax.script.ScriptEngineManager"
        + " [!!java.net.URLClassLoader [[!!java.net.URL [\"http://localhost/\"]]]]\n");
    text("localtag.yaml", "decode.mode: !foo graph\n");
    text("merge.yaml", "base: &b {batch: 4}\ndecode:\n  <<: *b\n");
    write("binary.yaml", new byte[] {0, (byte) 0xFF, (byte) 0xFE, 1});
    text("include.yaml", "include: missing-part.yaml\n");
    text("loop.yaml", "include: loop.yaml\n");
    text("genparams.yaml", "foo: 1\n");

    text("spec-typo.yaml", "name: t\naxis:\n  - key: decode.batch\n    values: [1]\n");
    text("spec-empty-axis.yaml", "axes:\n  - key: decode.batch\n    values: []\n");
    text("spec-axis-key.yaml", "axes:\n  - key: fastmem.llc.capacty\n    values: [30MiB]\n");
    String ratio = "axes:\n  - key: reservation_ratio\n    values: [0.5]\nderive:\n";
    text("spec-derive-syntax.yaml",
        ratio + "  fastmem.llc.reservation: fastmem.llc.capacity * * reservation_ratio\n");
    text("spec-derive-name.yaml",
        ratio + "  fastmem.llc.reservation: fastmem.llc.capacity * reservation_ration\n");
    text("spec-runner.yaml", "runner: replays\n");
    text("spec-decode-unit.yaml", "axes:\n  - key: fastmem.llc.capacity\n"
        + "    values: [30MiB, 30furlongs]\n");
    String replay = "runner: replay\nbase:\n  model.layers_per_gpu: 2\n  decode.batch: 1\n"
        + "  model.topk: 16\n  decode.context: 1024\n  sim.stop.steps: 4\naxes:\n";
    text("spec-replay-policy.yaml", replay + "  - key: replay.policy\n    values: [lru]\n"
        + "  - key: replay.capacity\n    values: [1MiB]\n");
    text("spec-replay-capacity.yaml", replay + "  - key: replay.policy\n    values: [belady]\n");
    text("spec-ok.yaml", replay + "  - key: replay.policy\n    values: [token-lru]\n"
        + "  - key: replay.capacity\n    values: [1MiB]\n");
    text("spec-twice.yaml", replay + "  - key: replay.capacity\n    values: [1MiB]\n"
        + "  - key: replay.capacity\n    values: [2MiB]\n");
    text("spec-overflow.yaml", "axes:\n  - key: decode.persist\n    values: [1e400]\n");
    text("points.txt", "p0000\np0007\n");
    text("spec-other.yaml", replay + "  - key: replay.policy\n    values: [token-lru]\n"
        + "  - key: replay.capacity\n    values: [2MiB]\n");
    // a sweep folder holding the manifest of spec-ok.yaml (--slurm writes it and runs nothing)
    Cli.Result slurm = Cli.run("sweep", dir.resolve("spec-ok.yaml").toString(), "--out",
        dir.resolve("sweep-done").toString(), "--slurm", "--launcher", "true");
    assertEquals(0, slurm.code(), slurm.err());

    // results folders of a run whose files the report cannot use
    Files.createDirectories(dir.resolve("run-bad-hlog"));
    text("run-bad-hlog/summary.json", "{}\n");
    text("run-bad-hlog/step_latency_ns.hlog", "not a histogram log\n");
    Files.createDirectories(dir.resolve("run-empty-config"));
    text("run-empty-config/summary.json", "{}\n");
    text("run-empty-config/config.yaml", "");

    String header = "id,kernel,seqs,layers,ctx,entry_bytes,topk,persist,stream_mb,l2_window,steps\n";
    text("empty.csv", "");
    text("columns.csv", "id,kernel\nx,gather-warp\n");
    text("number.csv", header + "x,gather-warp,abc,8,1024,64,1,0,0,0,48\n");
    text("planned.csv", header + "x,gather-warp,1,8,1024,64,1,0,0,0,48\n");
    text("extra.csv", header + "x,gather-warp,1,8,1024,64,1,0,0,0,48,9.5\n");
    write("latin1.csv", (header + "caf\u00e9,gather-warp,1,8,1024,64,1,0,0,0,48\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    text("nan.csv", header.strip() + ",measured_step_us\n"
        + "x,gather-warp,1,8,1024,64,1,0,0,0,48,NaN\n");
    text("negative.csv", header.strip() + ",measured_step_us\n"
        + "x,gather-warp,1,8,1024,64,1,0,0,0,48,-5\n");
  }

  /** An input the fuzz tests of the workloads module found (from its test jar). */
  private static byte[] fuzzFinding(String name) throws IOException {
    try (java.io.InputStream in = BadInputTest.class.getResourceAsStream(
        "/org/dsasim/workloads/fuzz/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return in.readAllBytes();
    }
  }

  /** Offset of the first central-directory entry (signature PK 1 2). */
  private static int centralDirectoryEntry(byte[] zip) {
    for (int i = 0; i + 46 < zip.length; i++) {
      if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) {
        return i;
      }
    }
    throw new IllegalStateException("no central directory entry");
  }

  /**
   * A deflated archive of a few hundred bytes whose directory and {@code .npy} header claim an
   * int32 array of 10^8 elements (400 MB), as a zip bomb would.
   */
  private static byte[] sizeBomb() throws IOException {
    byte[] npy = NpzBuilder.npyWithHeader(
        "{'descr': '<i4', 'fortran_order': False, 'shape': (1, 1, 1, 100000000), }", new byte[64]);
    byte[] zip = new NpzBuilder().raw("indices", npy).toBytes(true);
    long claimed = npy.length - 64 + 400_000_000L;
    java.nio.ByteBuffer.wrap(zip, centralDirectoryEntry(zip) + 24, 4)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) claimed);
    return zip;
  }

  private static void text(String name, String content) throws IOException {
    write(name, content.getBytes(StandardCharsets.UTF_8));
  }

  private static void write(String name, byte[] content) throws IOException {
    Files.write(dir.resolve(name), content);
  }
}
