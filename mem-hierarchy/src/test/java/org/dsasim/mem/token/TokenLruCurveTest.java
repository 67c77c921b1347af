package org.dsasim.mem.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenLruCurveTest {
  /**
   * The one-pass curve equals separate token-lru runs at every capacity, 0 to past the footprint.
   */
  @Test
  void oneReplayGivesEveryCapacityExactly() throws IOException {
    List<TestTrace> traces =
        List.of(
            TestTrace.random(new TokenSpace(2, 3, 16, 64, 656, 80), 30, 1),
            TestTrace.drifting(new TokenSpace(2, 2, 12, 64, 656, 150), 30, 0.5, 2),
            TestTrace.repeated(5, 20),
            TestTrace.alternating(20, 3, 30),
            TestTrace.cyclic(40, 7, 30));
    for (TestTrace trace : traces) {
      long distinct = java.util.Arrays.stream(trace.keys()).distinct().count();
      TokenReplay replay = new TokenReplay(trace.space);
      for (int c = 0; c <= distinct + 2; c++) {
        replay.add("token-lru", c);
      }
      List<ReplayResult> curve = replay.run(trace.stream());
      for (int c = 0; c <= distinct + 2; c++) {
        ReplayResult r = curve.get(c);
        assertEquals(c, r.capacityTokens());
        assertEquals(trace.hits(new TokenLruPolicy(c, trace.space)), r.hits(), "capacity " + c);
        assertEquals(trace.keys().length, r.accesses());
      }
    }
  }

  /** Also when entries are hashed (context unknown) or partly beyond the context. */
  @Test
  void curveObjectAnswersAnyCapacity() {
    TestTrace trace = TestTrace.drifting(new TokenSpace(2, 2, 32, 64, 656, 500), 25, 0.4, 9);
    for (int context : new int[] {500, 0, 250}) {
      TokenLruCurve curve = new TokenLruCurve(new TokenSpace(2, 2, 32, 64, 656, context));
      for (long key : trace.keys()) {
        curve.access(TokenSpace.seqOf(key), TokenSpace.layerOf(key), TokenSpace.tokenOf(key));
      }
      for (int c : TokenLruPolicyTest.CAPACITIES) {
        assertEquals(
            TokenLruPolicyTest.naiveLruHits(trace.keys(), c), curve.hits(c), "capacity " + c);
      }
      assertEquals(trace.keys().length, curve.accesses());
    }
  }
}
