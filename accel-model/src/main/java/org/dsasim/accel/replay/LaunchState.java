package org.dsasim.accel.replay;

import java.util.Arrays;

/**
 * The part of a device's state that a kernel launch changes, written by each component in a fixed
 * order: counters, accumulated sums and times. Two snapshots, taken when a launch starts and when
 * it ends, give the launch's {@link #change}; a later launch that would do exactly the same work
 * from an equivalent state is then replayed by handing the change back to the components, which
 * read it in the order they wrote it (see {@code Gpu}).
 *
 * <p>Counters and sums are replayed as their change (added); a time as the same offset from the
 * replayed launch's start as from the recorded launch's start.
 */
public final class LaunchState {
  private long origin;
  private long[] counts = new long[256];
  private double[] sums = new double[16];
  private double[] times = new double[16];
  private int countsUsed;
  private int sumsUsed;
  private int timesUsed;
  // read positions, while a change is replayed
  private int countAt;
  private int sumAt;
  private int timeAt;

  /** Starts a snapshot; times are written relative to {@code origin} (the launch's start). */
  public LaunchState(long origin) {
    this.origin = origin;
  }

  /** Writes a counter. */
  public void count(long v) {
    if (countsUsed == counts.length) {
      counts = Arrays.copyOf(counts, countsUsed * 2);
    }
    counts[countsUsed++] = v;
  }

  /** Writes an accumulated (fractional) sum. */
  public void sum(double v) {
    if (sumsUsed == sums.length) {
      sums = Arrays.copyOf(sums, sumsUsed * 2);
    }
    sums[sumsUsed++] = v;
  }

  /** Writes a time, in ps (kept relative to the origin). */
  public void time(double t) {
    if (timesUsed == times.length) {
      times = Arrays.copyOf(times, timesUsed * 2);
    }
    times[timesUsed++] = t - origin;
  }

  /**
   * The change from {@code before} to this snapshot, both written in the same order from the same
   * origin: counters and sums as differences, times as this snapshot's.
   */
  public LaunchState change(LaunchState before) {
    if (before.origin != origin || before.countsUsed != countsUsed
        || before.sumsUsed != sumsUsed || before.timesUsed != timesUsed) {
      throw new IllegalArgumentException("snapshots of different shapes or origins");
    }
    LaunchState d = new LaunchState(origin);
    d.counts = new long[countsUsed];
    for (int i = 0; i < countsUsed; i++) {
      d.counts[i] = counts[i] - before.counts[i];
    }
    d.sums = new double[sumsUsed];
    for (int i = 0; i < sumsUsed; i++) {
      d.sums[i] = sums[i] - before.sums[i];
    }
    d.times = Arrays.copyOf(times, timesUsed);
    d.countsUsed = countsUsed;
    d.sumsUsed = sumsUsed;
    d.timesUsed = timesUsed;
    return d;
  }

  /** Starts reading a change back for a launch that starts at {@code start}. */
  public void replayFrom(long start) {
    origin = start;
    countAt = 0;
    sumAt = 0;
    timeAt = 0;
  }

  /** The next counter's change. */
  public long nextCount() {
    return counts[countAt++];
  }

  /** The next sum's change. */
  public double nextSum() {
    return sums[sumAt++];
  }

  /** The next time, at its recorded offset from the replayed launch's start. */
  public double nextTime() {
    return origin + times[timeAt++];
  }

  /** Whether every value was read back (the components read what they wrote). */
  public boolean fullyRead() {
    return countAt == countsUsed && sumAt == sumsUsed && timeAt == timesUsed;
  }
}
