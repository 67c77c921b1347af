package org.dsasim.app.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsasim.app.Cli;
import org.dsasim.accel.decode.ModelSpec;
import org.dsasim.app.report.Report;
import org.dsasim.app.run.DecodeRun;
import org.dsasim.core.config.Config;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * configs/studies/policy-comparison.yaml, the replay points of a sweep, run through {@code dsasim
 * sweep} on a shorter workload (the study's text with fewer steps): its table against counts
 * made here from the same workload (token LRU, previous top-k, no cache), Belady's bound, the
 * report's line plot, and an interrupted sweep resumed.
 */
class PolicyComparisonStudyTest {
  static final Path STUDY = StudiesTest.STUDIES.resolve("policy-comparison.yaml");
  static final int STEPS = 40;
  static final List<String> POLICIES =
      List.of("none", "token-lru", "prev-topk", "page-lru", "window", "belady");

  @TempDir static Path dir;
  static Path spec;
  static Path reference;
  static List<JsonNode> rows;

  @BeforeAll
  static void runTheStudy() throws IOException {
    String text = Files.readString(STUDY);
    assertTrue(text.contains("sim.stop.steps: 200\n"), "the study's length is where expected");
    spec = dir.resolve("policy-comparison.yaml");
    Files.writeString(spec, text.replace("sim.stop.steps: 200\n", "sim.stop.steps: " + STEPS
        + "\n"));
    reference = dir.resolve("reference");
    Cli.Result o = Cli.run("sweep", spec.toString(), "--out", reference.toString(), "--parallel", "2");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("48 points (48 run now, 0 already done, 0 failed)"), o.out());
    rows = new ArrayList<>();
    new ObjectMapper().readTree(reference.resolve("points.json").toFile()).forEach(rows::add);
  }

  private static JsonNode row(String policy, String capacity) {
    for (JsonNode r : rows) {
      if (r.path("replay.policy").asText().equals(policy)
          && r.path("replay.capacity").asText().equals(capacity)) {
        assertEquals("ok", r.path("status").asText(), r.toString());
        return r;
      }
    }
    throw new AssertionError("no row " + policy + " at " + capacity);
  }

  private static List<String> capacities() {
    List<String> out = new ArrayList<>();
    for (JsonNode r : rows) {
      String c = r.path("replay.capacity").asText();
      if (!out.contains(c)) {
        out.add(c);
      }
    }
    return out;
  }

  /** The study's workload, generated again here as a decode point of its settings would be. */
  private static List<int[][][]> workload() throws IOException {
    SweepSpec s = SweepSpec.load(spec);
    SweepPoint first = s.points().get(0);
    Config cfg = PointConfigs.config(s, first, ReplayPointRunnerFactory.KEYS);
    List<int[][][]> steps = new ArrayList<>();
    try (TraceSource source = DecodeRun.openWorkload(cfg, ModelSpec.from(cfg))) {
      StepSelection step = StepSelection.forHeader(source.header());
      while (steps.size() < STEPS && source.next(step)) {
        int[][][] copy = new int[step.layers()][step.seqs()][];
        for (int l = 0; l < step.layers(); l++) {
          for (int q = 0; q < step.seqs(); q++) {
            copy[l][q] = new int[step.count(l, q)];
            for (int i = 0; i < copy[l][q].length; i++) {
              copy[l][q][i] = step.index(l, q, i);
            }
          }
        }
        steps.add(copy);
      }
    }
    assertEquals(STEPS, steps.size());
    return steps;
  }

  /** Token LRU by java.util.LinkedHashMap in access order, over the gathers in replay order. */
  private static long lruHits(List<int[][][]> steps, long capacity) {
    Map<Long, Boolean> lru = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
        return size() > capacity;
      }
    };
    long hits = 0;
    for (int[][][] step : steps) {
      for (int l = 0; l < step.length; l++) {
        for (int q = 0; q < step[l].length; q++) {
          for (int token : step[l][q]) {
            long key = ((long) q << 48) | ((long) l << 32) | token;
            if (lru.get(key) != null) {
              hits++;
            } else if (capacity > 0) {
              lru.put(key, Boolean.TRUE);
            }
          }
        }
      }
    }
    return hits;
  }

  /** Gathers whose token the same (layer, sequence) selected at the previous step. */
  private static long previousStepOverlap(List<int[][][]> steps) {
    long overlap = 0;
    Map<Integer, BitSet> previous = new HashMap<>();
    for (int[][][] step : steps) {
      Map<Integer, BitSet> current = new HashMap<>();
      for (int l = 0; l < step.length; l++) {
        for (int q = 0; q < step[l].length; q++) {
          BitSet now = new BitSet();
          BitSet before = previous.getOrDefault(l * 65536 + q, new BitSet());
          for (int token : step[l][q]) {
            overlap += before.get(token) ? 1 : 0;
            now.set(token);
          }
          current.put(l * 65536 + q, now);
        }
      }
      previous = current;
    }
    return overlap;
  }

  @Test
  void everyPolicyAtEveryCapacityAndTheCountsAgreeWithTheWorkload() throws IOException {
    assertEquals(POLICIES.size() * 8, rows.size());
    List<int[][][]> steps = workload();
    long accesses = 0;
    for (int[][][] step : steps) {
      for (int[][] layer : step) {
        for (int[] selection : layer) {
          accesses += selection.length;
        }
      }
    }
    // 20 layers x 1 sequence x top-128, every step
    assertEquals(STEPS * 20L * 128, accesses);
    long overlap = previousStepOverlap(steps);
    int stepEntries = 20 * 128;
    for (String c : capacities()) {
      JsonNode none = row("none", c);
      assertEquals(accesses, none.path("accesses").asLong());
      assertEquals(0, none.path("hits").asLong());
      assertEquals(accesses * 4096, none.path("hbm_bytes").asLong());
      JsonNode lru = row("token-lru", c);
      long entries = lru.path("capacity_tokens").asLong();
      assertEquals(org.dsasim.core.config.Units.parseBytes(c) / 4096, entries, c);
      assertEquals(lruHits(steps, entries), lru.path("hits").asLong(), "token-lru at " + c);
      assertEquals((accesses - lru.path("hits").asLong()) * 4096, lru.path("hbm_bytes").asLong());
      if (entries >= stepEntries) {
        // room for a whole step's top-k: prev-topk hits exactly the step-to-step overlap
        assertEquals(overlap, row("prev-topk", c).path("hits").asLong(), "prev-topk at " + c);
      }
    }
    // the paper-fitted workload reuses tokens: LRU at 8 steps' worth hits a good share
    assertTrue(row("token-lru", "80MB").path("hit_rate").asDouble() > 0.3, rows.toString());
  }

  @Test
  void beladyBoundsTheTokenGranularPoliciesAtEveryCapacity() {
    for (String c : capacities()) {
      long belady = row("belady", c).path("hits").asLong();
      // token-lru and window hold at most the capacity of entries they have gathered: Belady's
      // bound applies as is (prev-topk's bound is Belady at the capacity plus one top-k per
      // layer, and page-lru's Belady over pages: see docs/token-cache.md)
      for (String policy : List.of("none", "token-lru", "window")) {
        long hits = row(policy, c).path("hits").asLong();
        assertTrue(belady >= hits, "belady " + belady + " < " + policy + " " + hits + " at " + c);
      }
      assertTrue(row("belady", c).path("hbm_bytes").asLong()
          <= row("token-lru", c).path("hbm_bytes").asLong(), c);
    }
    long previous = -1;
    for (String c : capacities()) {
      long belady = row("belady", c).path("hits").asLong();
      assertTrue(belady >= previous, "Belady's hits grow with the capacity");
      previous = belady;
    }
    // prev-topk at C holds, while a layer gathers, its previous and its new top-q: C + q entries
    // (q = min(k, C / 20 layers)), so Belady at any size of at least C + q bounds it
    int checked = 0;
    for (String c : capacities()) {
      long entries = row("prev-topk", c).path("capacity_tokens").asLong();
      long held = entries + Math.min(128, entries / 20);
      for (String larger : capacities()) {
        if (row("belady", larger).path("capacity_tokens").asLong() >= held) {
          long hits = row("prev-topk", c).path("hits").asLong();
          long bound = row("belady", larger).path("hits").asLong();
          assertTrue(bound >= hits, "prev-topk at " + c + " hits " + hits + " > belady at "
              + larger + " " + bound);
          checked++;
          break;
        }
      }
    }
    assertEquals(capacities().size() - 1, checked, "every size but the largest has a bound");
  }

  @Test
  void theReportDrawsHitRateOverCapacityOneLinePerPolicy() throws IOException {
    Path page = reference.resolve(Report.PAGE);
    assertTrue(Files.isRegularFile(page), "sweep writes the report");
    String html = Files.readString(page);
    assertTrue(html.contains(Report.PLOTS + "/lines_hit_rate.png"), html);
    String svg = Files.readString(reference.resolve(Report.PLOTS).resolve("lines_hit_rate.svg"));
    for (String policy : POLICIES) {
      assertTrue(svg.contains("replay.policy = " + policy), policy + " has a line");
    }
    assertTrue(!html.contains("Decode-step latency CDF"), "no latency section for replays");
  }

  @Test
  void anInterruptedStudyResumesWithOnlyTheMissingPoints() throws IOException {
    Path out = dir.resolve("resumed");
    Cli.Result full = Cli.run("sweep", spec.toString(), "--out", out.toString());
    assertEquals(0, full.code(), full.err());
    // as a sweep killed before these points finished leaves it: no result for them, no table
    for (String id : List.of("p0003", "p0020", "p0047")) {
      deleteTree(out.resolve("points").resolve(id));
    }
    Files.delete(out.resolve("points.csv"));
    Files.delete(out.resolve("points.json"));
    Cli.Result refused = Cli.run("sweep", spec.toString(), "--out", out.toString());
    assertEquals(2, refused.code());
    assertTrue(refused.err().contains("rerun with --resume"), refused.err());
    Cli.Result resumed = Cli.run("sweep", spec.toString(), "--out", out.toString(), "--resume",
        "--parallel", "1");
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("48 points (3 run now, 45 already done, 0 failed)"),
        resumed.out());
    assertEquals(Files.readString(reference.resolve("points.csv")),
        Files.readString(out.resolve("points.csv")));
    assertEquals(Files.readString(reference.resolve("points").resolve("p0047")
        .resolve(DecodeRun.SUMMARY_FILE)), Files.readString(out.resolve("points")
        .resolve("p0047").resolve(DecodeRun.SUMMARY_FILE)));
  }

  private static void deleteTree(Path folder) throws IOException {
    try (java.util.stream.Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void replaySpecsAreCheckedBeforeAnyPointRuns() throws IOException {
    Path derived = dir.resolve("derived.yaml");
    Files.writeString(derived, "runner: replay\nbase: {replay.policy: token-lru}\n"
        + "axes: [{key: replay.capacity, values: [1MiB]}]\n"
        + "derive: {fastmem.llc.reservation: replay.capacity * 1}\n");
    SweepSpec spec = SweepSpec.load(derived);
    org.dsasim.core.UserInputException e = org.junit.jupiter.api.Assertions.assertThrows(
        org.dsasim.core.UserInputException.class,
        () -> new SpecPointRunnerFactory().create(spec));
    assertTrue(e.getMessage().contains("derive.fastmem.llc.reservation uses replay.capacity"),
        e.getMessage());
    SweepSpec study = SweepSpec.load(STUDY);
    e = org.junit.jupiter.api.Assertions.assertThrows(org.dsasim.core.UserInputException.class,
        () -> new DecodePointRunnerFactory().create(study));
    assertTrue(e.getMessage().contains("runner: replay; its points are not decode runs"),
        e.getMessage());
  }

  @Test
  void aCapturedTraceReplaysAsDsasimReplayCountsIt() throws IOException {
    Path trace = Path.of(System.getProperty("dsasim.repo.root"), "..", "shared", "traces",
        "captured-tinylm.npz");
    assumeTrue(Files.isReadable(trace), "the captured trace is beside the repository");
    Path captured = dir.resolve("captured.yaml");
    Files.writeString(captured, String.join("\n",
        "runner: replay",
        "base:",
        "  decode.workload: '" + trace.toAbsolutePath().normalize() + "'",
        "  model.topk: 64",
        "  sim.warmup.steps: 12",
        "  sim.stop.steps: 500",
        "axes:",
        "  - key: replay.policy",
        "    values: [token-lru, prev-topk]",
        "  - key: replay.capacity",
        "    values: [1024, 3072]",
        ""));
    Path out = dir.resolve("captured");
    Cli.Result o = Cli.run("sweep", captured.toString(), "--out", out.toString());
    assertEquals(0, o.code(), o.err());
    List<JsonNode> got = new ArrayList<>();
    new ObjectMapper().readTree(out.resolve("points.json").toFile()).forEach(got::add);
    // the same requests to dsasim replay, on the trace cut to its first 64 ranks
    Path top64 = dir.resolve("top64.dsat");
    Cli.Result cut = Cli.run("trace", "convert", trace.toString(), top64.toString(), "--topk", "64");
    assertEquals(0, cut.code(), cut.err());
    Cli.Result replay = Cli.run("replay", "--trace", top64.toString(), "--policy",
        "token-lru,prev-topk", "--capacity", "1024,3072", "--json");
    assertEquals(0, replay.code(), replay.err());
    JsonNode expected = new ObjectMapper().readTree(replay.out());
    // 6 sequences x 8 layers x top-64 x all 512 steps
    assertEquals(6L * 8 * 64 * 512, expected.path("accesses").asLong());
    for (int i = 0; i < 4; i++) {
      JsonNode want = expected.path("results").get(i);
      JsonNode point = got.get(i);
      assertEquals(want.path("policy").asText(), point.path("replay.policy").asText());
      assertEquals(want.path("capacity_tokens").asLong(), point.path("capacity_tokens").asLong());
      assertEquals(want.path("hits").asLong(), point.path("hits").asLong(), point.toString());
      assertEquals(expected.path("accesses").asLong(), point.path("accesses").asLong());
    }
  }
}
