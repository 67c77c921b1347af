package org.dsasim.core.stats;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.dsasim.core.config.Units;
import org.dsasim.core.io.AtomicFiles;
import org.dsasim.core.io.Csv;

/**
 * A frozen view of the statistics at one moment: totals since the last reset, the per-interval time
 * series and the HdrHistogram interval log. Every output is a pure function of the recorded values,
 * so identical runs give byte-identical files.
 *
 * <p>Distribution columns in the time series are {@code NAME.count}, {@code NAME.mean}, {@code
 * NAME.p50}, {@code NAME.p99} and {@code NAME.max}.
 */
public final class StatsReport {
  /**
   * One statistic's totals.
   *
   * @param stat the statistic
   * @param value the value (a {@code Long} for counters, else a {@code Double}, NaN when
   *     undefined); null for distributions
   * @param count samples of an average, else -1
   * @param distribution summary of a distribution, else null
   */
  public record Entry(Stat stat, Number value, long count, Distribution.Summary distribution) {}

  /** One row of the time series: the interval's span and a value per column. */
  public record Interval(long startPs, long endPs, double[] values) {}

  private static final String[] DISTRIBUTION_COLUMNS = {"count", "mean", "p50", "p99", "max"};

  private final long startPs;
  private final long endPs;
  private final List<Entry> entries;
  private final List<String> columns;
  private final List<Interval> intervals;
  private final byte[] hlog;

  StatsReport(
      long startPs,
      long endPs,
      List<Entry> entries,
      List<String> columns,
      List<Interval> intervals,
      byte[] hlog) {
    this.startPs = startPs;
    this.endPs = endPs;
    this.entries = List.copyOf(entries);
    this.columns = List.copyOf(columns);
    this.intervals = intervals;
    this.hlog = hlog;
  }

  static List<String> intervalColumns(Collection<Stat> stats) {
    List<String> cols = new ArrayList<>();
    for (Stat s : stats) {
      if (s instanceof Distribution) {
        for (String c : DISTRIBUTION_COLUMNS) {
          cols.add(s.name() + "." + c);
        }
      } else {
        cols.add(s.name());
      }
    }
    return cols;
  }

  public long startPs() {
    return startPs;
  }

  public long endPs() {
    return endPs;
  }

  /** Totals of every statistic, sorted by name. */
  public List<Entry> entries() {
    return entries;
  }

  /** Column names of the time series. */
  public List<String> intervalColumns() {
    return columns;
  }

  public List<Interval> intervals() {
    return intervals;
  }

  // ------------------------------------------------------------------------------ JSON

