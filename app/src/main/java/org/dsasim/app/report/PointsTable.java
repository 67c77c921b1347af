package org.dsasim.app.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dsasim.core.UserInputException;
import org.dsasim.core.io.TextFiles;

/**
 * The table of a sweep, {@code points.csv}: a header {@code id, <axis keys...>, [seed,] status,
 * <metrics...>, error} and one row per point (RFC 4180 quoting). Metrics are looked up by a
 * normalised name, so that "llc_hit_rate.reserved", "llc_hit_rate/reserved" and
 * "llc_hit_rate_reserved" are the same column.
 */
final class PointsTable {
  static final String FILE = "points.csv";

  /** One point: its id, axis values (in axis order), status, metrics and error. */
  record Point(String id, List<String> axisValues, String status, Map<String, String> metrics,
      String error) {
    boolean ok() {
      return status.equals("ok");
    }

    /** The metric {@code name} as a number, NaN if it is absent or not a number. */
    double metric(String name) {
      String v = metrics.get(normalise(name));
      if (v == null || v.isEmpty()) {
        return Double.NaN;
      }
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
  }

  private final List<String> axes;
  private final List<String> metricNames;
  private final List<Point> points;

  private PointsTable(List<String> axes, List<String> metricNames, List<Point> points) {
    this.axes = axes;
    this.metricNames = metricNames;
    this.points = points;
  }

  static boolean isSweep(Path dir) {
    return Files.isRegularFile(dir.resolve(FILE));
  }

  List<String> axes() {
    return axes;
  }

  /** Metric column names as they appear in the header. */
  List<String> metricNames() {
    return metricNames;
  }

  List<Point> points() {
    return points;
  }

  static PointsTable read(Path dir) {
    Path file = dir.resolve(FILE);
    List<List<String>> rows = parse(file, TextFiles.read(file, "points table"));
    if (rows.isEmpty()) {
      throw new UserInputException(file + ": empty; expected a header line");
    }
    List<String> header = rows.get(0);
    int status = header.indexOf("status");
    if (header.isEmpty() || !header.get(0).equals("id") || status < 0) {
      throw new UserInputException(file + ": line 1: expected the header 'id, <axes>, [seed,]"
          + " status, <metrics>, error', found '" + String.join(",", header) + "'");
    }
    int axisEnd = status > 1 && header.get(status - 1).equals("seed") ? status - 1 : status;
    int error = header.lastIndexOf("error");
    int metricEnd = error > status ? error : header.size();
    List<String> axes = List.copyOf(header.subList(1, axisEnd));
    List<String> metricNames = List.copyOf(header.subList(status + 1, metricEnd));
    List<Point> points = new ArrayList<>();
    for (int r = 1; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      if (row.size() != header.size()) {
        throw new UserInputException(file + ": row " + (r + 1) + ": " + row.size()
            + " cells, but the header has " + header.size());
      }
      Map<String, String> metrics = new LinkedHashMap<>();
      for (int c = status + 1; c < metricEnd; c++) {
        metrics.put(normalise(header.get(c)), row.get(c));
      }
      points.add(new Point(row.get(0), List.copyOf(row.subList(1, axisEnd)), row.get(status),
          metrics, error > status ? row.get(error) : ""));
    }
    return new PointsTable(axes, metricNames, points);
  }

  /** Lower case, every run of characters other than letters and digits as one underscore. */
  static String normalise(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
  }

  /** RFC 4180 rows: quoted cells may hold commas, doubled quotes and line ends. */
  static List<List<String>> parse(Path file, String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    int line = 1;
    int i = 0;
    int n = text.length();
    boolean any = false;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '"' && cell.isEmpty()) {
        int startLine = line;
        i++;
        while (true) {
          if (i >= n) {
            throw new UserInputException(file + ": line " + startLine
                + ": a quoted cell is not closed");
          }
          char q = text.charAt(i);
          if (q == '"' && i + 1 < n && text.charAt(i + 1) == '"') {
            cell.append('"');
            i += 2;
          } else if (q == '"') {
            i++;
            break;
          } else {
            line += q == '\n' ? 1 : 0;
            cell.append(q);
            i++;
          }
        }
        any = true;
      } else if (c == ',') {
        row.add(cell.toString());
        cell.setLength(0);
        any = true;
        i++;
      } else if (c == '\n' || c == '\r') {
        if (any || !cell.isEmpty()) {
          row.add(cell.toString());
          rows.add(row);
        }
        row = new ArrayList<>();
        cell.setLength(0);
        any = false;
        i += c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
        line++;
      } else {
        cell.append(c);
        any = true;
        i++;
      }
    }
    if (any || !cell.isEmpty()) {
      row.add(cell.toString());
      rows.add(row);
    }
    return rows;
  }
}
