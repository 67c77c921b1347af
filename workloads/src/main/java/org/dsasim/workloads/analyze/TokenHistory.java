package org.dsasim.workloads.analyze;

import java.util.Arrays;

/**
 * What the analyzer remembers about the tokens of one (layer, sequence): for every token selected
 * so far, the last step at which it was selected, the first step of its current (or last) run and
 * its key number in the reuse profile (see {@link ReuseProfiler}).
 *
 * <p>Indexed directly by token, in blocks of 64 neighbouring tokens allocated when first touched:
 * no hashing, memory proportional to the blocks touched, and neighbouring tokens (selections
 * cluster, and are often sorted) share cache lines. A token's three fields sit side by side.
 */
final class TokenHistory {
  /** Last step of a token never selected. */
  static final int NEVER = Integer.MIN_VALUE;
  /** Key number of a token not yet numbered. */
  static final int NO_KEY = -1;

  private static final int BLOCK_SHIFT = 6;
  private static final int BLOCK_TOKENS = 1 << BLOCK_SHIFT;
  /** Ints per token: last step, run start, key number. */
  private static final int STRIDE = 3;
  private static final int BLOCK_INTS = BLOCK_TOKENS * STRIDE;
  private static final int NO_BLOCK = -1;

  /** directory[token >> 6] = offset of the token's block in {@link #pool}, or NO_BLOCK. */
  private int[] directory;
  private int[] pool;
  private int blocks;

  TokenHistory(int expectedContext) {
    directory = new int[Math.max(16, (expectedContext + BLOCK_TOKENS - 1) >>> BLOCK_SHIFT)];
    Arrays.fill(directory, NO_BLOCK);
    pool = new int[16 * BLOCK_INTS];
  }

  /**
   * Position of {@code token}'s fields (for the {@code ...At} accessors); a token not seen before
   * gets fields with {@link #NEVER} as last step.
   */
  int slotOf(int token) {
    int page = token >>> BLOCK_SHIFT;
    if (page >= directory.length) {
      int old = directory.length;
      directory = Arrays.copyOf(directory, Math.max(page + 1, old * 2));
      Arrays.fill(directory, old, directory.length, NO_BLOCK);
    }
    int base = directory[page];
    if (base == NO_BLOCK) {
      base = newBlock();
      directory[page] = base;
    }
    return base + (token & (BLOCK_TOKENS - 1)) * STRIDE;
  }

  /** Last step at which {@code token} was selected, or {@link #NEVER}; inserts nothing. */
  int lastStepOf(int token) {
    int page = token >>> BLOCK_SHIFT;
    if (page >= directory.length || directory[page] == NO_BLOCK) {
      return NEVER;
    }
    return pool[directory[page] + (token & (BLOCK_TOKENS - 1)) * STRIDE];
  }

  private int newBlock() {
    int base = blocks * BLOCK_INTS;
    if (base + BLOCK_INTS > pool.length) {
      pool = Arrays.copyOf(pool, Math.max(pool.length * 2, base + BLOCK_INTS));
    }
    for (int i = base; i < base + BLOCK_INTS; i += STRIDE) {
      pool[i] = NEVER;
      pool[i + 2] = NO_KEY;
    }
    blocks++;
    return base;
  }

  int lastStepAt(int slot) {
    return pool[slot];
  }

  void setLastStepAt(int slot, int step) {
    pool[slot] = step;
  }

  int runStartAt(int slot) {
    return pool[slot + 1];
  }

  void setRunStartAt(int slot, int step) {
    pool[slot + 1] = step;
  }

  int keyAt(int slot) {
    return pool[slot + 2];
  }

  void setKeyAt(int slot, int key) {
    pool[slot + 2] = key;
  }

  /** Calls {@code visitor} with the slot of every token selected at least once. */
  void forEachSelected(SlotVisitor visitor) {
    for (int slot = 0, end = blocks * BLOCK_INTS; slot < end; slot += STRIDE) {
      if (pool[slot] != NEVER) {
        visitor.visit(slot);
      }
    }
  }

  @FunctionalInterface
  interface SlotVisitor {
    void visit(int slot);
  }
}
