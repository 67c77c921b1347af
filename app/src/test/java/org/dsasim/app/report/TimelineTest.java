package org.dsasim.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsasim.app.DsasimCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dsasim run --timeline}: a valid, bounded trace-event file of the window's steps. */
class TimelineTest {
  @TempDir Path dir;

  private static final double EPS_US = 1e-6;

  /** Runs a small decode with {@code measured} steps, recording 2; returns the parsed trace. */
  private JsonNode trace(String name, int measured) throws IOException {
    Path file = dir.resolve(name + ".json");
    CommandLine cli = new CommandLine(new DsasimCommand());
    StringWriter sink = new StringWriter();
    cli.setOut(new PrintWriter(sink));
    cli.setErr(new PrintWriter(sink));
    int status = cli.execute("run", "--json", "--out", dir.resolve(name).toString(),
        "--timeline", file.toString(), "--timeline-steps", "2", "--set",
        "model.layers_per_gpu=2", "--set", "model.topk=128", "--set", "decode.batch=2", "--set",
        "decode.context=2048", "--set", "sim.warmup.steps=1", "--set",
        "sim.stop.steps=" + measured, "--set", "fastmem.llc.reservation=4MiB");
    assertEquals(0, status, sink.toString());
    return new ObjectMapper().readTree(file.toFile());
  }

  @Test
  void traceHasTheTracksNestedSlicesAndBoundedSize() throws IOException {
    JsonNode t = trace("short", 3);
    Map<Integer, String> processes = new HashMap<>();
    Map<String, String> threads = new HashMap<>();
    Map<String, List<JsonNode>> slices = new HashMap<>();
    Set<String> counters = new HashSet<>();
    for (JsonNode e : t.get("traceEvents")) {
      String key = e.get("pid").asInt() + "/" + e.get("tid").asInt();
      switch (e.get("ph").asText()) {
        case "M" -> {
          if (e.get("name").asText().equals("process_name")) {
            processes.put(e.get("pid").asInt(), e.get("args").get("name").asText());
          } else {
            threads.put(key, e.get("args").get("name").asText());
          }
        }
        case "X" -> slices.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        case "C" -> counters.add(processes.get(e.get("pid").asInt()) + ": "
            + e.get("name").asText());
        default -> throw new AssertionError("unexpected event " + e);
      }
    }
    assertTrue(processes.values().containsAll(
        List.of("GPU", "compute units", "HBM channels", "LLC partitions")), processes.toString());
    // 132 units of the H200 in tracks of 16: 9 tracks, the last with 4 units
    assertTrue(threads.containsValue("units 0-15") && threads.containsValue("units 128-131"),
        threads.toString());
    for (String c : List.of("HBM channels: channel 0 GB/s", "HBM channels: all channels TB/s",
        "LLC partitions: partition 0 hit rate", "LLC partitions: partition 1 hit GB/s")) {
      assertTrue(counters.contains(c), c + " in " + counters);
    }

    // the GPU track: two step slices, every kernel inside one of them
    List<JsonNode> gpu = slices.get("1/1");
    List<JsonNode> steps = gpu.stream().filter(e -> e.get("cat").asText().equals("step"))
        .toList();
    assertEquals(List.of("step 1", "step 2"), steps.stream().map(e -> e.get("name").asText())
        .toList());
    Set<String> phases = new HashSet<>();
    for (JsonNode k : gpu) {
      if (k.get("cat").asText().equals("step")) {
        continue;
      }
      phases.add(k.get("cat").asText());
      assertTrue(steps.stream().anyMatch(s -> within(k, s)), "kernel outside a step: " + k);
    }
    assertTrue(phases.containsAll(List.of("weights", "indexer", "topk", "attention", "append")),
        phases.toString());
    // on every track, slices nest like a stack (each one ends before its parent does)
    slices.forEach((track, list) -> assertNested(threads.get(track), list));

    long shortSize = Files.size(dir.resolve("short.json"));
    trace("long", 9);
    long longSize = Files.size(dir.resolve("long.json"));
    // three times the steps, the same two-step window: about the same size (the counters'
    // values differ a little, the workload's selections depending on the run's length)
    assertTrue(longSize < 1.2 * shortSize,
        "3 measured steps: " + shortSize + " B, 9: " + longSize + " B, same window");
  }

  /** The HBM bandwidth counter integrated over the window gives the bytes of its two steps. */
  @Test
  void hbmCounterAddsUpToTheBytesMoved() throws IOException {
    JsonNode t = trace("bytes", 2);
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("bytes/summary.json").toFile());
    double expected = summary.get("bytes").get("hbm_read").asDouble()
        + summary.get("bytes").get("hbm_write").asDouble();
    List<double[]> samples = new ArrayList<>();
    double end = 0;
    for (JsonNode e : t.get("traceEvents")) {
      if (e.get("ph").asText().equals("C") && e.get("name").asText().equals("all channels TB/s")) {
        samples.add(new double[] {e.get("ts").asDouble(), e.get("args").get("value").asDouble()});
      }
      if (e.get("ph").asText().equals("X") && e.get("cat").asText().equals("step")) {
        end = Math.max(end, e.get("ts").asDouble() + e.get("dur").asDouble());
      }
    }
    samples.sort(Comparator.comparingDouble(s -> s[0]));
    double bytes = 0;
    for (int i = 0; i < samples.size(); i++) {
      double until = i + 1 < samples.size() ? samples.get(i + 1)[0] : end;
      // TB/s x us = 1e12 B/s x 1e-6 s = 1e6 B
      bytes += samples.get(i)[1] * (until - samples.get(i)[0]) * 1e6;
    }
    assertEquals(expected, bytes, 0.05 * expected);
  }

  private static boolean within(JsonNode inner, JsonNode outer) {
    double s = inner.get("ts").asDouble();
    double e = s + inner.get("dur").asDouble();
    double os = outer.get("ts").asDouble();
    return s >= os - EPS_US && e <= os + outer.get("dur").asDouble() + EPS_US;
  }

  private static void assertNested(String track, List<JsonNode> list) {
    List<JsonNode> sorted = new ArrayList<>(list);
    sorted.sort(Comparator.<JsonNode>comparingDouble(e -> e.get("ts").asDouble())
        .thenComparingDouble(e -> -e.get("dur").asDouble()));
    Deque<JsonNode> open = new ArrayDeque<>();
    for (JsonNode e : sorted) {
      assertTrue(e.get("dur").asDouble() >= 0, track + ": negative duration " + e);
      while (!open.isEmpty() && end(open.peek()) <= e.get("ts").asDouble() + EPS_US) {
        open.pop();
      }
      if (!open.isEmpty()) {
        assertTrue(within(e, open.peek()), track + ": " + e + " overlaps " + open.peek());
      }
      open.push(e);
    }
  }

  private static double end(JsonNode e) {
    return e.get("ts").asDouble() + e.get("dur").asDouble();
  }
}
