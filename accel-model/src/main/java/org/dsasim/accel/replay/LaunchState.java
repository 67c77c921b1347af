package org.dsasim.accel.replay;

import java.util.Arrays;

/**
 * The part of a device's state that a kernel launch changes: counters, accumulated sums and times.
 * Each component passes every such value through one method ({@link #count}, {@link #sum},
 * {@link #time}) and stores what it returns, always in the same order; so one pass over the
 * components serves both uses (see {@code Gpu}):
 *
 * <ul>
 *   <li>a {@link #snapshot}, taken when a launch starts and when it ends, records the values and
 *       returns them unchanged; the two give the launch's {@link #change};
 *   <li>a change, replayed for a later launch that does the same work from an equivalent state
 *       ({@link #replayFrom}), returns each value as the recorded launch changed it: a counter or
 *       a sum plus its change, a time at the same offset from the replayed launch's start as from
 *       the recorded launch's start.
 * </ul>
 */
public final class LaunchState {
  private final boolean snapshot;
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

  private LaunchState(boolean snapshot, long origin) {
    this.snapshot = snapshot;
    this.origin = origin;
  }

  /** A snapshot; times are recorded relative to {@code origin} (the launch's start). */
  public static LaunchState snapshot(long origin) {
    return new LaunchState(true, origin);
  }

  /** A counter: recorded, or returned plus its change. */
  public long count(long v) {
    if (!snapshot) {
      return v + counts[countAt++];
    }
    if (countsUsed == counts.length) {
      counts = Arrays.copyOf(counts, countsUsed * 2);
    }
    counts[countsUsed++] = v;
    return v;
  }

  /** An accumulated (fractional) sum: recorded, or returned plus its change. */
  public double sum(double v) {
    if (!snapshot) {
      return v + sums[sumAt++];
    }
    if (sumsUsed == sums.length) {
      sums = Arrays.copyOf(sums, sumsUsed * 2);
    }
    sums[sumsUsed++] = v;
    return v;
  }

  /** A time in ps: recorded (relative to the origin), or the recorded one for this launch. */
  public double time(double t) {
    if (!snapshot) {
      return origin + times[timeAt++];
    }
    if (timesUsed == times.length) {
      times = Arrays.copyOf(times, timesUsed * 2);
    }
    times[timesUsed++] = t - origin;
    return t;
  }

  /**
   * The change from snapshot {@code before} to this snapshot, both taken from the same origin
   * with the same values: counters and sums as differences, times as this snapshot's.
   */
  public LaunchState change(LaunchState before) {
    if (!snapshot || !before.snapshot || before.origin != origin
        || before.countsUsed != countsUsed || before.sumsUsed != sumsUsed
        || before.timesUsed != timesUsed) {
      throw new IllegalArgumentException("not two snapshots of the same values and origin");
    }
    LaunchState d = new LaunchState(false, origin);
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

  /** Starts replaying this change for a launch that starts at {@code start}. */
  public void replayFrom(long start) {
    if (snapshot) {
      throw new IllegalStateException("a snapshot is not a change to replay");
    }
    origin = start;
    countAt = 0;
    sumAt = 0;
    timeAt = 0;
  }

  /** Whether a replay used every recorded value (the components passed what they recorded). */
  public boolean fullyRead() {
    return countAt == countsUsed && sumAt == sumsUsed && timeAt == timesUsed;
  }
}
