package org.dsasim.workloads.analyze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsasim.core.UserInputException;
import org.dsasim.workloads.testing.ArrayTrace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceAnalyzerTest {
  private static final double EPS = 1e-12;

  private static TraceStatistics analyze(ArrayTrace trace) throws IOException {
    return TraceAnalyzer.analyze(trace, true);
  }

  /**
   * Two layers, one sequence, k = 4, four steps; layer 0 selects nothing at step 2. Every number
   * below was worked out by hand from the definitions.
   */
  private static ArrayTrace handBuilt() {
    int[][][][] sel = {
      {{{1, 2, 3, 4}}, {{1, 2, 9, 10}}},
      {{{1, 2, 5, 6}}, {{1, 5, 6, 11}}},
      {{{}}, {{1, 5, 6, 11}}},
      {{{1, 5, 70, 200}}, {{20}}},
    };
    return ArrayTrace.of(4, 256, sel);
  }

  @Test
  void handBuiltNewFraction() throws IOException {
    TraceStatistics st = analyze(handBuilt());
    // layer 0: t1 {5,6} new of 4 = 0.5; t2 empty, skipped; t3 after an empty step: all new = 1
    // layer 1: t1 {5,6,11} = 0.75; t2 nothing new = 0; t3 {20} of 1 = 1
    assertEquals(0.75, st.layers().get(0).mean(Metric.NEW_FRACTION), EPS);
    assertEquals(1.75 / 3, st.layers().get(1).mean(Metric.NEW_FRACTION), EPS);
    // pooled over the five samples, not the mean of the two layer means (0.6667)
    assertEquals(3.25 / 5, st.overall().mean(Metric.NEW_FRACTION), EPS);
    // layer 1 sorted 0, 0.75, 1: rank 0.95 * 2 = 1.9 -> 0.75 + 0.9 * 0.25
    assertEquals(0.975, st.layers().get(1).summary(Metric.NEW_FRACTION).p95(), EPS);
    assertEquals(5, st.overall().summary(Metric.NEW_FRACTION).count());
  }

  @Test
  void handBuiltPersistence() throws IOException {
    TraceStatistics st = analyze(handBuilt());
    // layer 0 runs: 1 -> 2 and 1 (broken by the empty step), 2 -> 2, 3, 4, 6 -> 1,
    // 5 -> 1 and 1, 70, 200 -> 1 (cut by the last step): 12 token-steps in 10 runs
    assertEquals(1.2, st.layers().get(0).mean(Metric.PERSISTENCE), EPS);
    assertEquals(10, st.layers().get(0).summary(Metric.PERSISTENCE).count());
    // layer 1 runs: 1 -> 3, 5, 6, 11 -> 2, 2, 9, 10, 20 -> 1: 13 token-steps in 8 runs
    assertEquals(13.0 / 8, st.layers().get(1).mean(Metric.PERSISTENCE), EPS);
    assertEquals(25.0 / 18, st.overall().mean(Metric.PERSISTENCE), EPS);
  }

  @Test
  void handBuiltReselectionDistance() throws IOException {
    TraceStatistics st = analyze(handBuilt());
    // layer 0: t1 tokens 1, 2 -> 1, 1; t3 tokens 1, 5 last selected at t1 -> 2, 2
    CountHistogram l0 = st.layers().get(0).histogram(Metric.RESELECTION_DISTANCE);
    assertEquals(2, l0.count(1));
    assertEquals(2, l0.count(2));
    assertEquals(1.5, st.layers().get(0).mean(Metric.RESELECTION_DISTANCE), EPS);
    // layer 1: t1 token 1, t2 tokens 1, 5, 6, 11 -> five distances of 1
    assertEquals(1.0, st.layers().get(1).mean(Metric.RESELECTION_DISTANCE), EPS);
    assertEquals(11.0 / 9, st.overall().mean(Metric.RESELECTION_DISTANCE), EPS);
  }

  @Test
  void handBuiltOverlapAndPages() throws IOException {
    TraceStatistics st = analyze(handBuilt());
    // pair (0, 1): t0 {1,2} = 0.5, t1 {1,5,6} = 0.75, t2 skipped (layer 0 empty), t3 none = 0
    assertEquals(1.25 / 3, st.layers().get(0).mean(Metric.INTER_LAYER_OVERLAP), EPS);
    assertEquals(0, st.layers().get(1).summary(Metric.INTER_LAYER_OVERLAP).count());
    assertTrue(Double.isNaN(st.layers().get(1).mean(Metric.INTER_LAYER_OVERLAP)));
    assertEquals(1.25 / 3, st.overall().mean(Metric.INTER_LAYER_OVERLAP), EPS);
    // layer 0: t0, t1 one page each = 4/64; t3 {1,5} page 0, 70 page 1, 200 page 3 = 4/192
    assertEquals((1 / 16.0 + 1 / 16.0 + 1 / 48.0) / 3,
        st.layers().get(0).mean(Metric.PAGE_UTILIZATION_64), EPS);
    // layer 1: three steps of 4 tokens in page 0, then {20} = 1/64
    assertEquals((3 / 16.0 + 1 / 64.0) / 4,
        st.layers().get(1).mean(Metric.PAGE_UTILIZATION_64), EPS);
    // four steps: no complete 50-step window
    assertEquals(0, st.overall().summary(Metric.WORKING_SET_50).count());
  }

  @Test
  void workingSetWindowsIgnoreThePartialOneAndEmptyWindows() throws IOException {
    int steps = 120;
    int[][][][] sel = new int[steps][1][2][];
    for (int t = 0; t < steps; t++) {
      sel[t][0][0] = new int[] {t, t + 1};
      // sequence 1 selects only in the first window, and not at all in the second
      sel[t][0][1] = t < 50 ? new int[] {7, 8} : new int[0];
    }
    TraceStatistics st = analyze(ArrayTrace.of(2, 1000, sel));
    DoubleSamples ws = st.layers().get(0).samples(Metric.WORKING_SET_50);
    // sequence 0: windows 0..49 and 50..99 each touch 51 tokens = 25.5 x k; steps 100..119 are a
    // partial window; sequence 1: window 0 touches {7, 8} = 1 x k, window 1 selects nothing
    assertEquals(3, ws.size());
    assertEquals((25.5 + 25.5 + 1) / 3, ws.summary().mean(), EPS);
    double[] sorted = ws.sortedValues();
    assertEquals(1.0, sorted[0], EPS);
    assertEquals(25.5, sorted[2], EPS);
    // population standard deviation of {1, 25.5, 25.5}
    double mean = 52.0 / 3;
    double var = ((1 - mean) * (1 - mean) + 2 * (25.5 - mean) * (25.5 - mean)) / 3;
    assertEquals(Math.sqrt(var), ws.summary().std(), EPS);
  }

  @Test
  void reuseProfileByHand() throws IOException {
    // accesses 1, 2 | 2, 3 | 1, 2: distances cold, cold, 1, cold, 3 (2 and 3 since), 3 (3, 1)
    int[][][][] sel = {{{{1, 2}}}, {{{2, 3}}}, {{{1, 2}}}};
    ReuseProfile reuse = analyze(ArrayTrace.of(2, 64, sel)).reuse();
    assertEquals(6, reuse.accesses());
    assertEquals(3, reuse.cold());
    assertEquals(1, reuse.distanceCounts()[1]);
    assertEquals(0, reuse.distanceCounts()[2]);
    assertEquals(2, reuse.distanceCounts()[3]);
    assertEquals(5.0 / 6, reuse.missRatio(1), EPS);
    assertEquals(5.0 / 6, reuse.missRatio(2), EPS);
    assertEquals(0.5, reuse.missRatio(3), EPS);
    assertEquals(0.5, reuse.missRatio(1000), EPS);
  }

  @Test
  void perLayerReuseProfileByHand() throws IOException {
    // layer 0 of handBuilt(), most recent first: after t0 [4 3 2 1]; t1: 1 at 4, 2 at 4, 5 and 6
    // cold -> [6 5 2 1 4 3]; t3: 1 at 4, 5 at 3, 70 and 200 cold. Layer 1's accesses interleave
    // with these in the overall stack but not in layer 0's.
    ReuseProfile layer0 = analyze(handBuilt()).layerReuse().get(0);
    assertEquals(12, layer0.accesses());
    assertEquals(8, layer0.cold());
    assertEquals(1, layer0.distanceCounts()[3]);
    assertEquals(3, layer0.distanceCounts()[4]);
    assertEquals(4, layer0.maxDistance());
    assertEquals(11.0 / 12, layer0.missRatio(3), EPS);
    assertEquals(8.0 / 12, layer0.missRatio(4), EPS);
  }

  /**
   * Misses of an LRU cache of {@code capacity} entries that holds the keys of one layer, simulated
   * directly with an access-ordered map (independent of stack distances).
   */
  private static long lruMisses(int[][][][] sel, int layer, int capacity) {
    Map<Long, Boolean> cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
        return size() > capacity;
      }
    };
    long misses = 0;
    for (int[][][] step : sel) {
      for (int s = 0; s < step[layer].length; s++) {
        for (int token : step[layer][s]) {
          long key = ((long) s << 32) | token;
          if (cache.get(key) == null) {
            misses++;
            cache.put(key, Boolean.TRUE);
          }
        }
      }
    }
    return misses;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void matchesTheReferenceOnRandomTraces(long seed) throws IOException {
    ArrayTrace trace = ArrayTrace.random(seed, 130, 3, 2, 16, 300);
    ReferenceAnalysis ref = new ReferenceAnalysis(trace.selections(), 16);
    TraceStatistics st = analyze(trace);
    for (Metric m : Metric.values()) {
      for (int l = 0; l < 3; l++) {
        assertSame(ref.samples.get(m).get(l), st.layers().get(l).summary(m), m + " layer " + l);
      }
      assertSame(ref.pooled(m), st.overall().summary(m), m + " overall");
    }
    ReuseProfile reuse = st.reuse();
    assertEquals(ref.stackDistances.size(), reuse.accesses());
    long cold = ref.stackDistances.stream().filter(d -> d < 0).count();
    assertEquals(cold, reuse.cold());
    for (long c : new long[] {1, 5, 16, 40, 100, 250, 1000}) {
      long misses = ref.stackDistances.stream().filter(d -> d < 0 || d > c).count();
      assertEquals((double) misses / ref.stackDistances.size(), reuse.missRatio(c), EPS, "c=" + c);
    }
    long[] counts = reuse.distanceCounts();
    for (int d = 1; d < counts.length; d++) {
      final int dd = d;
      assertEquals(ref.stackDistances.stream().filter(x -> x == dd).count(), counts[d], "d=" + d);
    }
    assertEquals(3, st.layerReuse().size());
    long layerAccesses = 0;
    for (int l = 0; l < 3; l++) {
      ReuseProfile layer = st.layerReuse().get(l);
      layerAccesses += layer.accesses();
      for (int c : new int[] {1, 5, 16, 40, 100, 250}) {
        long misses = lruMisses(trace.selections(), l, c);
        assertEquals((double) misses / layer.accesses(), layer.missRatio(c), EPS,
            "layer " + l + " c=" + c);
      }
    }
    assertEquals(reuse.accesses(), layerAccesses);
  }

  /**
   * The stack distances computed on a second thread equal those computed inline, on a trace long
   * enough for many batch handoffs and stack compactions.
   */
  @Test
  void concurrentProfileEqualsInlineProfile() throws IOException {
    TraceStatistics inline =
        TraceAnalyzer.analyze(ArrayTrace.random(7, 300, 4, 2, 256, 5000), true, false);
    TraceStatistics concurrent =
        TraceAnalyzer.analyze(ArrayTrace.random(7, 300, 4, 2, 256, 5000), true, true);
    assertEquals(300, concurrent.steps());
    assertProfileEquals(inline.reuse(), concurrent.reuse(), "overall");
    for (int l = 0; l < 4; l++) {
      assertProfileEquals(inline.layerReuse().get(l), concurrent.layerReuse().get(l), "layer " + l);
    }
  }

  private static void assertProfileEquals(ReuseProfile a, ReuseProfile b, String what) {
    assertEquals(a.accesses(), b.accesses(), what);
    assertEquals(a.cold(), b.cold(), what);
    assertArrayEquals(a.distanceCounts(), b.distanceCounts(), what);
  }

  private static void assertSame(List<Double> expected, Summary actual, String what) {
    assertEquals(expected.size(), actual.count(), what + " count");
    if (expected.isEmpty()) {
      assertTrue(Double.isNaN(actual.mean()), what);
      return;
    }
    assertEquals(ReferenceAnalysis.mean(expected), actual.mean(), 1e-9, what + " mean");
    assertEquals(ReferenceAnalysis.percentile(expected, 0.95), actual.p95(), 1e-9, what + " p95");
    assertEquals(ReferenceAnalysis.std(expected), actual.std(), 1e-9, what + " std");
  }

  @Test
  void rejectsIndicesOutsideTheContext() {
    int[][][][] negative = {{{{1, -3}}}};
    UserInputException e =
        assertThrows(UserInputException.class, () -> analyze(ArrayTrace.of(2, 64, negative)));
    assertTrue(e.getMessage().contains("-3 outside [0, 64) at step 0, layer 0, sequence 0"),
        e.getMessage());
    int[][][][] beyond = {{{{1, 2}}}, {{{3, 64}}}};
    e = assertThrows(UserInputException.class,
        () -> TraceAnalyzer.analyze(ArrayTrace.of(2, 64, beyond), true, true));
    assertTrue(e.getMessage().contains("64 outside [0, 64) at step 1"), e.getMessage());
    // the abandoned analysis stopped its stack-distance thread
    assertFalse(Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(ReusePipeline.THREAD_NAME)));
  }
}
