package org.dsasim.mem.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrevTopKPolicyTest {
  @Test
  void hitsOnlyWhatThePreviousStepSelected() {
    // capacity 4, one (layer, seq), k = 4: q = 4
    // step 0 [1 2 3 4]: no previous step, 0 hits
    // step 1 [2 5 1 6]: 2 and 1 were selected at step 0: 2 hits
    // step 2 [1 3 5 7]: 1 and 5 were selected at step 1; 3 only at step 0, so a miss: 2 hits
    TestTrace t =
        new TestTrace(TestTrace.single(4, 16)).step(1, 2, 3, 4).step(2, 5, 1, 6).step(1, 3, 5, 7);
    assertEquals(4, t.hits(new PrevTopKPolicy(4, t.space)));
  }

  @Test
  void aSmallCapacityKeepsTheBestRankedOfThePreviousSelection() {
    // capacity 2: q = 2, the first two tokens of each selection
    // step 0 [1 2 3 4] keeps {1 2}
    // step 1 [2 5 1 6]: 2 and 1 hit (2 hits); keeps {2 5}
    // step 2 [1 3 5 7]: only 5 hits (1 was selected at step 1 but ranked third): 1 hit
    TestTrace t =
        new TestTrace(TestTrace.single(4, 16)).step(1, 2, 3, 4).step(2, 5, 1, 6).step(1, 3, 5, 7);
    PrevTopKPolicy prev = new PrevTopKPolicy(2, t.space);
    assertEquals(2, prev.quota());
    assertEquals(3, t.hits(prev));
  }

  @Test
  void quotaCountsDistinctTokensAndDuplicatesHitAlike() {
    // q = 2. step 0 [1 1 2]: keeps {1 2} (the repeated 1 takes one place)
    // step 1 [2 2 3]: both gathers of 2 hit, 3 misses: 2 hits; keeps {2 3}
    // step 2 [3]: 1 hit
    TestTrace t = new TestTrace(TestTrace.single(3, 8)).step(1, 1, 2).step(2, 2, 3).step(3);
    assertEquals(3, t.hits(new PrevTopKPolicy(2, t.space)));
  }

  @Test
  void eachLayerAndSequenceKeepsItsOwnSelection() {
    // two layers, one sequence, capacity 2: q = 1 per layer
    // step 0: layer 0 [7], layer 1 [9]
    // step 1: layer 0 [9] misses (9 was layer 1's), layer 1 [9] hits: 1 hit
    TestTrace t = new TestTrace(new TokenSpace(2, 1, 1, 64, 656, 16));
    t.steps.add(new int[][][] {{{7}}, {{9}}});
    t.steps.add(new int[][][] {{{9}}, {{9}}});
    assertEquals(1, t.hits(new PrevTopKPolicy(2, t.space)));
    assertEquals(0, t.hits(new PrevTopKPolicy(1, t.space))); // q = 0: nothing kept
  }

  @Test
  void capacityBeyondTheWholeTopKKeepsTheWholeTopK() {
    TestTrace t = TestTrace.drifting(new TokenSpace(2, 2, 8, 64, 656, 100), 30, 0.5, 3);
    PrevTopKPolicy full = new PrevTopKPolicy(2 * 2 * 8, t.space);
    PrevTopKPolicy more = new PrevTopKPolicy(1_000_000, t.space);
    assertEquals(8, more.quota());
    assertEquals(t.hits(full), t.hits(more));
    // and equals the overlap of consecutive selections, counted directly
    long overlap = 0;
    for (int step = 1; step < t.steps.size(); step++) {
      for (int l = 0; l < 2; l++) {
        for (int s = 0; s < 2; s++) {
          for (int token : t.steps.get(step)[l][s]) {
            for (int before : t.steps.get(step - 1)[l][s]) {
              if (token == before) {
                overlap++;
              }
            }
          }
        }
      }
    }
    assertEquals(overlap, t.hits(new PrevTopKPolicy(32, t.space)));
  }
}
