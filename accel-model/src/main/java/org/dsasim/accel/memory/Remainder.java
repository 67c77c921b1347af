package org.dsasim.accel.memory;

/**
 * The remainder of a non-negative {@code long} by a fixed divisor, without a division
 * instruction: the hash-to-bucket step of the channel, bank, partition and set choices, which
 * the memory model takes 16 times per KV entry and a 64-bit division makes one of its costliest
 * steps. A power of two is a mask; any other divisor {@code d} uses the reciprocal
 * {@code M = floor((2^64 - 1) / d)}: for {@code 0 <= x < 2^63}, {@code floor(x * M / 2^64)} is
 * the quotient or one less (its error is below {@code x / 2^64 + x / (d 2^64) + 1 < 2}, and it
 * never exceeds {@code x / d}), so one conditional subtraction of {@code d} gives the exact
 * remainder.
 */
final class Remainder {
  private final long divisor;
  private final long mask; // divisor - 1 for a power of two, else -1
  private final long reciprocal;

  Remainder(long divisor) {
    if (divisor < 1) {
      throw new IllegalArgumentException("divisor must be at least 1, not " + divisor);
    }
    this.divisor = divisor;
    mask = Long.bitCount(divisor) == 1 ? divisor - 1 : -1;
    reciprocal = Long.divideUnsigned(-1L, divisor);
  }

  /** {@code x % divisor} for {@code x >= 0}. */
  long of(long x) {
    if (mask >= 0) {
      return x & mask;
    }
    // x - M x / 2^64 * d is the remainder or the remainder plus d; subtracting d and adding it
    // back when that went negative (without a branch: either happens half the time)
    long r = x - Math.multiplyHigh(x, reciprocal) * divisor - divisor;
    return r + ((r >> 63) & divisor);
  }
}
