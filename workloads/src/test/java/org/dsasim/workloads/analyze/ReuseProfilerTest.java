package org.dsasim.workloads.analyze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The per-layer and the overall stack distances, the latter derived from the former, equal those
 * of naive LRU stacks, over enough steps that the step numbers are compacted several times (with
 * steps dropped) and the stacks' timestamps too.
 */
class ReuseProfilerTest {
  private static final int LAYERS = 3;

  @Test
  void matchesNaiveLruStacksAcrossCompactions() {
    SplittableRandom rnd = new SplittableRandom(5);
    ReuseProfiler profiler = new ReuseProfiler(LAYERS, 4);
    List<Long> overallStack = new ArrayList<>(); // most recent last; key = layer << 32 | key
    List<List<Integer>> layerStacks = new ArrayList<>();
    long[] overallCounts = new long[1];
    long[][] layerCounts = new long[LAYERS][1];
    int[] knownKeys = new int[LAYERS];
    long cold = 0;
    long accesses = 0;
    for (int l = 0; l < LAYERS; l++) {
      layerStacks.add(new ArrayList<>());
    }
    for (int step = 0; step < 700; step++) {
      // a batch of one or two steps: keys and per-(step, layer) run lengths
      int[] keys = new int[2 * LAYERS * 40];
      int[] runs = new int[2 * LAYERS];
      int stepsInBatch = 1 + rnd.nextInt(2);
      int pos = 0;
      for (int r = 0; r < stepsInBatch * LAYERS; r++) {
        int l = r % LAYERS;
        // some empty runs, a hot set, a long tail, a key twice in a run, and new keys
        int n = rnd.nextInt(5) == 0 ? 0 : rnd.nextInt(40);
        for (int i = 0; i < n; i++) {
          int key;
          int kind = rnd.nextInt(10);
          if (knownKeys[l] == 0 || kind == 0) {
            key = knownKeys[l]++;
          } else if (kind < 7) {
            key = rnd.nextInt(Math.min(knownKeys[l], 12));
          } else {
            key = rnd.nextInt(knownKeys[l]);
          }
          keys[pos++] = key;
          accesses++;
          int overallDistance = touch(overallStack, ((long) l << 32) | key);
          int layerDistance = touch(layerStacks.get(l), key);
          assertEquals(overallDistance < 0, layerDistance < 0);
          if (overallDistance < 0) {
            cold++;
          } else {
            overallCounts = count(overallCounts, overallDistance);
            layerCounts[l] = count(layerCounts[l], layerDistance);
          }
        }
        runs[r] = n;
      }
      profiler.accept(keys, runs, stepsInBatch * LAYERS);
      step += stepsInBatch - 1;
    }
    ReuseProfile overall = profiler.overallProfile();
    assertEquals(accesses, overall.accesses());
    assertEquals(cold, overall.cold());
    assertArrayEquals(overallCounts, overall.distanceCounts());
    for (int l = 0; l < LAYERS; l++) {
      ReuseProfile layer = profiler.layerProfiles().get(l);
      assertEquals(knownKeys[l], layer.cold(), "layer " + l);
      assertArrayEquals(layerCounts[l], layer.distanceCounts(), "layer " + l);
    }
  }

  /** Moves the key to the top of the stack; returns its distance, or -1 if it was not there. */
  private static <K> int touch(List<K> stack, K key) {
    int at = stack.lastIndexOf(key);
    stack.add(key);
    if (at < 0) {
      return -1;
    }
    stack.remove(at);
    return stack.size() - at;
  }

  private static long[] count(long[] counts, int distance) {
    if (distance >= counts.length) {
      counts = java.util.Arrays.copyOf(counts, distance + 1);
    }
    counts[distance]++;
    return counts;
  }
}
