package org.dsasim.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Clock edges against exact rational arithmetic done here with BigInteger. */
class ClockDomainTest {
  private static final BigInteger PS_PER_S = BigInteger.TEN.pow(12);
  private static final long MAX_CYCLES = 10_000_000_000_000L; // 1e13

  /** round(n * 1e12 / hz), halves up, exactly. */
  private static long exactEdge(long n, long hz) {
    BigInteger twoHz = BigInteger.valueOf(2 * hz);
    return BigInteger.valueOf(n).multiply(PS_PER_S).shiftLeft(1).add(BigInteger.valueOf(hz))
        .divide(twoHz).longValueExact();
  }

  /** Cycle numbers to check: small ones, ones around multiples of the period's denominator, random
   * ones up to 1e13, and the largest. */
  private static long[] cycles(SplittableRandom rng) {
    long[] n = new long[20_000];
    int i = 0;
    for (; i < 2_000; i++) {
      n[i] = i;
    }
    for (; i < 4_000; i++) {
      n[i] = 1_000_000L * rng.nextInt(1, 10_000) + rng.nextInt(-2, 3);
    }
    for (; i < n.length - 2; i++) {
      n[i] = rng.nextLong(MAX_CYCLES);
    }
    n[i++] = MAX_CYCLES - 1;
    n[i] = MAX_CYCLES;
    return n;
  }

  @ParameterizedTest
  @ValueSource(longs = {1_980_000_000L, 3_201_000_000L, 1_600_000_000L, 2_100_000_000L})
  void edgesAreTheExactTimesRoundedToThePicosecond(long hz) {
    ClockDomain clk = new ClockDomain("c", hz);
    for (long n : cycles(new SplittableRandom(hz))) {
      long t = clk.ticks(n);
      assertEquals(exactEdge(n, hz), t, "edge of cycle " + n);
      // |t - n * 1e12 / hz| <= 0.5 ps, i.e. |2 t hz - 2 n 1e12| <= hz, in exact integers
      BigInteger err = BigInteger.valueOf(t).multiply(BigInteger.valueOf(2 * hz))
          .subtract(BigInteger.valueOf(n).multiply(PS_PER_S).shiftLeft(1)).abs();
      assertTrue(err.compareTo(BigInteger.valueOf(hz)) <= 0, "error above 0.5 ps at cycle " + n);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1_980_000_000L, 3_201_000_000L, 1_600_000_000L, 2_100_000_000L})
  void cyclesAtAndNextEdgeInvertTheEdges(long hz) {
    ClockDomain clk = new ClockDomain("c", hz);
    SplittableRandom rng = new SplittableRandom(hz + 1);
    for (long n : cycles(rng)) {
      if (n == 0) {
        continue;
      }
      long t = exactEdge(n, hz);
      assertEquals(n, clk.cyclesAt(t), "at the edge of cycle " + n);
      assertEquals(n - 1, clk.cyclesAt(t - 1), "just before the edge of cycle " + n);
      assertEquals(t, clk.nextEdge(t));
      assertEquals(t, clk.nextEdge(t - 1));
      assertEquals(exactEdge(n + 1, hz), clk.nextEdge(t + 1));
      assertEquals(n, clk.cycleAtOrAfter(t));
      assertEquals(n + 1, clk.cycleAtOrAfter(t + 1));
    }
    long last = exactEdge(MAX_CYCLES, hz);
    for (int i = 0; i < 20_000; i++) {
      long ps = rng.nextLong(last);
      long n = clk.cyclesAt(ps);
      assertTrue(exactEdge(n, hz) <= ps && ps < exactEdge(n + 1, hz), "cyclesAt(" + ps + ")");
      long edge = clk.nextEdge(ps);
      long m = clk.cycleAtOrAfter(ps);
      assertEquals(exactEdge(m, hz), edge);
      assertTrue(edge >= ps && (m == 0 || exactEdge(m - 1, hz) < ps), "nextEdge(" + ps + ")");
      long c = rng.nextLong(1_000_000);
      assertEquals(exactEdge(m + c, hz), clk.edgeAfter(ps, c), "edgeAfter(" + ps + ", " + c + ")");
    }
    assertEquals(0, clk.cyclesAt(0));
    assertEquals(0, clk.nextEdge(0));
  }

  @Test
  void frequencyIsHeldToTheKilohertz() {
    ClockDomain hbm = new ClockDomain("hbm", 3.201e9);
    assertEquals(3.201e9, hbm.frequencyHz());
    assertEquals(1e12 / 3.201e9, hbm.periodPs(), 1e-9);
    ClockDomain nearly = new ClockDomain("hbm", 3.201e9 + 499); // rounds to the same kHz
    ClockDomain core = new ClockDomain("sm", 1.6e9);
    for (long n = 0; n < 100_000; n += 7) {
      assertEquals(hbm.ticks(n), nearly.ticks(n));
      assertEquals(625 * n, core.ticks(n), "1.6 GHz has an exact 625 ps period");
    }
    assertEquals(core.ticks(12), core.duration(12));
    assertEquals("hbm@3.201GHz", hbm.toString());
  }

  @Test
  void frequenciesOutsideTheRangeAreRejected() {
    for (double hz : new double[] {0, -1e9, 499, Double.NaN, 1.00001e11, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new ClockDomain("sm", hz));
      assertTrue(e.getMessage().contains("'sm'"), e.getMessage());
    }
    new ClockDomain("slowest", 1e3);
    new ClockDomain("fastest", 1e11);
  }
}
