package org.dsasim.accel.timeline;

import java.nio.file.Path;
import java.util.Arrays;
import org.dsasim.accel.kernel.Kernel;
import org.dsasim.accel.system.Accelerator;
import org.dsasim.core.timeline.Timeline;

/**
 * Records a window of a few decode steps as a Chrome / Perfetto trace ({@link Timeline}):
 *
 * <ul>
 *   <li>process "GPU", track "steps and kernels": a slice per step, the step's kernels nested in
 *       it (category: the kernel's phase);
 *   <li>process "compute units", a track per group of units: a slice for each stretch during
 *       which any unit of the group holds a block, named after the kernel;
 *   <li>process "HBM channels": per channel a bandwidth counter (GB/s), and one for all channels
 *       (TB/s);
 *   <li>process "LLC partitions": per partition the hit rate (0 where nothing was looked up) and
 *       the bandwidth of its hits (GB/s).
 * </ul>
 *
 * <p>Counters are sampled in bins: by default a fiftieth of the step before the window (the
 * window starts after the warm-up, so that step exists unless there is no warm-up), or
 * {@code binPs} if given. Nothing is recorded outside the window, so the file's size depends on
 * the window's steps and the device's shape, never on the length of the run.
 */
public final class TimelineRecorder implements ActivityObserver {
  /** Counter samples per step when the bin width is derived from the step before the window. */
  public static final int BINS_PER_STEP = 50;
  /** Bin width when there is neither an earlier step nor a given width. */
  public static final long DEFAULT_BIN_PS = 1_000_000;

  private final int firstStep;
  private final int steps;
  private final int unitsPerGroup;
  private final long fixedBinPs;
  private final Timeline timeline = Timeline.window(0, Long.MAX_VALUE);

  private int kernelTrack;
  private int[] groupTrack = new int[0];
  private int[] groupResident = new int[0];
  private long[] groupBusySince = new long[0];
  private Kernel kernel;
  private long kernelStartPs;

  private boolean active;
  private int recordedSteps;
  private long stepStart;
  private long previousStepPs;
  private long windowStart = -1;
  private long windowEnd = -1;
  private long binPs;
  private int bins;
  private int capacity;
  private long[][] hbmBytes = new long[0][0];
  private long[][] llcLookups = new long[0][0];
  private long[][] llcHits = new long[0][0];
  private long[][] llcHitBytes = new long[0][0];

  /**
   * Records steps {@code firstStep} to {@code firstStep + steps - 1} (those that run), with a
   * track per {@code unitsPerGroup} compute units and counter bins of {@code binPs} (0: derived
   * from the step before the window).
   */
  public TimelineRecorder(int firstStep, int steps, int unitsPerGroup, long binPs) {
    if (firstStep < 0 || steps < 1 || unitsPerGroup < 1 || binPs < 0) {
      throw new IllegalArgumentException("timeline: first step " + firstStep + ", steps " + steps
          + ", units per group " + unitsPerGroup + ", bin " + binPs + " ps");
    }
    this.firstStep = firstStep;
    this.steps = steps;
    this.unitsPerGroup = unitsPerGroup;
    this.fixedBinPs = binPs;
  }

  /** Starts observing {@code acc}'s compute units and memory side. */
  public void attach(Accelerator acc) {
    kernelTrack = timeline.track("GPU", "steps and kernels");
    int units = acc.gpu().smCount();
    int groups = (units + unitsPerGroup - 1) / unitsPerGroup;
    groupTrack = new int[groups];
    groupResident = new int[groups];
    groupBusySince = new long[groups];
    for (int g = 0; g < groups; g++) {
      int lo = g * unitsPerGroup;
      int hi = Math.min(units, lo + unitsPerGroup) - 1;
      groupTrack[g] = timeline.track("compute units", "units " + lo + "-" + hi);
    }
    acc.gpu().setActivityObserver(this);
    acc.memory().setActivityObserver(this);
  }

  /** Step {@code step} begins at {@code atPs} (called for every step, recorded or not). */
  public void stepStarted(int step, long atPs) {
    stepStart = atPs;
    if (step == firstStep) {
      windowStart = atPs;
      binPs = fixedBinPs > 0 ? fixedBinPs
          : previousStepPs > 0 ? Math.max(1, previousStepPs / BINS_PER_STEP) : DEFAULT_BIN_PS;
      bins = 0;
      resize(2 * BINS_PER_STEP * steps);
    }
    active = step >= firstStep && step < firstStep + steps;
  }

  /** Step {@code step} ended at {@code atPs}, everything it started done. */
  public void stepFinished(int step, long atPs) {
    if (active) {
      timeline.slice(kernelTrack, "step " + step, "step", stepStart, atPs);
      windowEnd = atPs;
      recordedSteps++;
    }
    active = false;
    previousStepPs = atPs - stepStart;
  }

  public int recordedSteps() {
    return recordedSteps;
  }

