package org.dsasim.core.time;

/**
 * The global time base: one tick is one picosecond, held in a {@code long}: times from 0 to
 * 2^63-1 ps (106.7 days of simulated time). Fine enough for the GPU core (~2 GHz, 505 ps), HBM
 * (~3.2 GHz, 312.4 ps) and interconnect clocks; {@link ClockDomain} converts their cycles to
 * the nearest picosecond without accumulating error.
 */
public final class Time {
  private Time() {}

  public static final long PS = 1;
  public static final long NS = 1_000;
  public static final long US = 1_000_000;
  public static final long MS = 1_000_000_000;
  public static final long S = 1_000_000_000_000L;

  /** Picoseconds from nanoseconds, rounded to the nearest ps. */
  public static long ns(double ns) {
    return Math.round(ns * NS);
  }

  public static double toNs(long ps) {
    return ps / (double) NS;
  }

  public static double toUs(long ps) {
    return ps / (double) US;
  }

  public static double toSeconds(long ps) {
    return ps / (double) S;
  }

  /**
   * Picoseconds needed to move {@code bytes} at {@code bytesPerSecond} (rounded to whole bytes
   * per second), rounded up; exact, see {@link SerialChannel}.
   */
  public static long transfer(long bytes, double bytesPerSecond) {
    return SerialChannel.transferTime(bytes, bytesPerSecond);
  }

  static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
