package org.dsasim.mem.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenLruPolicyTest {
  static final int[] CAPACITIES = {0, 1, 2, 3, 7, 16, 31, 64, 100, 257, 1000};

  /** LRU by the book: resident keys in a list, most recently used first. */
  static long naiveLruHits(long[] keys, int capacity) {
    List<Long> stack = new ArrayList<>();
    long hits = 0;
    for (long key : keys) {
      int at = stack.indexOf(key);
      if (at >= 0) {
        hits++;
        stack.remove(at);
      }
      if (capacity > 0) {
        stack.add(0, key);
        if (stack.size() > capacity) {
          stack.remove(stack.size() - 1);
        }
      }
    }
    return hits;
  }

  static List<TestTrace> traces() {
    return List.of(
        TestTrace.random(new TokenSpace(2, 3, 16, 64, 656, 80), 30, 1),
        TestTrace.drifting(new TokenSpace(3, 2, 24, 64, 656, 400), 40, 0.5, 2),
        TestTrace.repeated(5, 20),
        TestTrace.alternating(20, 3, 30),
        TestTrace.alternating(70, 2, 20));
  }

  /**
   * The same, whether entries are found through the direct array (context known), the hash map
   * (context unknown), or both (tokens beyond a too-short context).
   */
  @Test
  void hitsEqualTheTextbookLruOnRandomAndAdversarialTraces() {
    for (TestTrace trace : traces()) {
      long[] keys = trace.keys();
      TokenSpace s = trace.space;
      for (int context : new int[] {s.contextTokens(), 0, s.contextTokens() / 2}) {
        TokenSpace space =
            new TokenSpace(s.layers(), s.seqs(), s.topk(), s.pageTokens(), s.entryBytes(), context);
        for (int c : CAPACITIES) {
          assertEquals(
              naiveLruHits(keys, c),
              trace.hits(new TokenLruPolicy(c, space)),
              "context " + context + ", capacity " + c);
        }
      }
    }
  }

  /** A cyclic sweep over capacity + 1 entries always evicts the next entry: no hit at all. */
  @Test
  void cyclicSweepOfCapacityPlusOneNeverHits() {
    for (int c : new int[] {1, 2, 5, 64, 300}) {
      TestTrace sweep = TestTrace.cyclic(c + 1, 7, 200);
      assertEquals(0, trace(sweep, c));
      assertEquals(naiveLruHits(sweep.keys(), c), 0);
      // one more entry of capacity and every access after the first lap hits
      assertEquals(7 * 200 - (c + 1), trace(sweep, c + 1));
    }
  }

  private static long trace(TestTrace t, int capacity) {
    return t.hits(new TokenLruPolicy(capacity, t.space));
  }

  @Test
  void theSetNeverHoldsMoreThanItsCapacity() {
    for (int capacity : new int[] {0, 1, 5, 1500}) {
      LongLruSet set = new LongLruSet(capacity);
      for (int i = 0; i < 3000; i++) {
        set.access(i % 2000);
        assertEquals(Math.min(capacity, Math.min(i + 1, 2000)), set.size());
      }
    }
  }

  @Test
  void sameTokenOfDifferentLayersOrSequencesAreDifferentEntries() {
    TokenLruPolicy lru = new TokenLruPolicy(2, new TokenSpace(2, 2, 1, 64, 656, 8));
    assertEquals(false, lru.access(0, 0, 5));
    assertEquals(false, lru.access(0, 1, 5));
    assertEquals(false, lru.access(1, 0, 5)); // evicts (0, 0, 5)
    assertEquals(true, lru.access(0, 1, 5));
    assertEquals(false, lru.access(0, 0, 5));
    assertEquals(2, lru.capacityTokens());
    assertEquals(1, lru.entriesPerMiss());
  }
}