  /**
   * JSON: {@code {"start_ps", "end_ps", "simulated_seconds", "stats": {NAME: {...}}, "intervals":
   * {"columns": [...], "rows": [{"start_ps", "end_ps", "values": [...]}]}}}. Undefined values (a
   * ratio over zero) are {@code null}.
   */
  public byte[] toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writeJson(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public void writeJson(Path target) {
    AtomicFiles.write(target, this::writeJson);
  }

  private void writeJson(OutputStream out) throws IOException {
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeNumberField("start_ps", startPs);
      g.writeNumberField("end_ps", endPs);
      writeNumber(g, "simulated_seconds", (endPs - startPs) / (double) Units.PS_PER_S);
      g.writeObjectFieldStart("stats");
      for (Entry e : entries) {
        Stat s = e.stat();
        g.writeObjectFieldStart(s.name());
        g.writeStringField("kind", s.kind());
        g.writeStringField("unit", s.unit());
        g.writeStringField("description", s.description());
        if (e.distribution() != null) {
          Distribution.Summary d = e.distribution();
          g.writeNumberField("count", d.count());
          if (d.count() > 0) {
            g.writeNumberField("min", d.min());
            writeNumber(g, "mean", d.mean());
            g.writeNumberField("p50", d.p50());
            g.writeNumberField("p90", d.p90());
            g.writeNumberField("p99", d.p99());
            g.writeNumberField("p999", d.p999());
            g.writeNumberField("max", d.max());
          }
        } else {
          if (e.value() instanceof Long l) {
            g.writeNumberField("value", l);
          } else {
            writeNumber(g, "value", e.value().doubleValue());
          }
          if (e.count() >= 0) {
            g.writeNumberField("count", e.count());
          }
        }
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeObjectFieldStart("intervals");
      g.writeArrayFieldStart("columns");
      for (String c : columns) {
        g.writeString(c);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("rows");
      for (Interval row : intervals) {
        g.writeStartObject();
        g.writeNumberField("start_ps", row.startPs());
        g.writeNumberField("end_ps", row.endPs());
        g.writeArrayFieldStart("values");
        for (double v : row.values()) {
          if (Double.isFinite(v)) {
            g.writeNumber(v);
          } else {
            g.writeNull();
          }
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }

  private static void writeNumber(JsonGenerator g, String field, double v) throws IOException {
    if (Double.isFinite(v)) {
      g.writeNumberField(field, v);
    } else {
      g.writeNullField(field);
    }
  }

  // ------------------------------------------------------------------------------ CSV

  /**
   * One row per statistic: {@code name,kind,unit,value,count,min,mean,p50,p90,p99,p999,max,
   * description}; cells that do not apply are empty.
   */
  public String toCsv() {
    StringBuilder sb =
        new StringBuilder("name,kind,unit,value,count,min,mean,p50,p90,p99,p999,max,description\n");
    for (Entry e : entries) {
      Stat s = e.stat();
      List<String> cells = new ArrayList<>(List.of(s.name(), s.kind(), s.unit()));
      if (e.distribution() != null) {
        Distribution.Summary d = e.distribution();
        boolean any = d.count() > 0;
        cells.add("");
        cells.add(Long.toString(d.count()));
        cells.add(any ? Long.toString(d.min()) : "");
        cells.add(any ? number(d.mean()) : "");
        for (long p : new long[] {d.p50(), d.p90(), d.p99(), d.p999(), d.max()}) {
          cells.add(any ? Long.toString(p) : "");
        }
      } else {
        cells.add(e.value() instanceof Long l ? Long.toString(l) : number(e.value().doubleValue()));
        cells.add(e.count() >= 0 ? Long.toString(e.count()) : "");
        for (int i = 0; i < 7; i++) {
          cells.add("");
        }
      }
      cells.add(s.description());
      Csv.appendRow(sb, cells);
    }
    return sb.toString();
  }

  public void writeCsv(Path target) {
    AtomicFiles.writeString(target, toCsv());
  }

  /** The time series: {@code interval,start_ps,end_ps,COLUMN...}, one row per interval. */
  public String intervalsCsv() {
    StringBuilder sb = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("interval", "start_ps", "end_ps"));
    header.addAll(columns);
    Csv.appendRow(sb, header);
    for (int i = 0; i < intervals.size(); i++) {
      Interval row = intervals.get(i);
      List<String> cells =
          new ArrayList<>(
              List.of(
                  Integer.toString(i), Long.toString(row.startPs()), Long.toString(row.endPs())));
      for (double v : row.values()) {
        cells.add(number(v));
      }
      Csv.appendRow(sb, cells);
    }
    return sb.toString();
  }

  public void writeIntervalsCsv(Path target) {
    AtomicFiles.writeString(target, intervalsCsv());
  }

  /** Whole numbers without a decimal point, others in Java's shortest round-trip form. */
  private static String number(double v) {
    if (!Double.isFinite(v)) {
      return "";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  // ------------------------------------------------------------------------------ hlog

  /**
   * The HdrHistogram interval log ({@code .hlog}): one interval histogram per distribution and
   * interval, tagged with the distribution's name, readable by {@code HistogramLogReader} and
   * {@code HistogramLogProcessor -tag NAME}. Timestamps are simulated microseconds.
   */
  public byte[] hlog() {
    return hlog.clone();
  }

  public void writeHlog(Path target) {
    AtomicFiles.write(target, out -> out.write(hlog));
  }

  // ------------------------------------------------------------------------------ table

  /**
   * A table for people: name, value, unit, description; distributions as count/mean/p50/p99/max.
   */
  public String summaryTable() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"STATISTIC", "VALUE", "UNIT", "DESCRIPTION"});
    for (Entry e : entries) {
      Stat s = e.stat();
      String value;
      if (e.distribution() != null) {
        Distribution.Summary d = e.distribution();
        value =
            d.count() == 0
                ? "n=0"
                : String.format(
                    Locale.ROOT,
                    "n=%d mean=%s p50=%d p99=%d max=%d",
                    d.count(),
                    human(d.mean()),
                    d.p50(),
                    d.p99(),
                    d.max());
      } else {
        value = e.value() instanceof Long l ? Long.toString(l) : human(e.value().doubleValue());
      }
      rows.add(new String[] {s.name(), value, s.unit(), s.description()});
    }
    int[] width = new int[3];
    for (String[] r : rows) {
      for (int i = 0; i < 3; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "statistics over %s of simulated time\n",
            new Units.Time(endPs - startPs, false)));
    for (String[] r : rows) {
      sb.append(
          String.format(
                  Locale.ROOT,
                  "%-" + width[0] + "s  %" + width[1] + "s  %-" + width[2] + "s  %s",
                  r[0],
                  r[1],
                  r[2],
                  r[3])
              .stripTrailing());
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String human(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }

  @Override
  public String toString() {
    return new String(toJson(), StandardCharsets.UTF_8);
  }
}
