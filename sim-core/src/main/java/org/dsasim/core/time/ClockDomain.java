package org.dsasim.core.time;

/**
 * A clock of fixed frequency, converting its cycles to and from the global time base.
 *
 * <p>The global time base is one tick = 1 ps ({@link Time}). Frequencies are held with 1 kHz
 * resolution, which represents every clock of interest exactly (1.98 GHz, 3.201 GHz, 1.6 GHz). The
 * period is then the exact rational {@code 1e9 / kHz} ps, reduced to {@code num / den}, and
 * {@link #ticks(long)} returns the edge of cycle {@code n} rounded to the nearest picosecond
 * (halves up): {@code |ticks(n) - n * period| <= 0.5 ps} for every n, with no accumulation over
 * long runs (cycle 10^13 of a 1.98 GHz clock is exactly as accurate as cycle 1).
 *
 * <p>Edges and times convert both ways consistently: {@link #cyclesAt} is the number of edges
 * after 0 at or before a time, so {@code cyclesAt(ticks(n)) == n} and
 * {@code ticks(cyclesAt(t)) <= t < ticks(cyclesAt(t) + 1)}; {@link #nextEdge} is the first edge
 * at or after a time. Periods are at least 10 ps, so distinct cycles have distinct edges.
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
    long g = Time.gcd(1_000_000_000L, k);
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

  /** The number of cycles completed at time {@code ps}: the largest n with ticks(n) <= ps. */
  public long cyclesAt(long ps) {
    long a = Math.floorDiv(ps, num);
    long b = Math.floorMod(ps, num);
    long n = a * den + b * den / num; // floor(ps / period), exact
    // ticks(n) <= ps because rounding is monotone and ps is whole; rounding up by at most 0.5 ps
    // can bring edge n + 1 (but not n + 2, periods being >= 10 ps) down onto ps
    return ticks(n + 1) <= ps ? n + 1 : n;
  }

  /** Number of the first edge at or after {@code ps}: the smallest n with ticks(n) >= ps. */
  public long cycleAtOrAfter(long ps) {
    long n = cyclesAt(ps);
    return ticks(n) == ps ? n : n + 1;
  }

  /** The first clock edge at or after {@code ps}. */
  public long nextEdge(long ps) {
    return ticks(cycleAtOrAfter(ps));
  }

  /**
   * The edge {@code cycles} cycles after the first edge at or after {@code ps}: when a block
   * clocked by this domain, woken at {@code ps}, finishes a {@code cycles}-cycle operation. Unlike
   * {@code ps + duration(cycles)} it stays on the clock's edges.
   */
  public long edgeAfter(long ps, long cycles) {
    return ticks(cycleAtOrAfter(ps) + cycles);
  }

  /**
   * Duration of {@code cycles} cycles counted from time 0, in ps (rounded); between two edges the
   * exact duration may differ by 1 ps from this, see {@link #edgeAfter}.
   */
  public long duration(long cycles) {
    return ticks(cycles);
  }

  @Override
  public String toString() {
    return name + "@" + (kHz / 1e6) + "GHz";
  }
}
