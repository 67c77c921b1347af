package org.dsasim.workloads.analyze;

/**
 * What the analyzer remembers about the tokens of one (layer, sequence): for every token selected
 * so far, the last step at which it was selected, the first step of its current (or last) run and
 * the timestamp of its last access in the reuse profile's stack. An open-addressing table keyed by
 * token; the fields of a slot sit next to each other in one int array, so that a lookup touches
 * one cache line.
 */
final class TokenHistory {
  /** Last step of a token never selected. */
  static final int NEVER = Integer.MIN_VALUE;

  private static final int EMPTY = -1;
  /** Ints per slot: token, last step, run start, stack timestamp. */
  private static final int STRIDE = 4;

  private int[] slots;
  private int size;
  private int shift;
  private int mask;

  TokenHistory(int expectedTokens) {
    allocate(Integer.highestOneBit(Math.max(16, expectedTokens * 2 - 1)) << 1);
  }

  private void allocate(int capacity) {
    slots = new int[capacity * STRIDE];
    for (int i = 0; i < slots.length; i += STRIDE) {
      slots[i] = EMPTY;
    }
    shift = 32 - Integer.numberOfTrailingZeros(capacity);
    mask = capacity - 1;
  }

  private int home(int token) {
    return (token * 0x9E3779B9) >>> shift;
  }

  /** Slot of {@code token}, inserted with {@link #NEVER} as last step if absent. */
  int slotOf(int token) {
    final int[] a = slots;
    int i = home(token);
    while (true) {
      int k = a[i * STRIDE];
      if (k == token) {
        return i;
      }
      if (k == EMPTY) {
        if (2 * (size + 1) > mask + 1) {
          grow();
          return slotOf(token);
        }
        a[i * STRIDE] = token;
        a[i * STRIDE + 1] = NEVER;
        a[i * STRIDE + 3] = FenwickStackDistance.NO_TIMESTAMP;
        size++;
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  /** Last step at which {@code token} was selected, or {@link #NEVER}. */
  int lastStepOf(int token) {
    final int[] a = slots;
    int i = home(token);
    while (true) {
      int k = a[i * STRIDE];
      if (k == token) {
        return a[i * STRIDE + 1];
      }
      if (k == EMPTY) {
        return NEVER;
      }
      i = (i + 1) & mask;
    }
  }

  int lastStepAt(int slot) {
    return slots[slot * STRIDE + 1];
  }

  void setLastStepAt(int slot, int step) {
    slots[slot * STRIDE + 1] = step;
  }

  int runStartAt(int slot) {
    return slots[slot * STRIDE + 2];
  }

  void setRunStartAt(int slot, int step) {
    slots[slot * STRIDE + 2] = step;
  }

  int stackTimeAt(int slot) {
    return slots[slot * STRIDE + 3];
  }

  void setStackTimeAt(int slot, int timestamp) {
    slots[slot * STRIDE + 3] = timestamp;
  }

  /** Number of slots, for iterating with {@link #occupied}. */
  int capacity() {
    return mask + 1;
  }

  boolean occupied(int slot) {
    return slots[slot * STRIDE] != EMPTY;
  }

  int size() {
    return size;
  }

  private void grow() {
    int[] old = slots;
    allocate((mask + 1) * 2);
    for (int j = 0; j < old.length; j += STRIDE) {
      int token = old[j];
      if (token != EMPTY) {
        int i = home(token);
        while (slots[i * STRIDE] != EMPTY) {
          i = (i + 1) & mask;
        }
        System.arraycopy(old, j, slots, i * STRIDE, STRIDE);
      }
    }
  }
}
