package org.dsasim.workloads.analyze;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * LRU stack distances of a trace's token-entry accesses, either in one stack over all keys
 * (sequence, layer, token) or in one stack per layer over that layer's keys (sequence, token).
 *
 * <p>It is fed key numbers rather than tokens: the analyzer numbers the keys of each layer 0, 1,
 * 2, ... in order of first access (it has a slot per token anyway), so a key's timestamp sits in a
 * plain array and a key number equal to the layer's count of known keys is a first access. This
 * keeps the profiler free of hashing and of the analyzer's state, so that it can run on a thread
 * of its own (see {@link ReusePipeline}); the overall and the per-layer stacks are two profilers,
 * which can run on two threads.
 */
final class ReuseProfiler {
  private final int layers;
  private final boolean perLayer;
  /** One stack, or one per layer. */
  private final FenwickStackDistance[] stacks;
  /** {@code timestamps[l][key]}: the last timestamp of layer l's key; for known keys only. */
  private final int[][] timestamps;
  private final int[] knownKeys;

  /**
   * @param perLayer one stack per layer (else one over all layers)
   */
  ReuseProfiler(int layers, int expectedKeysPerLayer, boolean perLayer) {
    this.layers = layers;
    this.perLayer = perLayer;
    timestamps = new int[layers][Math.max(16, expectedKeysPerLayer)];
    knownKeys = new int[layers];
    if (perLayer) {
      stacks = new FenwickStackDistance[layers];
      for (int l = 0; l < layers; l++) {
        final int layer = l;
        stacks[l] = new FenwickStackDistance(expectedKeysPerLayer, f -> renumber(layer, f));
      }
    } else {
      stacks = new FenwickStackDistance[] {
        new FenwickStackDistance(layers * expectedKeysPerLayer, f -> {
          for (int l = 0; l < layers; l++) {
            renumber(l, f);
          }
        })
      };
    }
  }

  private void renumber(int layer, IntUnaryOperator f) {
    int[] ts = timestamps[layer];
    for (int key = 0, end = knownKeys[layer]; key < end; key++) {
      ts[key] = f.applyAsInt(ts[key]);
    }
  }

  /**
   * Takes the accesses of whole steps: {@code runs[r]} keys of {@code keys} in turn belong to
   * layer {@code r % layers} (a step's layers in order, each run holding all its sequences).
   * Reads the arrays only.
   */
  void accept(int[] keys, int[] runs, int runCount) {
    int pos = 0;
    for (int r = 0; r < runCount; r++) {
      int l = r % layers;
      int end = pos + runs[r];
      FenwickStackDistance stack = stacks[perLayer ? l : 0];
      int[] ts = timestamps[l];
      int known = knownKeys[l];
      for (; pos < end; pos++) {
        int key = keys[pos];
        if (key == known) {
          if (key == ts.length) {
            ts = Arrays.copyOf(ts, 2 * ts.length);
            timestamps[l] = ts;
          }
          // the key is not known yet while the stack may compact, so its slot is not renumbered
          stack.access(FenwickStackDistance.NO_TIMESTAMP);
          known++;
          knownKeys[l] = known;
        } else {
          stack.access(ts[key]);
        }
        ts[key] = stack.lastTimestamp();
      }
    }
  }

  /** The profile of each stack: one, or one per layer. */
  List<ReuseProfile> profiles() {
    List<ReuseProfile> out = new ArrayList<>(stacks.length);
    for (FenwickStackDistance s : stacks) {
      out.add(ReuseProfile.of(s));
    }
    return out;
  }
}
