package org.dsasim.workloads.gen;

import java.util.SplittableRandom;

/**
 * Picks distinct tokens of [0, context) for one selection at a time. A token is marked with the
 * current selection's stamp once taken, so starting a new selection costs nothing.
 */
final class DistinctTokens {
  private final int[] stamps;
  private int stamp;
  private int marked;
  /** Scratch list of the unmarked tokens, for dense fills. */
  private final int[] free;

  DistinctTokens(int maxContext) {
    stamps = new int[maxContext];
    free = new int[maxContext];
  }

  /** Starts a new selection (no token marked). */
  void begin() {
    stamp++;
    if (stamp == 0) {
      java.util.Arrays.fill(stamps, 0);
      stamp = 1;
    }
    marked = 0;
  }

  boolean isMarked(int token) {
    return stamps[token] == stamp;
  }

  /** Marks {@code token}; false if it already was. */
  boolean mark(int token) {
    if (stamps[token] == stamp) {
      return false;
    }
    stamps[token] = stamp;
    marked++;
    return true;
  }

  /**
   * Appends {@code count} distinct unmarked tokens drawn uniformly from [0, context) to
   * {@code out} at {@code pos} and marks them; returns the new end. The caller guarantees that
   * enough unmarked tokens exist.
   */
  int fillUniform(int[] out, int pos, int count, int context, SplittableRandom rng) {
    int unmarked = context - marked;
    if (4L * count <= unmarked) {
      // sparse: rejection needs fewer than 4/3 draws per token on average
      for (int got = 0; got < count; ) {
        int x = rng.nextInt(context);
        if (mark(x)) {
          out[pos++] = x;
          got++;
        }
      }
      return pos;
    }
    // dense: list the unmarked tokens and draw without replacement (partial Fisher-Yates)
    int n = 0;
    for (int x = 0; x < context; x++) {
      if (stamps[x] != stamp) {
        free[n++] = x;
      }
    }
    for (int i = 0; i < count; i++) {
      int j = i + rng.nextInt(n - i);
      int x = free[j];
      free[j] = free[i];
      free[i] = x;
      mark(x);
      out[pos++] = x;
    }
    return pos;
  }
}
