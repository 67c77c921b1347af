package org.dsasim.core.time;

/**
 * A clock of fixed frequency, converting its cycles to and from the global time base.
 *
 * <p>The global time base is one tick = 1 ps ({@link Time}). Frequencies are held with 1 kHz
 * resolution, which represents every clock of interest exactly (1.98 GHz, 3.201 GHz, 1.6 GHz). The
 * period is then the exact rational {@code 1e9 / kHz} ps, reduced to {@code num / den}, and
 * {@link #ticks(long)} returns the edge of cycle {@code n} rounded to the nearest picosecond:
 * {@code |ticks(n) - n * period| <= 0.5 ps} for every n, with no accumulation over long runs
 * (cycle 10^12 of a 1.98 GHz clock is exactly as accurate as cycle 1).
 */
public final class ClockDomain {
  private final String name;
  private final long kHz;
  // period in ps = num / den, reduced; den <= kHz <= 10^8 and num <= 10^9, so every product below
  // stays far inside a long.
  private final long num;
  private final long den;

  /**
   * @param name a name for messages and statistics ("sm", "hbm")
   * @param hz frequency in Hz, rounded to the nearest kHz; between 1 kHz and 100 GHz
   */
  public ClockDomain(String name, double hz) {
    long k = Math.round(hz / 1e3);
    if (!(hz > 0) || k < 1 || k > 100_000_000L) {
      throw new IllegalArgumentException(
          "clock '" + name + "': frequency " + hz + " Hz outside [1 kHz, 100 GHz]");
    }
    long g = gcd(1_000_000_000L, k);
    this.name = name;
    this.kHz = k;
    this.num = 1_000_000_000L / g;
    this.den = k / g;
  }

  public String name() {
    return name;
  }

  public double frequencyHz() {
    return kHz * 1e3;
  }

  /** The period in picoseconds (exact as a double only where it is representable). */
  public double periodPs() {
    return (double) num / den;
  }

  /** Time of the rising edge of cycle {@code cycles}, counted from time 0, in ps (rounded). */
  public long ticks(long cycles) {
    // cycles = a * den + b; ticks = a * num + round(b * num / den), exact in long arithmetic.
    long a = Math.floorDiv(cycles, den);
    long b = Math.floorMod(cycles, den);
    return Math.addExact(Math.multiplyExact(a, num), (2 * b * num + den) / (2 * den));
  }

  /** The number of whole cycles completed at time {@code ps}: the largest n with ticks(n) <= ps. */
  public long cyclesAt(long ps) {
    long a = Math.floorDiv(ps, num);
    long b = Math.floorMod(ps, num);
    long n = a * den + b * den / num; // floor of the exact quotient
    // rounding of ticks() may move an edge by up to 0.5 ps either way: settle on the exact answer
    while (ticks(n + 1) <= ps) {
      n++;
    }
    while (n > 0 && ticks(n) > ps) {
      n--;
    }
    return n;
  }

  /** The first clock edge at or after {@code ps}. */
  public long nextEdge(long ps) {
    long n = cyclesAt(ps);
    long t = ticks(n);
    return t == ps ? t : ticks(n + 1);
  }

  /** Duration of {@code cycles} cycles starting at a clock edge, in ps (rounded). */
  public long duration(long cycles) {
    return ticks(cycles);
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  @Override
  public String toString() {
    return name + "@" + (kHz / 1e6) + "GHz";
  }
}
