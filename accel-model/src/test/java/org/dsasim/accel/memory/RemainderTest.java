package org.dsasim.accel.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RemainderTest {
  /** Against {@code %} on random dividends over the whole range and on the edges of each quotient. */
  @Test
  void equalsTheDivisionsRemainder() {
    long[] divisors = {1, 2, 3, 5, 7, 64, 96, 192, 1000, 30_720, 65_537, (1L << 31) - 1, 1L << 31,
        (1L << 40) + 11, Long.MAX_VALUE / 3, Long.MAX_VALUE};
    SplittableRandom rng = new SplittableRandom(3);
    for (long d : divisors) {
      Remainder r = new Remainder(d);
      long[] edges = {0, 1, d - 1, d, d + 1, Long.MAX_VALUE, Long.MAX_VALUE - 1,
          Long.MAX_VALUE / d * d, Long.MAX_VALUE / d * d - 1};
      for (long x : edges) {
        if (x >= 0) {
          assertEquals(x % d, r.of(x), x + " % " + d);
        }
      }
      for (int i = 0; i < 200_000; i++) {
        long x = rng.nextLong() >>> rng.nextInt(1, 64);
        assertEquals(x % d, r.of(x), x + " % " + d);
      }
    }
  }
}
