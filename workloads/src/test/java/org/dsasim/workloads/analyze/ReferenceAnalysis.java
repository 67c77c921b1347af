package org.dsasim.workloads.analyze;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
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

  ReferenceAnalysis(int[][][][] sel, int topk) {
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
