package org.dsasim.workloads.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deliberately plain implementation of the analyzer's definitions with java.util sets, holding
 * the whole trace: slow and obviously correct, to check the streaming analyzer against.
 */
final class ReferenceAnalysis {
  /** samples.get(metric).get(layer) = that layer's samples. */
  final Map<Metric, List<List<Double>>> samples = new EnumMap<>(Metric.class);
  /** Stack distance of every access in access order; -1 for a first access. */
  final List<Integer> stackDistances = new ArrayList<>();

  private final int[][][][] sel;

  ReferenceAnalysis(int[][][][] sel, int topk) {
    this.sel = sel;
    int steps = sel.length;
    int layers = sel[0].length;
    int seqs = sel[0][0].length;
    List<List<List<Set<Integer>>>> sets = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      List<List<Set<Integer>>> byLayer = new ArrayList<>();
      for (int l = 0; l < layers; l++) {
        List<Set<Integer>> bySeq = new ArrayList<>();
        for (int s = 0; s < seqs; s++) {
          Set<Integer> set = new HashSet<>();
          for (int x : sel[t][l][s]) {
            set.add(x);
          }
          bySeq.add(set);
        }
        byLayer.add(bySeq);
      }
      sets.add(byLayer);
    }
    for (Metric m : Metric.values()) {
      List<List<Double>> perLayer = new ArrayList<>();
      for (int l = 0; l < layers; l++) {
        perLayer.add(new ArrayList<>());
      }
      samples.put(m, perLayer);
    }
    for (int l = 0; l < layers; l++) {
      for (int s = 0; s < seqs; s++) {
        List<Set<Integer>> series = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
          series.add(sets.get(t).get(l).get(s));
        }
        Set<Integer> everSelected = new HashSet<>();
        for (int t = 0; t < steps; t++) {
          Set<Integer> now = series.get(t);
          everSelected.addAll(now);
          if (now.isEmpty()) {
            continue;
          }
          if (t >= 1) {
            Set<Integer> added = new HashSet<>(now);
            added.removeAll(series.get(t - 1));
            add(Metric.NEW_FRACTION, l, (double) added.size() / now.size());
          }
          for (int x : now) {
            for (int earlier = t - 1; earlier >= 0; earlier--) {
              if (series.get(earlier).contains(x)) {
                add(Metric.RESELECTION_DISTANCE, l, t - earlier);
                break;
              }
            }
          }
          Set<Integer> pages = new HashSet<>();
          for (int x : now) {
            pages.add(x / 64);
          }
          add(Metric.PAGE_UTILIZATION_64, l, now.size() / (64.0 * pages.size()));
          if (l + 1 < layers) {
            Set<Integer> below = sets.get(t).get(l + 1).get(s);
            if (!below.isEmpty()) {
              Set<Integer> common = new HashSet<>(now);
              common.retainAll(below);
              add(Metric.INTER_LAYER_OVERLAP, l, (double) common.size() / topk);
            }
          }
        }
        for (int x : everSelected) {
          int run = 0;
          for (int t = 0; t < steps; t++) {
            if (series.get(t).contains(x)) {
              run++;
            } else if (run > 0) {
              add(Metric.PERSISTENCE, l, run);
              run = 0;
            }
          }
          if (run > 0) {
            add(Metric.PERSISTENCE, l, run);
          }
        }
        for (int w = 0; (w + 1) * 50 <= steps; w++) {
          Set<Integer> union = new HashSet<>();
          boolean any = false;
          for (int t = w * 50; t < (w + 1) * 50; t++) {
            union.addAll(series.get(t));
            any |= !series.get(t).isEmpty();
          }
          if (any) {
            add(Metric.WORKING_SET_50, l, (double) union.size() / topk);
          }
        }
      }
    }
    List<Long> lru = new ArrayList<>(); // most recent last
    for (int t = 0; t < steps; t++) {
      for (int l = 0; l < layers; l++) {
        for (int s = 0; s < seqs; s++) {
          for (int x : sel[t][l][s]) {
            long key = ((long) (l * seqs + s) << 32) | x;
            int pos = lru.lastIndexOf(key);
            stackDistances.add(pos < 0 ? -1 : lru.size() - pos);
            if (pos >= 0) {
              lru.remove(pos);
            }
            lru.add(key);
          }
        }
      }
    }
  }

  /**
   * Misses of an LRU cache of {@code capacity} entries that holds the keys (sequence, token) of
   * one layer, simulated directly with an access-ordered map (independent of stack distances).
   */
  long layerLruMisses(int layer, int capacity) {
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

  /**
   * Asserts that {@code st} (analyzed with the reuse profiles) holds these samples' summaries per
   * layer and pooled, these stack distances, and per layer the miss ratios of a simulated cache.
   */
  void assertMatches(TraceStatistics st) {
    int layers = sel[0].length;
    for (Metric m : Metric.values()) {
      for (int l = 0; l < layers; l++) {
        assertSame(samples.get(m).get(l), st.layers().get(l).summary(m), m + " layer " + l);
      }
      assertSame(pooled(m), st.overall().summary(m), m + " overall");
    }
    ReuseProfile reuse = st.reuse();
    assertEquals(stackDistances.size(), reuse.accesses());
    assertEquals(stackDistances.stream().filter(d -> d < 0).count(), reuse.cold());
    for (long c : new long[] {1, 5, 16, 40, 100, 250, 1000}) {
      long misses = stackDistances.stream().filter(d -> d < 0 || d > c).count();
      assertEquals((double) misses / stackDistances.size(), reuse.missRatio(c), 1e-12, "c=" + c);
    }
    Map<Integer, Long> expectedCounts = new HashMap<>();
    for (int d : stackDistances) {
      expectedCounts.merge(d, 1L, Long::sum);
    }
    long[] counts = reuse.distanceCounts();
    for (int d = 1; d < counts.length; d++) {
      assertEquals(expectedCounts.getOrDefault(d, 0L), counts[d], "d=" + d);
    }
    assertEquals(layers, st.layerReuse().size());
    long layerAccesses = 0;
    for (int l = 0; l < layers; l++) {
      ReuseProfile layer = st.layerReuse().get(l);
      layerAccesses += layer.accesses();
      for (int c : new int[] {1, 5, 16, 40, 100, 250}) {
        assertEquals((double) layerLruMisses(l, c) / layer.accesses(), layer.missRatio(c), 1e-12,
            "layer " + l + " c=" + c);
      }
    }
    assertEquals(reuse.accesses(), layerAccesses);
  }

  private static void assertSame(List<Double> expected, Summary actual, String what) {
    assertEquals(expected.size(), actual.count(), what + " count");
    if (expected.isEmpty()) {
      assertTrue(Double.isNaN(actual.mean()), what);
      return;
    }
    assertEquals(mean(expected), actual.mean(), 1e-9, what + " mean");
    assertEquals(percentile(expected, 0.95), actual.p95(), 1e-9, what + " p95");
    assertEquals(std(expected), actual.std(), 1e-9, what + " std");
  }

  private void add(Metric m, int layer, double v) {
    samples.get(m).get(layer).add(v);
  }

  List<Double> pooled(Metric m) {
    List<Double> all = new ArrayList<>();
    for (List<Double> layer : samples.get(m)) {
      all.addAll(layer);
    }
    return all;
  }

  static double mean(List<Double> xs) {
    double sum = 0;
    for (double x : xs) {
      sum += x;
    }
    return xs.isEmpty() ? Double.NaN : sum / xs.size();
  }

  /** NumPy's default percentile: linear between the order statistics around q * (n - 1). */
  static double percentile(List<Double> xs, double q) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(xs);
    Collections.sort(sorted);
    double pos = q * (sorted.size() - 1);
    int lo = (int) pos;
    int hi = Math.min(lo + 1, sorted.size() - 1);
    return sorted.get(lo) + (sorted.get(hi) - sorted.get(lo)) * (pos - lo);
  }

  static double std(List<Double> xs) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    double mean = mean(xs);
    double sum = 0;
    for (double x : xs) {
      sum += (x - mean) * (x - mean);
    }
    return Math.sqrt(sum / xs.size());
  }
}
