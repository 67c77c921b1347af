package org.dsasim.app.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.dsasim.app.JsonMappers;
import org.dsasim.core.io.AtomicFiles;
import org.dsasim.core.io.Csv;

/**
 * The table of a sweep: one row per point with its id, every axis value, its seed, its status,
 * every summary metric and its error if it failed. Written as CSV (RFC 4180 quoting) and JSON.
 */
final class ResultTable {
  private ResultTable() {}

  static void write(Path out, List<String> axisKeys, List<JsonNode> rows) {
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
      String err = r.path("error").asText("");
      cells.add(err);
      row.put("error", err);
      Csv.appendRow(csv, cells);
    }
    AtomicFiles.writeString(out.resolve("points.csv"), csv.toString());
    SweepRunner.writeJson(out.resolve("points.json"), json);
  }
}
