package org.dsasim.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Transfer times against an exact model kept here in BigInteger units of 1/rate ps. */
class SerialChannelTest {
  private static final BigInteger PS_PER_S = BigInteger.TEN.pow(12);
  private static final long[] RATES = {
    4_800_000_000_000L, // HBM3e, 4.8 TB/s
    3_350_000_000_000L,
    64_000_000_000L,
    900_000_000_000L,
    999_999_937L, // a prime
    4_799_999_999_999L, // the reduced period has a huge denominator
    1L,
    3L,
    1_000_000_000_000_000_000L,
  };

  private static long ceilDiv(BigInteger a, BigInteger b) {
    BigInteger[] qr = a.divideAndRemainder(b);
    return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
  }

  @Test
  void singleTransferTimeIsTheExactCeiling() {
    SplittableRandom rng = new SplittableRandom(1);
    for (long rate : RATES) {
      for (int i = 0; i < 5_000; i++) {
        long bytes = switch (i % 4) {
          case 0 -> rng.nextInt(100_000);
          case 1 -> rng.nextLong(1L << 40);
          case 2 -> 64L << rng.nextInt(20);
          default -> rng.nextLong(1L << 50);
        };
        // keep the answer below 2^63 ps (9e18 ps is 9e6 s)
        bytes = Math.floorMod(bytes, 9_000_000L * Math.min(rate, 1_000_000L));
        long expected = ceilDiv(BigInteger.valueOf(bytes).multiply(PS_PER_S), BigInteger.valueOf(rate));
        assertEquals(expected, SerialChannel.transferTime(bytes, rate), bytes + " B at " + rate + " B/s");
        assertEquals(expected, Time.transfer(bytes, rate));
      }
    }
  }

  @Test
  void transfersQueueBehindEachOtherWithoutRoundingLoss() {
    SplittableRandom rng = new SplittableRandom(2);
    for (long rate : RATES) {
      if (rate < 1_000) {
        continue;
      }
      SerialChannel ch = new SerialChannel(rate);
      BigInteger r = BigInteger.valueOf(rate);
      BigInteger free = BigInteger.ZERO; // exact free time, in units of 1/rate ps
      long now = 0;
      for (int i = 0; i < 20_000; i++) {
        // mostly back to back, sometimes after the channel went idle
        now += rng.nextInt(10) == 0 ? rng.nextLong(2_000_000) : rng.nextInt(3);
        long bytes = rng.nextInt(8) == 0 ? rng.nextInt(1 << 20) : 64 * rng.nextInt(1, 12);
        BigInteger start = free.max(BigInteger.valueOf(now).multiply(r));
        free = start.add(BigInteger.valueOf(bytes).multiply(PS_PER_S));
        long done = ch.transfer(now, bytes);
        assertEquals(ceilDiv(free, r), done, "transfer " + i + " at rate " + rate);
        assertEquals(done, ch.freeAt());
      }
    }
  }

  @Test
  void aLongStreamMovesExactlyTheRate() {
    // 64-byte messages at 4.8 TB/s take 13.33 ps each: rounding each would give 14 ps (-4.8 %)
    SerialChannel ch = new SerialChannel(4.8e12);
    long done = 0;
    int n = 3_000_000;
    for (int i = 0; i < n; i++) {
      done = ch.transfer(0, 64);
    }
    assertEquals(40_000_000, done); // 192e6 B / 4.8e12 B/s = 40 us
  }

  @Test
  void infiniteRateTakesNoTime() {
    SerialChannel ch = new SerialChannel(Double.POSITIVE_INFINITY);
    assertEquals(500, ch.transfer(500, 1L << 40));
    assertEquals(500, ch.transfer(500, Long.MAX_VALUE));
    assertEquals(Double.POSITIVE_INFINITY, ch.bytesPerSecond());
  }

  @Test
  void rateIsRoundedToWholeBytesPerSecond() {
    assertEquals(4.8e12, new SerialChannel(4.8e12 + 0.3).bytesPerSecond());
    assertEquals(SerialChannel.transferTime(656, 4.8e12), SerialChannel.transferTime(656, 4.8e12 - 0.4));
  }

  @Test
  void badRatesAndSizesAreRejected() {
    for (double rate : new double[] {0, -1, 0.4, Double.NaN, 2e18, Double.NEGATIVE_INFINITY}) {
      assertThrows(IllegalArgumentException.class, () -> new SerialChannel(rate), "rate " + rate);
    }
    assertThrows(IllegalArgumentException.class, () -> new SerialChannel(1e9).transfer(0, -1));
  }
}
