package org.dsasim.mem.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.dsasim.core.UserInputException;
import org.junit.jupiter.api.Test;

class TokenReplayTest {
  static final TestTrace TRACE =
      TestTrace.drifting(new TokenSpace(3, 2, 16, 8, 656, 300), 40, 0.4, 11);

  private static AccessRecording recordingOf(TestTrace t) {
    AccessRecording r = new AccessRecording();
    for (long key : t.keys()) {
      r.record(key);
    }
    return r;
  }

  /** One pass through every policy gives what each policy counts alone, in the order asked. */
  @Test
  void onePassEqualsSeparateRunsOfEveryPolicy() throws IOException {
    TokenSpace space = TRACE.space;
    int[] capacities = {10, 96, 400};
    TokenReplay replay = new TokenReplay(space);
    for (int c : capacities) {
      for (String p : TokenCachePolicies.names()) {
        replay.add(p, c);
      }
      replay.add("window:hit-ratio=0.5:segment=1KiB", c);
    }
    List<ReplayResult> results = replay.run(TRACE.stream());
    long accesses = TRACE.keys().length;
    int i = 0;
    for (int c : capacities) {
      long[] expected = {
        TRACE.hits(new TokenLruPolicy(c, space)),
        TRACE.hits(new PrevTopKPolicy(c, space)),
        TRACE.hits(new PageLruPolicy(c, space.pageTokens())),
        TRACE.hits(new WindowPolicy(c, space, WindowPolicy.defaultWindow(c, space))),
        TRACE.hits(new BeladyPolicy(c, recordingOf(TRACE))),
        TRACE.hits(
            new WindowPolicy(
                c,
                space,
                new WindowPolicy.Window(0, WindowPolicy.bufferBytes(space), 0.5, 1024, 0))),
      };
      String[] names = {
        "token-lru",
        "prev-topk",
        "page-lru",
        "window",
        "belady",
        "window:hit-ratio=0.5:segment=1KiB"
      };
      for (int p = 0; p < expected.length; p++) {
        ReplayResult r = results.get(i++);
        assertEquals(names[p], r.policy());
        assertEquals(c, r.capacityTokens());
        assertEquals(accesses, r.accesses());
        assertEquals(expected[p], r.hits(), names[p] + " at " + c);
        assertEquals(accesses - expected[p], r.misses());
        long perMiss = names[p].equals("page-lru") ? space.pageTokens() : 1;
        assertEquals(r.misses() * perMiss, r.fetchedEntries());
      }
    }
    assertEquals(results.size(), i);
    // the bound holds and the proposal beats keeping the previous step only, on this trace
    assertTrue(results.get(4).hits() >= results.get(0).hits());
  }

  @Test
  void tokenLruAtOneCapacityAndAtManyAgree() throws IOException {
    List<ReplayResult> single =
        new TokenReplay(TRACE.space).add("token-lru", 96).run(TRACE.stream());
    TokenReplay many = new TokenReplay(TRACE.space);
    for (int c : new int[] {1, 96, 200, 5000}) {
      many.add("token-lru", c);
    }
    assertEquals(single.get(0), many.run(TRACE.stream()).get(1));
    assertEquals(TokenLruPolicyTest.naiveLruHits(TRACE.keys(), 96), single.get(0).hits());
  }

  @Test
  void anEmptyStreamGivesZeroes() throws IOException {
    List<ReplayResult> r =
        new TokenReplay(TRACE.space).add("belady", 5).add("token-lru", 5).run(sink -> false);
    assertEquals(new ReplayResult("belady", 5, 0, 0, 0), r.get(0));
    assertEquals(new ReplayResult("token-lru", 5, 0, 0, 0), r.get(1));
  }

  @Test
  void policyNamesAndParametersAreChecked() {
    TokenReplay replay = new TokenReplay(TRACE.space);
    UserInputException unknown = assertThrows(UserInputException.class, () -> replay.add("lru", 1));
    assertEquals(
        "unknown token-cache policy 'lru' (known: token-lru, prev-topk, page-lru, window, belady)",
        unknown.getMessage());
    UserInputException key =
        assertThrows(UserInputException.class, () -> replay.add("window:ratio=1", 1));
    assertEquals(
        "policy 'window:ratio=1': unknown parameter 'ratio' (window takes base, size, hit-ratio,"
            + " segment, seed, context)",
        key.getMessage());
    assertThrows(UserInputException.class, () -> replay.add("token-lru:page=4", 1));
    assertThrows(UserInputException.class, () -> replay.add("window:hit-ratio", 1));
    UserInputException value =
        assertThrows(
            UserInputException.class,
            () -> new TokenReplay(TRACE.space).add("window:hit-ratio=2", 1).run(sink -> false));
    assertEquals(
        "policy 'window:hit-ratio=2': hit ratio must be in [0, 1]: 2.0", value.getMessage());
    UserInputException size =
        assertThrows(
            UserInputException.class,
            () -> new TokenReplay(TRACE.space).add("window:size=lots", 1).run(sink -> false));
    assertTrue(
        size.getMessage().startsWith("policy 'window:size=lots', parameter size: "),
        size.getMessage());
    TokenSpace unknownContext = new TokenSpace(1, 1, 4, 4, 100, 0);
    UserInputException context =
        assertThrows(
            UserInputException.class,
            () -> new TokenReplay(unknownContext).add("window", 1).run(sink -> false));
    assertTrue(context.getMessage().contains("pass window:context=TOKENS"), context.getMessage());
  }

  @Test
  void windowContextParameterSetsTheBufferLayout() throws IOException {
    // 1 layer, 2 sequences of 8 tokens x 100 B: seq 1 starts at 800; a window over [800, 1600)
    TestTrace t = new TestTrace(new TokenSpace(1, 2, 2, 4, 100, 0));
    t.steps.add(new int[][][] {{{1, 2}, {1, 2}}});
    t.steps.add(new int[][][] {{{1, 2}, {1, 2}}});
    List<ReplayResult> r =
        new TokenReplay(t.space)
            .add("window:context=8:base=800:size=800:hit-ratio=1", 4)
            .run(t.stream());
    assertEquals(2, r.get(0).hits()); // seq 1's two tokens at step 1
    assertEquals("window:context=8:base=800:size=800:hit-ratio=1", r.get(0).policy());
  }
}
