package org.dsasim.app.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsasim.app.JsonMappers;
import org.dsasim.core.io.AtomicFiles;
import org.dsasim.core.io.Csv;

/**
 * The table of a sweep: one row per point with its id, every axis value, its seed, its status,
 * every summary metric, the spec's {@code compare:} columns and its error if it failed. Written
 * as CSV (RFC 4180 quoting) and JSON.
 */
final class ResultTable {
  private ResultTable() {}

  /** @param compare the derived columns to add, or null */
  static void write(Path out, List<String> axisKeys, List<JsonNode> rows,
      SweepSpec.Compare compare) {
    Set<String> metrics = new LinkedHashSet<>();
    boolean seeds = false;
    for (JsonNode r : rows) {
      seeds |= r.has("seed");
      for (Iterator<String> it = r.path("metrics").fieldNames(); it.hasNext(); ) {
        metrics.add(it.next());
      }
    }
    List<String> header = new ArrayList<>();
    header.add("id");
    header.addAll(axisKeys);
    if (seeds) {
      header.add("seed");
    }
    header.add("status");
    header.addAll(metrics);
    Map<String, JsonNode> baselines = new HashMap<>();
    if (compare != null) {
      compare.metrics().forEach(m -> header.add(SweepSpec.Compare.column(m)));
      for (JsonNode r : rows) {
        if (compare.baseline().equals(r.path("axes").path(compare.axis()).asText(null))) {
          baselines.put(othersOf(r, axisKeys, compare.axis()), r);
        }
      }
    }
    header.add("error");

    StringBuilder csv = new StringBuilder();
    Csv.appendRow(csv, header);
    ArrayNode json = JsonMappers.INDENTED.createArrayNode();
    for (JsonNode r : rows) {
      List<String> cells = new ArrayList<>();
      ObjectNode row = json.addObject();
      cells.add(r.path("id").asText());
      row.put("id", r.path("id").asText());
      for (String k : axisKeys) {
        String v = r.path("axes").path(k).asText("");
        cells.add(v);
        row.put(k, v);
      }
      if (seeds) {
        cells.add(r.path("seed").asText(""));
        row.set("seed", r.path("seed"));
      }
      cells.add(r.path("status").asText());
      row.put("status", r.path("status").asText());
      for (String m : metrics) {
        JsonNode v = r.path("metrics").path(m);
        cells.add(v.isMissingNode() || v.isNull() ? "" : v.asText());
        row.set(m, v.isMissingNode() ? null : v);
      }
      if (compare != null) {
        JsonNode b = baselines.get(othersOf(r, axisKeys, compare.axis()));
        for (String m : compare.metrics()) {
          double v = ratio(b == null ? null : b.path("metrics").path(m), r.path("metrics").path(m));
          cells.add(Double.isNaN(v) ? "" : Double.toString(v));
          if (Double.isNaN(v)) {
            row.putNull(SweepSpec.Compare.column(m));
          } else {
            row.put(SweepSpec.Compare.column(m), v);
          }
        }
      }
      String err = r.path("error").asText("");
      cells.add(err);
      row.put("error", err);
      Csv.appendRow(csv, cells);
    }
    AtomicFiles.writeString(out.resolve("points.csv"), csv.toString());
    SweepRunner.writeJson(out.resolve("points.json"), json);
  }

  /** A row's values of every axis but {@code axis}, and its seed: what its baseline shares. */
  private static String othersOf(JsonNode r, List<String> axisKeys, String axis) {
    StringBuilder sb = new StringBuilder();
    for (String k : axisKeys) {
      if (!k.equals(axis)) {
        sb.append(r.path("axes").path(k).asText("")).append('\u0000');
      }
    }
    return sb.append(r.path("seed").asText("")).toString();
  }

  /** {@code baseline / value} when both are numbers and {@code value} is not 0; else NaN. */
  private static double ratio(JsonNode baseline, JsonNode value) {
    if (baseline == null || !baseline.isNumber() || !value.isNumber()
        || value.asDouble() == 0) {
      return Double.NaN;
    }
    return baseline.asDouble() / value.asDouble();
  }
}
