package org.dsasim.mem.system;

/**
 * A seeded random cyclic order of {@code n} items without a table: position {@code i} holds item
 * {@code permute(i)}, where {@code permute} is a bijection of [0, n) (a four-round Feistel
 * network on the smallest even number of bits that covers n, cycle-walked back into range). A
 * pointer chase that goes from the item at position {@code i} to the one at {@code i + 1 mod n}
 * therefore visits every item once per cycle in an order that looks random, for footprints of
 * any size (8 GiB of 128-B lines is 2^26 items; a table would take 256 MiB).
 */
final class CyclicOrder {
  private static final int ROUNDS = 4;

  private final long n;
  private final int halfBits;
  private final long halfMask;
  private final long[] keys = new long[ROUNDS];

  CyclicOrder(long n, long seed) {
    if (n < 1) {
      throw new IllegalArgumentException("need at least one item, got " + n);
    }
    this.n = n;
    int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(n - 1));
    this.halfBits = (bits + 1) / 2;
    this.halfMask = (1L << halfBits) - 1;
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    for (int r = 0; r < ROUNDS; r++) {
      keys[r] = random.nextLong();
    }
  }

  long size() {
    return n;
  }

  /** The item at position {@code i} in [0, n). */
  long itemAt(long i) {
    long x = i;
    do {
      x = feistel(x);
    } while (x >= n);
    return x;
  }

  private long feistel(long x) {
    long left = x >>> halfBits;
    long right = x & halfMask;
    for (int r = 0; r < ROUNDS; r++) {
      long next = left ^ (org.dsasim.mem.llc.LinePlacement.mix64(right ^ keys[r]) & halfMask);
      left = right;
      right = next;
    }
    return (left << halfBits) | right;
  }
}