  /**
   * Writes the trace (atomically): the slices, and the counters of every bin in the window. A
   * counter holds its value until its next sample, so a sample equal to the one before is left
   * out (idle channels cost one sample, not one per bin).
   */
  public void write(Path file) {
    if (windowEnd < 0) {
      throw new IllegalStateException("no step of the timeline window (from step " + firstStep
          + ") ran");
    }
    int channels = hbmBytes.length;
    int partitions = llcLookups.length;
    String[] names = new String[channels + 1 + 2 * partitions];
    for (int c = 0; c < channels; c++) {
      names[c] = "channel " + c + " GB/s";
    }
    names[channels] = "all channels TB/s";
    for (int p = 0; p < partitions; p++) {
      names[channels + 1 + 2 * p] = "partition " + p + " hit rate";
      names[channels + 2 + 2 * p] = "partition " + p + " hit GB/s";
    }
    double[] last = new double[names.length];
    Arrays.fill(last, Double.NaN);
    double[] value = new double[names.length];
    for (int b = 0; b < bins && windowStart + b * binPs < windowEnd; b++) {
      long all = 0;
      for (int c = 0; c < channels; c++) {
        all += hbmBytes[c][b];
        value[c] = hbmBytes[c][b] * 1e3 / binPs;
      }
      value[channels] = (double) all / binPs;
      for (int p = 0; p < partitions; p++) {
        long n = llcLookups[p][b];
        value[channels + 1 + 2 * p] = n == 0 ? 0 : (double) llcHits[p][b] / n;
        value[channels + 2 + 2 * p] = llcHitBytes[p][b] * 1e3 / binPs;
      }
      long t = windowStart + b * binPs;
      for (int i = 0; i < names.length; i++) {
        if (value[i] != last[i]) {
          timeline.counter(i <= channels ? "HBM channels" : "LLC partitions", names[i], t,
              value[i]);
          last[i] = value[i];
        }
      }
    }
    timeline.write(file);
  }

  // ---------------------------------------------------------------- ActivityObserver

  @Override
  public void memoryLayout(int llcPartitions, int hbmChannels) {
    hbmBytes = new long[hbmChannels][0];
    llcLookups = new long[llcPartitions][0];
    llcHits = new long[llcPartitions][0];
    llcHitBytes = new long[llcPartitions][0];
  }

  @Override
  public void kernelStarted(Kernel k, long atPs) {
    kernel = k;
    kernelStartPs = atPs;
  }

  @Override
  public void kernelFinished(Kernel k, long atPs) {
    if (active) {
      timeline.slice(kernelTrack, k.name(), k.phase(), kernelStartPs, atPs);
    }
  }

  @Override
  public void blockStarted(int unit, long atPs) {
    int g = unit / unitsPerGroup;
    if (groupResident[g]++ == 0) {
      groupBusySince[g] = atPs;
    }
  }

  @Override
  public void blockRetired(int unit, long atPs) {
    int g = unit / unitsPerGroup;
    if (--groupResident[g] == 0 && active) {
      timeline.slice(groupTrack[g], kernel.name(), kernel.phase(), groupBusySince[g], atPs);
    }
  }

  @Override
  public void llcLookup(int partition, boolean hit, int bytes, long atPs) {
    int b = bin(atPs);
    if (b < 0) {
      return;
    }
    llcLookups[partition][b]++;
    if (hit) {
      llcHits[partition][b]++;
      llcHitBytes[partition][b] += bytes;
    }
  }

  @Override
  public void hbmTransfer(int channel, long startPs, long endPs, long bytes) {
    int b = bin(startPs);
    if (b < 0) {
      return;
    }
    if (channel >= 0) {
      hbmBytes[channel][b] += bytes;
      return;
    }
    int channels = hbmBytes.length;
    for (int c = 0; c < channels; c++) {
      hbmBytes[c][b] += bytes / channels + (c < bytes % channels ? 1 : 0);
    }
  }

  /** The counter bin of {@code ps}, growing the bins as needed; -1 when not recording. */
  private int bin(long ps) {
    if (!active || ps < windowStart) {
      return -1;
    }
    long b = (ps - windowStart) / binPs;
    if (b >= Integer.MAX_VALUE / 2) {
      return -1;
    }
    int i = (int) b;
    if (i >= capacity) {
      resize(2 * i + 1);
    }
    bins = Math.max(bins, i + 1);
    return i;
  }

  private void resize(int newCapacity) {
    capacity = newCapacity;
    hbmBytes = grow(hbmBytes, capacity);
    llcLookups = grow(llcLookups, capacity);
    llcHits = grow(llcHits, capacity);
    llcHitBytes = grow(llcHitBytes, capacity);
  }

  private static long[][] grow(long[][] a, int length) {
    for (int i = 0; i < a.length; i++) {
      a[i] = Arrays.copyOf(a[i], Math.max(length, a[i].length));
    }
    return a;
  }
}
