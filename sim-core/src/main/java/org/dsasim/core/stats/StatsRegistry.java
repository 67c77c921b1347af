package org.dsasim.core.stats;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.HdrHistogram.HistogramLogWriter;
import org.dsasim.core.config.Units;

/**
 * All statistics of one simulation, by hierarchical name, and their sampling over time.
 *
 * <ul>
 *   <li>Components register statistics through {@link #scope} and update them directly.
 *   <li>{@link #reset} at the end of the warm-up forgets everything recorded so far.
 *   <li>{@link #endInterval} (for example after each decode step) appends one row of per-interval
 *       values to the time series and one interval histogram per distribution to the {@code .hlog}
 *       log, then starts the next interval.
 *   <li>{@link #report} freezes totals, time series and log for output (JSON, CSV, a table).
 * </ul>
 *
 * Times are simulated picoseconds. Not thread-safe: one simulation, one thread.
 */
public final class StatsRegistry {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

  private final TreeMap<String, Stat> stats = new TreeMap<>();
  private long startPs;
  private long intervalStartPs;
  private List<String> columns;
  private final List<StatsReport.Interval> intervals = new ArrayList<>();
  private ByteArrayOutputStream hlogBytes;
  private PrintStream hlogStream;
  private HistogramLogWriter hlog;

  public StatsRegistry() {
    startLog();
  }

  /** Registers statistics under {@code prefix} (a component's hierarchical name, or ""). */
  public StatsScope scope(String prefix) {
    if (!prefix.isEmpty()) {
      checkName(prefix);
    }
    return new StatsScope(this, prefix);
  }

  /** Every statistic, sorted by name. */
  public Collection<Stat> stats() {
    return Collections.unmodifiableCollection(stats.values());
  }

  /** The statistic called {@code name} (for reports and tests; components keep references). */
  public Optional<Stat> find(String name) {
    return Optional.ofNullable(stats.get(name));
  }

  /**
   * Forgets all values, time-series rows and logged intervals; measurement restarts at {@code
   * nowPs}.
   */
  public void reset(long nowPs) {
    for (Stat s : stats.values()) {
      s.reset();
    }
    intervals.clear();
    columns = null;
    startPs = nowPs;
    intervalStartPs = nowPs;
    startLog();
  }

  /**
   * Closes the interval that began at the previous {@link #endInterval} (or reset) and ends at
   * {@code nowPs}: records its row and its histograms, then starts the next one. After the first
   * row no more statistics can be registered (the columns are fixed) until the next reset.
   */
  public void endInterval(long nowPs) {
    if (nowPs < intervalStartPs) {
      throw new IllegalArgumentException(
          "interval end " + nowPs + " ps is before its start " + intervalStartPs + " ps");
    }
    if (columns == null) {
      columns = StatsReport.intervalColumns(stats.values());
    }
    StatView view = view(intervalStartPs, nowPs, true);
    double[] values = new double[columns.size()];
    int c = 0;
    for (Stat s : stats.values()) {
      if (s instanceof ScalarStat scalar) {
        values[c++] = scalar.valueIn(view);
      } else if (s instanceof Distribution d) {
        Distribution.Summary sum = Distribution.Summary.of(d.currentInterval());
        values[c++] = sum.count();
        values[c++] = sum.mean();
        values[c++] = sum.count() == 0 ? Double.NaN : sum.p50();
        values[c++] = sum.count() == 0 ? Double.NaN : sum.p99();
        values[c++] = sum.count() == 0 ? Double.NaN : sum.max();
        hlog.outputIntervalHistogram(
            logTime(intervalStartPs), logTime(nowPs), d.currentInterval(), 1.0);
      }
    }
    intervals.add(new StatsReport.Interval(intervalStartPs, nowPs, values));
    for (Stat s : stats.values()) {
      s.beginInterval();
    }
    intervalStartPs = nowPs;
  }

  /** Totals since the last reset up to {@code nowPs}, with the time series and the log so far. */
  public StatsReport report(long nowPs) {
    if (nowPs < startPs) {
      throw new IllegalArgumentException(
          "report time " + nowPs + " ps is before the measurement start " + startPs + " ps");
    }
    StatView view = view(startPs, nowPs, false);
    List<StatsReport.Entry> entries = new ArrayList<>();
    for (Stat s : stats.values()) {
      if (s instanceof ScalarStat scalar) {
        Number value =
            scalar instanceof Counter counter ? (Number) counter.value() : scalar.valueIn(view);
        long count = scalar instanceof Average avg ? avg.count() : -1;
        entries.add(new StatsReport.Entry(s, value, count, null));
      } else if (s instanceof Distribution d) {
        entries.add(new StatsReport.Entry(s, null, -1, Distribution.Summary.of(d.total())));
      }
    }
    hlogStream.flush();
    byte[] log = hlogBytes.toByteArray();
    return new StatsReport(
        startPs,
        nowPs,
        entries,
        columns == null ? List.of() : columns,
        List.copyOf(intervals),
        log);
  }

  <S extends Stat> S add(S stat) {
    if (columns != null) {
      throw new IllegalStateException(
          "cannot register "
              + stat.name()
              + " after the first interval; register all"
              + " statistics before sampling starts");
    }
    if (stats.putIfAbsent(stat.name(), stat) != null) {
      throw new IllegalArgumentException("statistic " + stat.name() + " is registered twice");
    }
    return stat;
  }

  static void checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "bad statistic name '" + name + "': dotted words of letters, digits, '-' and '_'");
    }
  }

  private static StatView view(long fromPs, long toPs, boolean interval) {
    double seconds = (toPs - fromPs) / (double) Units.PS_PER_S;
    return new StatView() {
      @Override
      public double value(ScalarStat stat) {
        return stat.valueIn(this);
      }

      @Override
      public double seconds() {
        return seconds;
      }

      @Override
      public boolean isInterval() {
        return interval;
      }
    };
  }

  /**
   * Log timestamps are simulated microseconds since the measurement start: the hlog format prints
   * timestamps in "seconds" with three decimals, which would round decode steps to zero.
   */
  private double logTime(long ps) {
    return (ps - startPs) / 1e6;
  }

  private void startLog() {
    hlogBytes = new ByteArrayOutputStream();
    hlogStream = new PrintStream(hlogBytes, false, StandardCharsets.UTF_8);
    hlog = new HistogramLogWriter(hlogStream);
    hlog.outputComment("dsasim statistics: one interval histogram per distribution (Tag=name)");
    hlog.outputComment("timestamps are simulated microseconds since the end of the warm-up");
    hlog.outputLogFormatVersion();
    hlog.outputBaseTime(0);
    hlog.outputLegend();
  }
}
