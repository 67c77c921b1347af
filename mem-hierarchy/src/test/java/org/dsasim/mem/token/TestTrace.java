package org.dsasim.mem.token;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A decode trace held in memory for tests: {@code steps.get(t)[layer][seq]} is the selection of
 * (layer, seq) at step t. Generators for random, DSA-like and adversarial traces.
 */
final class TestTrace {
  final TokenSpace space;
  final List<int[][][]> steps = new ArrayList<>();

  TestTrace(TokenSpace space) {
    this.space = space;
  }

  /** A one-layer, one-sequence space with the given top-k. */
  static TokenSpace single(int topk, int context) {
    return new TokenSpace(1, 1, topk, 64, 656, context);
  }

  /** Appends a step of a one-layer, one-sequence trace. */
  TestTrace step(int... tokens) {
    steps.add(new int[][][] {{tokens}});
    return this;
  }

  /** A stream over the steps, in the replay order. */
  GatherStream stream() {
    int[] next = {0};
    return sink -> {
      if (next[0] == steps.size()) {
        return false;
      }
      int[][][] step = steps.get(next[0]++);
      for (int l = 0; l < step.length; l++) {
        for (int s = 0; s < step[l].length; s++) {
          sink.gather(s, l, step[l][s], 0, step[l][s].length);
        }
      }
      return true;
    };
  }

  /** The same trace with every token replaced by its page (token / pageTokens). */
  TestTrace pages(int pageTokens) {
    TestTrace t = new TestTrace(space);
    for (int[][][] step : steps) {
      int[][][] copy = new int[step.length][][];
      for (int l = 0; l < step.length; l++) {
        copy[l] = new int[step[l].length][];
        for (int s = 0; s < step[l].length; s++) {
          copy[l][s] = step[l][s].clone();
          for (int i = 0; i < copy[l][s].length; i++) {
            copy[l][s][i] /= pageTokens;
          }
        }
      }
      t.steps.add(copy);
    }
    return t;
  }

  /** Every access as a packed key, in replay order. */
  long[] keys() {
    List<Long> keys = new ArrayList<>();
    for (int[][][] step : steps) {
      for (int l = 0; l < step.length; l++) {
        for (int s = 0; s < step[l].length; s++) {
          for (int token : step[l][s]) {
            keys.add(TokenSpace.key(s, l, token));
          }
        }
      }
    }
    return keys.stream().mapToLong(Long::longValue).toArray();
  }

  /** Feeds the trace to one policy; returns its hits. */
  long hits(TokenCachePolicy policy) {
    long[] hits = {0};
    GatherStream stream = stream();
    try {
      while (stream.nextStep(
          (seq, layer, tokens, from, count) -> {
            for (int i = from; i < from + count; i++) {
              if (policy.access(seq, layer, tokens[i])) {
                hits[0]++;
              }
            }
          })) {
        policy.endStep();
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return hits[0];
  }

  /** Uniformly random distinct tokens from the context, per (layer, seq) and step. */
  static TestTrace random(TokenSpace space, int steps, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    TestTrace t = new TestTrace(space);
    for (int step = 0; step < steps; step++) {
      int[][][] sel = new int[space.layers()][space.seqs()][];
      for (int l = 0; l < space.layers(); l++) {
        for (int s = 0; s < space.seqs(); s++) {
          sel[l][s] = rnd.ints(0, space.contextTokens()).distinct().limit(space.topk()).toArray();
        }
      }
      t.steps.add(sel);
    }
    return t;
  }

  /**
   * DSA-like: each (layer, seq) keeps a top-k that drifts; every step a fraction of it is replaced
   * by tokens drawn near recent ones or anywhere, and it is reshuffled (rank order changes), so
   * there is multi-step reuse, lookback and partial page locality.
   */
  static TestTrace drifting(TokenSpace space, int steps, double newFraction, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int ctx = space.contextTokens();
    int k = space.topk();
    int[][][] current = new int[space.layers()][space.seqs()][];
    for (int l = 0; l < space.layers(); l++) {
      for (int s = 0; s < space.seqs(); s++) {
        current[l][s] = rnd.ints(0, ctx).distinct().limit(k).toArray();
      }
    }
    TestTrace t = new TestTrace(space);
    for (int step = 0; step < steps; step++) {
      int[][][] sel = new int[space.layers()][space.seqs()][];
      for (int l = 0; l < space.layers(); l++) {
        for (int s = 0; s < space.seqs(); s++) {
          int[] cur = current[l][s];
          for (int i = 0; i < k; i++) {
            if (rnd.nextDouble() < newFraction) {
              int candidate;
              do {
                candidate =
                    rnd.nextBoolean()
                        ? Math.floorMod(cur[rnd.nextInt(k)] + rnd.nextInt(-8, 9), ctx)
                        : rnd.nextInt(ctx);
              } while (contains(cur, candidate));
              cur[i] = candidate;
            }
          }
          for (int i = k - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = cur[i];
            cur[i] = cur[j];
            cur[j] = tmp;
          }
          sel[l][s] = cur.clone();
        }
      }
      t.steps.add(sel);
    }
    return t;
  }

  private static boolean contains(int[] a, int v) {
    for (int x : a) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  /** One (layer, seq) sweeping tokens 0..period-1 cyclically, {@code perStep} tokens per step. */
  static TestTrace cyclic(int period, int perStep, int steps) {
    TestTrace t = new TestTrace(single(perStep, period));
    int next = 0;
    for (int step = 0; step < steps; step++) {
      int[] sel = new int[perStep];
      for (int i = 0; i < perStep; i++) {
        sel[i] = next;
        next = (next + 1) % period;
      }
      t.step(sel);
    }
    return t;
  }

  /** One (layer, seq) gathering the same token over and over. */
  static TestTrace repeated(int perStep, int steps) {
    TestTrace t = new TestTrace(single(perStep, 8));
    for (int step = 0; step < steps; step++) {
      t.step(new int[perStep]);
    }
    return t;
  }

  /**
   * Two disjoint sets used in alternation: {@code runs} steps over set A, then over set B, and so
   * on; each step gathers the whole set in a rotated order.
   */
  static TestTrace alternating(int setSize, int runs, int steps) {
    TestTrace t = new TestTrace(single(setSize, 2 * setSize));
    for (int step = 0; step < steps; step++) {
      int base = (step / runs) % 2 == 0 ? 0 : setSize;
      int[] sel = new int[setSize];
      for (int i = 0; i < setSize; i++) {
        sel[i] = base + (i + step) % setSize;
      }
      t.step(sel);
    }
    return t;
  }
}
