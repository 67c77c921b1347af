package org.dsasim.mem.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BeladyPolicyTest {
  static long belady(TestTrace trace, int capacity) {
    AccessRecording future = new AccessRecording();
    for (long key : trace.keys()) {
      future.record(key);
    }
    return trace.hits(new BeladyPolicy(capacity, future));
  }

  @Test
  void cyclicThreeTokensInTwoEntries() {
    // a b c a b c a b c, capacity 2, next uses: a 3,6,- b 4,7,- c 5,8,-
    // 0 a miss, insert {a:3}        1 b miss, insert {a:3 b:4}
    // 2 c miss, next 5 > 4 = furthest resident: bypass
    // 3 a hit {a:6 b:4}   4 b hit {a:6 b:7}   5 c miss, next 8 > 7: bypass
    // 6 a hit   7 b hit   8 c miss (never used again): 4 hits. LRU hits none of them.
    TestTrace t = new TestTrace(TestTrace.single(9, 3)).step(0, 1, 2, 0, 1, 2, 0, 1, 2);
    assertEquals(4, belady(t, 2));
    assertEquals(0, t.hits(new TokenLruPolicy(2, t.space)));
  }

  @Test
  void textbookReferenceStringInThreeEntries() {
    // 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1 (Silberschatz's example), capacity 3:
    //  0 7 miss {7}  1 0 miss {7 0}  2 1 miss {7 0 1}
    //  3 2 miss: 7 next at 17 is furthest -> {0 1 2}   4 0 hit
    //  5 3 miss: 1 next at 13 furthest (2 at 8, 0 at 6, 3 at 9) -> {0 2 3}   6 0 hit
    //  7 4 miss, never used again: bypass   8 2 hit   9 3 hit   10 0 hit   11 3 hit   12 2 hit
    // 13 1 miss: 3 never used again -> {0 2 1}   14 2 hit   15 0 hit   16 1 hit
    // 17 7 miss, never again: bypass   18 0 hit   19 1 hit
    // hits: 4 6 8 9 10 11 12 14 15 16 18 19 = 12 (the textbook's OPT without bypass faults 9 times)
    TestTrace t =
        new TestTrace(TestTrace.single(20, 8))
            .step(7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1);
    assertEquals(12, belady(t, 3));
  }

  @Test
  void stepsLayersAndSequencesAreSeparateEntries() {
    // two steps, one layer, two sequences, capacity 2; replay order per step: seq 0 then seq 1
    // step 0: s0 [1 2]  s1 [1]      step 1: s0 [2 1]  s1 [1]
    // keys in order: (0,1) (0,2) (1,1) | (0,2) (0,1) (1,1)
    // next uses:        4     3     5      -      -     -
    // 0 (0,1) miss {(0,1):4}   1 (0,2) miss {(0,1):4 (0,2):3}
    // 2 (1,1) miss, next 5 > 4: bypass   3 (0,2) hit   4 (0,1) hit   5 (1,1) miss: 2 hits
    TestTrace t = new TestTrace(new TokenSpace(1, 2, 2, 64, 656, 4));
    t.steps.add(new int[][][] {{{1, 2}, {1}}});
    t.steps.add(new int[][][] {{{2, 1}, {1}}});
    assertEquals(2, belady(t, 2));
    assertEquals(3, belady(t, 3));
    assertEquals(0, belady(t, 0));
  }

  /** The largest hit count any demand cache of the capacity can reach, by exhaustive search. */
  static long bruteForceOptimum(long[] keys, int capacity) {
    Map<Long, Integer> ids = new HashMap<>();
    int[] seq = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      seq[i] = ids.computeIfAbsent(keys[i], k -> ids.size());
    }
    Map<Long, Long> memo = new HashMap<>();
    return best(seq, 0, 0, capacity, memo);
  }

  /** Max hits from access {@code pos} on with the cache holding the ids in {@code cached}. */
  private static long best(int[] seq, int pos, int cached, int capacity, Map<Long, Long> memo) {
    if (pos == seq.length) {
      return 0;
    }
    long state = ((long) pos << 32) | cached;
    Long known = memo.get(state);
    if (known != null) {
      return known;
    }
    int bit = 1 << seq[pos];
    long result;
    if ((cached & bit) != 0) {
      result = 1 + best(seq, pos + 1, cached, capacity, memo);
    } else {
      result = best(seq, pos + 1, cached, capacity, memo); // do not insert
      if (Integer.bitCount(cached) < capacity) {
        result = Math.max(result, best(seq, pos + 1, cached | bit, capacity, memo));
      } else {
        for (int rest = cached; rest != 0; rest &= rest - 1) {
          int victim = rest & -rest;
          result = Math.max(result, best(seq, pos + 1, (cached & ~victim) | bit, capacity, memo));
        }
      }
    }
    memo.put(state, result);
    return result;
  }

  @Test
  void equalsTheExhaustiveOptimumOnSmallRandomTraces() {
    SplittableRandom rnd = new SplittableRandom(5);
    for (int trial = 0; trial < 150; trial++) {
      int universe = 2 + rnd.nextInt(7);
      int length = 4 + rnd.nextInt(14);
      int[] tokens = rnd.ints(length, 0, universe).toArray();
      TestTrace t = new TestTrace(TestTrace.single(length, universe)).step(tokens);
      for (int c = 0; c <= universe; c++) {
        assertEquals(
            bruteForceOptimum(t.keys(), c), belady(t, c), "trial " + trial + " capacity " + c);
      }
    }
  }

  static List<TestTrace> traces() {
    List<TestTrace> traces = new ArrayList<>(TokenLruPolicyTest.traces());
    traces.add(TestTrace.random(new TokenSpace(2, 2, 12, 64, 656, 300), 40, 3));
    traces.add(TestTrace.drifting(new TokenSpace(2, 3, 16, 16, 656, 600), 60, 0.3, 4));
    traces.add(TestTrace.cyclic(33, 8, 60));
    traces.add(TestTrace.cyclic(200, 13, 40));
    return traces;
  }

  /**
   * No policy beats the bound that applies to it: belady at the same capacity for the
   * token-granular ones, belady at C + q for prev-topk (double-buffered while a selection is
   * gathered), belady over pages for page-lru (a page miss brings the page's other tokens).
   */
  @Test
  void noPolicyBeatsItsBeladyBound() {
    for (TestTrace trace : traces()) {
      TokenSpace space = trace.space;
      for (int c : new int[] {0, 1, 4, 16, 33, 64, 128, 300, 1000}) {
        long bound = belady(trace, c);
        assertTrue(bound >= trace.hits(new TokenLruPolicy(c, trace.space)), "token-lru at " + c);
        long bufferTokens = WindowPolicy.bufferBytes(space) / space.entryBytes();
        for (double hitRatio : new double[] {0.3, 1.0}) {
          for (long segment : new long[] {128, 4096}) {
            var window =
                new WindowPolicy.Window(0, bufferTokens * space.entryBytes(), hitRatio, segment, 1);
            long hits = trace.hits(new WindowPolicy(c, space, window));
            assertTrue(bound >= hits, "window " + window + " at " + c);
          }
        }
        PrevTopKPolicy prev = new PrevTopKPolicy(c, space);
        long prevHits = trace.hits(prev);
        assertTrue(belady(trace, c + prev.quota()) >= prevHits, "prev-topk at " + c);
        for (int page : new int[] {4, 16}) {
          long pageHits = trace.hits(new PageLruPolicy(c, page));
          assertTrue(
              belady(trace.pages(page), c / page) >= pageHits, "page-lru " + page + " at " + c);
        }
      }
    }
  }

  /** Why prev-topk's bound is belady at C + q: at C it can win, holding both selections. */
  @Test
  void prevTopKHoldsTwoSelectionsWhileGathering() {
    // capacity 2, q = 2; steps [a b] [c d a b] [c d]: prev-topk hits a b at step 1 (kept from
    // step 0) and c d at step 2 (the first two of step 1) = 4. Two entries can serve only one
    // pair across step 1: belady at 2 hits 2, at 2 + q = 4 hits 4.
    TestTrace t = new TestTrace(TestTrace.single(4, 8)).step(0, 1).step(2, 3, 0, 1).step(2, 3);
    assertEquals(4, t.hits(new PrevTopKPolicy(2, t.space)));
    assertEquals(2, belady(t, 2));
    assertEquals(4, belady(t, 4));
  }

  /** A page-granular cache hits first touches of tokens of a fetched page; token belady cannot. */
  @Test
  void pageLruCanExceedTheTokenGranularBound() {
    TestTrace t = new TestTrace(TestTrace.single(8, 8)).step(0, 1, 2, 3, 4, 5, 6, 7);
    assertEquals(6, t.hits(new PageLruPolicy(8, 4))); // two 4-token pages: 2 misses, 6 hits
    assertEquals(0, belady(t, 8));
  }

  @Test
  void rejectsAStreamOtherThanTheRecordedOne() {
    AccessRecording future = new AccessRecording();
    future.record(TokenSpace.key(0, 0, 1));
    BeladyPolicy belady = new BeladyPolicy(1, future);
    assertThrows(IllegalStateException.class, () -> belady.access(0, 0, 2));
  }
}
