package org.dsasim.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsasim.app.run.TraceReplay;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The replay command over in-memory traces (the file path is not opened). */
class ReplayCommandTest {
  /** A trace held in memory: steps.get(t)[layer][seq] is a selection. */
  static final class MemorySource implements TraceSource {
    final TraceHeader header;
    final List<int[][][]> steps;
    final int contextBase;
    int next;
    boolean closed;

    /** Context lengths prompt + step, as readers define them. */
    MemorySource(TraceHeader header, List<int[][][]> steps) {
      this(header, steps, header.promptLen());
    }

    MemorySource(TraceHeader header, List<int[][][]> steps, int contextBase) {
      this.header = header;
      this.steps = steps;
      this.contextBase = contextBase;
    }

    @Override
    public TraceHeader header() {
      return header;
    }

    @Override
    public boolean next(StepSelection into) {
      if (next == steps.size()) {
        return false;
      }
      int[][][] step = steps.get(next);
      into.setStep(next);
      for (int s = 0; s < header.seqs(); s++) {
        into.setContextLen(s, contextBase + next);
      }
      next++;
      for (int l = 0; l < step.length; l++) {
        for (int s = 0; s < step[l].length; s++) {
          into.set(l, s, step[l][s], 0, step[l][s].length);
        }
      }
      return true;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static TraceHeader header(int layers, int seqs, int topk, int entryBytes, int prompt, int steps) {
    return new TraceHeader("test", layers, seqs, topk, entryBytes, 0, 16, prompt, steps, Map.of());
  }

  /** Random selections of distinct tokens below the context, which grows by one per step. */
  static List<int[][][]> randomSteps(TraceHeader h, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<int[][][]> steps = new ArrayList<>();
    for (int t = 0; t < h.steps(); t++) {
      int[][][] step = new int[h.layers()][h.seqs()][];
      for (int l = 0; l < h.layers(); l++) {
        for (int s = 0; s < h.seqs(); s++) {
          // a hot window of recent tokens plus a few anywhere, so that there is reuse
          int context = h.promptLen() + t;
          step[l][s] =
              rnd.ints(0, context)
                  .map(x -> rnd.nextInt(3) == 0 ? x : context - 1 - x % 40)
                  .distinct()
                  .limit(h.topk())
                  .toArray();
        }
      }
      steps.add(step);
    }
    return steps;
  }

  record Run(int status, String out, String err) {}

  static Run run(MemorySource source, String... args) {
    CommandLine cli = Main.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    ReplayCommand replay = cli.getSubcommands().get("replay").getCommand();
    replay.opener = path -> source;
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  /** Token LRU by the book over the gathers in replay order. */
  static long naiveLruHits(List<int[][][]> steps, int capacity) {
    List<String> stack = new ArrayList<>();
    long hits = 0;
    for (int[][][] step : steps) {
      for (int l = 0; l < step.length; l++) {
        for (int s = 0; s < step[l].length; s++) {
          for (int token : step[l][s]) {
            String key = s + "/" + l + "/" + token;
            if (stack.remove(key)) {
              hits++;
            }
            stack.add(0, key);
            if (stack.size() > capacity) {
              stack.remove(stack.size() - 1);
            }
          }
        }
      }
    }
    return hits;
  }

  @Test
  void jsonHasOneResultPerPolicyAndCapacityWithSizesConvertedByEntryBytes() throws IOException {
    TraceHeader h = header(2, 3, 8, 656, 60, 25);
    List<int[][][]> steps = randomSteps(h, 1);
    MemorySource source = new MemorySource(h, steps);
    Run r =
        run(
            source,
            "replay",
            "--trace",
            "in-memory.dsat",
            "--policy",
            "token-lru,belady",
            "--capacity",
            "40,64KiB",
            "--json");
    assertEquals(0, r.status(), r.err());
    assertTrue(source.closed);
    JsonNode doc = new ObjectMapper().readTree(r.out());
    long accesses = 25 * 2 * 3 * 8;
    assertEquals(accesses, doc.get("accesses").asLong());
    Iterator<String> fields = doc.fieldNames();
    assertEquals("accesses", fields.next());
    assertEquals("results", fields.next());
    JsonNode results = doc.get("results");
    assertEquals(4, results.size());
    int kib64 = 65536 / 656; // 99 entries
    String[] policies = {"token-lru", "token-lru", "belady", "belady"};
    int[] capacities = {40, kib64, 40, kib64};
    for (int i = 0; i < 4; i++) {
      JsonNode row = results.get(i);
      Iterator<String> keys = row.fieldNames();
      for (String key : List.of("policy", "capacity_tokens", "hits", "misses")) {
        assertEquals(key, keys.next());
      }
      assertEquals(policies[i], row.get("policy").asText());
      assertEquals(capacities[i], row.get("capacity_tokens").asInt());
      assertEquals(accesses, row.get("hits").asLong() + row.get("misses").asLong());
    }
    assertEquals(naiveLruHits(steps, 40), results.get(0).get("hits").asLong());
    assertEquals(naiveLruHits(steps, kib64), results.get(1).get("hits").asLong());
    assertTrue(results.get(2).get("hits").asLong() >= results.get(0).get("hits").asLong());
    assertTrue(results.get(3).get("hits").asLong() >= results.get(1).get("hits").asLong());
  }

  @Test
  void defaultsAreEveryPolicyAtOneTwoFourAndEightStepsWorth() throws IOException {
    TraceHeader h = header(2, 2, 4, 100, 30, 12);
    Run r = run(new MemorySource(h, randomSteps(h, 2)), "replay", "--trace", "t.npz", "--json");
    assertEquals(0, r.status(), r.err());
    JsonNode results = new ObjectMapper().readTree(r.out()).get("results");
    List<String> names = List.of("token-lru", "prev-topk", "page-lru", "window", "belady");
    assertEquals(names.size() * 4, results.size());
    for (int i = 0; i < results.size(); i++) {
      assertEquals(names.get(i / 4), results.get(i).get("policy").asText());
      assertEquals(
          16 * ReplayCommand.DEFAULT_CAPACITY_STEPS[i % 4],
          results.get(i).get("capacity_tokens").asInt());
    }
  }

  @Test
  void tableNamesTheTraceAndListsEveryResult() {
    TraceHeader h = header(1, 2, 4, 656, 20, 5);
    Run r =
        run(
            new MemorySource(h, randomSteps(h, 3)),
            "replay",
            "--trace",
            "small.dsat",
            "--policy",
            "token-lru,window:hit-ratio=1",
            "--capacity",
            "8");
    assertEquals(0, r.status(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals("small.dsat: 1 layers x 2 sequences x top-4, 656-B entries; 40 gathers", lines[0]);
    assertTrue(lines[2].startsWith("policy "), lines[2]);
    assertTrue(lines[3].startsWith("token-lru "), lines[3]);
    assertTrue(lines[4].startsWith("window:hit-ratio=1 "), lines[4]);
    assertEquals(5, lines.length);
  }

  @Test
  void userMistakesExitTwoWithOneLine() {
    TraceHeader h = header(1, 1, 2, 656, 10, 2);
    List<int[][][]> steps = List.of(new int[][][] {{{1, 2}}}, new int[][][] {{{2, -1}}});
    Run capacity =
        run(new MemorySource(h, steps), "replay", "--trace", "x.dsat", "--capacity", "12XB");
    assertEquals(2, capacity.status());
    assertEquals(
        "dsasim: --capacity '12XB': expected a number of token entries (e.g. 32768) or a size (e.g."
            + " 20MiB)\n",
        capacity.err());
    Run policy = run(new MemorySource(h, steps), "replay", "--trace", "x.dsat", "--policy", "lru");
    assertEquals(2, policy.status());
    assertTrue(policy.err().startsWith("dsasim: unknown token-cache policy 'lru'"), policy.err());
    Run token = run(new MemorySource(h, steps), "replay", "--trace", "x.dsat", "--capacity", "4");
    assertEquals(2, token.status());
    assertEquals(
        "dsasim: x.dsat: step 1, layer 0, sequence 0: negative token index -1\n", token.err());
    Run missing = run(new MemorySource(h, steps), "replay");
    assertEquals(2, missing.status());
    assertTrue(missing.err().contains("--trace"), missing.err());
  }

  @Test
  void theKvBufferHoldsTheContextOfTheLastStep() throws IOException {
    TraceHeader known = header(2, 3, 4, 656, 100, 20);
    StepSelection first = StepSelection.forHeader(known);
    assertEquals(120, TraceReplay.spaceOf(known, first).contextTokens());
    // no prompt length: the first step's context (50), or its largest index + 1 (61), + 19 steps
    TraceHeader noPrompt = header(2, 3, 4, 656, 0, 20);
    List<int[][][]> steps = new ArrayList<>();
    for (int t = 0; t < 20; t++) {
      steps.add(new int[][][] {{{1}, {2}, {3}}, {{4}, {5}, {t == 0 ? 60 : 6}}});
    }
    new MemorySource(noPrompt, steps, 50).next(first);
    assertEquals(80, TraceReplay.spaceOf(noPrompt, first).contextTokens());
    new MemorySource(noPrompt, steps, 70).next(first);
    assertEquals(89, TraceReplay.spaceOf(noPrompt, first).contextTokens());
    // an empty trace replays to zero accesses
    Run empty = run(new MemorySource(noPrompt, List.of()), "replay", "--trace", "e", "--json");
    assertEquals(0, empty.status(), empty.err());
    JsonNode doc = new ObjectMapper().readTree(empty.out());
    assertEquals(0, doc.get("accesses").asLong());
    assertEquals(20, doc.get("results").size());
  }

  @Test
  void withoutAStepCountTheDefaultsLeaveOutTheWindowAndSayWhy() throws IOException {
    TraceHeader unknownSteps = header(1, 2, 4, 656, 100, -1);
    List<int[][][]> steps = randomSteps(header(1, 2, 4, 656, 100, 6), 4);
    StepSelection first = StepSelection.forHeader(unknownSteps);
    new MemorySource(unknownSteps, steps).next(first);
    assertEquals(0, TraceReplay.spaceOf(unknownSteps, first).contextTokens());
    Run r = run(new MemorySource(unknownSteps, steps), "replay", "--trace", "s.dsat", "--json");
    assertEquals(0, r.status(), r.err());
    assertTrue(
        r.err().startsWith("dsasim: window left out: the trace gives no step count"), r.err());
    JsonNode results = new ObjectMapper().readTree(r.out()).get("results");
    assertEquals(4 * 4, results.size());
    Run asked =
        run(
            new MemorySource(unknownSteps, steps),
            "replay",
            "--trace",
            "s.dsat",
            "--policy",
            "window:context=106",
            "--json");
    assertEquals(0, asked.status(), asked.err());
    assertEquals("", asked.err());
  }

  @Test
  void helpListsTheRegisteredPolicies() {
    Run r = run(null, "replay", "--help");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("  token-lru  LRU over token entries"), r.out());
    assertTrue(r.out().contains("  window     persisting-L2 access-policy window"), r.out());
    assertTrue(
        r.out().contains("parameters: base, size, hit-ratio, segment, seed, context"), r.out());
  }

  @Test
  void capacityParsing() {
    // 20971520 / 656 = 31968.8
    assertEquals(31_968, TraceReplay.parseCapacity("20MiB", 656, "--capacity"));
    assertEquals(32_768, TraceReplay.parseCapacity("32768", 656, "--capacity"));
    assertEquals(1, TraceReplay.parseCapacity("1000B", 656, "--capacity"));
    assertEquals(0, TraceReplay.parseCapacity("0", 656, "--capacity"));
  }
}
