package org.dsasim.core.time;

/**
 * The global time base: one tick is one picosecond, held in a {@code long} (up to 106 days of
 * simulated time). Fine enough for the GPU core (~2 GHz, 505 ps), HBM (~3.2 GHz, 312.5 ps) and
 * interconnect clocks; {@link ClockDomain} converts their cycles exactly (to the nearest ps).
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

  /** Picoseconds needed to move {@code bytes} at {@code bytesPerSecond}, rounded up. */
  public static long transfer(long bytes, double bytesPerSecond) {
    return (long) Math.ceil(bytes * (S / bytesPerSecond));
  }
}
