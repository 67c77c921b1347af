package org.dsasim.workloads.analyze;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * LRU stack distances of a trace's token-entry accesses, both in one stack per layer over that
 * layer's keys (sequence, token) and in one stack over all keys (sequence, layer, token).
 *
 * <p>It is fed key numbers rather than tokens: the analyzer numbers the keys of each layer 0, 1,
 * 2, ... in order of first access (it has a slot per token anyway), so a key's state sits in a
 * plain array and a key number equal to the layer's count of known keys is a first access. This
 * keeps the profiler free of hashing and of the analyzer's state, so that it can run on a thread
 * of its own (see {@link ReusePipeline}).
 *
 * <p>Only the per-layer distances are computed by a stack ({@link FenwickStackDistance}); a key's
 * distance over all layers is its per-layer distance plus the number of other layers' keys
 * accessed since its previous access, which {@link StepLayerCounts} gives from the step of that
 * access. Both are exact; one stack pass per access instead of two.
 */
final class ReuseProfiler {
  private final int layers;
  private final FenwickStackDistance[] stacks;
  private final StepLayerCounts steps;
  /**
   * {@code keyState[l][key]}: of layer l's key, the step of its latest access (high 32 bits) and
   * its timestamp in layer l's stack (low 32 bits); for known keys only.
   */
  private final long[][] keyState;
  private final int[] knownKeys;
  private final DistanceHistogram overall = new DistanceHistogram();
  private long accesses;

  ReuseProfiler(int layers, int expectedKeysPerLayer) {
    this.layers = layers;
    keyState = new long[layers][Math.max(16, expectedKeysPerLayer)];
    knownKeys = new int[layers];
    stacks = new FenwickStackDistance[layers];
    for (int l = 0; l < layers; l++) {
      final int layer = l;
      stacks[l] = new FenwickStackDistance(expectedKeysPerLayer,
          f -> renumber(layer, s -> (s & ~0xffff_ffffL) | f.applyAsInt((int) s)));
    }
    steps = new StepLayerCounts(layers, f -> {
      for (int l = 0; l < layers; l++) {
        renumber(l, s -> ((long) f.applyAsInt((int) (s >>> 32)) << 32) | (s & 0xffff_ffffL));
      }
    });
  }

  private void renumber(int layer, LongUnaryOperator f) {
    long[] state = keyState[layer];
    for (int key = 0, end = knownKeys[layer]; key < end; key++) {
      state[key] = f.applyAsLong(state[key]);
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
      FenwickStackDistance stack = stacks[l];
      long[] state = keyState[l];
      int known = knownKeys[l];
      steps.beginRun(l);
      long step = (long) steps.currentStep() << 32;
      accesses += runs[r];
      for (; pos < end; pos++) {
        int key = keys[pos];
        if (key == known) {
          if (key == state.length) {
            state = Arrays.copyOf(state, 2 * state.length);
            keyState[l] = state;
          }
          // the key is not known yet while the stack may compact, so its slot is not renumbered
          stack.access(FenwickStackDistance.NO_TIMESTAMP);
          steps.arrive();
          known++;
          knownKeys[l] = known;
        } else {
          long s = state[key];
          int layerDistance = stack.access((int) s);
          overall.add(layerDistance + steps.move((int) (s >>> 32)));
        }
        state[key] = step | stack.lastTimestamp();
      }
      steps.endRun();
    }
  }

  /** The profile over all layers. */
  ReuseProfile overallProfile() {
    long cold = 0;
    for (FenwickStackDistance s : stacks) {
      cold += s.distinctKeys();
    }
    return ReuseProfile.of(accesses, cold, overall);
  }

  /** The profile of each layer's stack. */
  List<ReuseProfile> layerProfiles() {
    List<ReuseProfile> out = new ArrayList<>(stacks.length);
    for (FenwickStackDistance s : stacks) {
      out.add(ReuseProfile.of(s.accesses(), s.distinctKeys(), s.histogram()));
    }
    return out;
  }
}
