package org.dsasim.core.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelineTest {
  @TempDir Path dir;

  @Test
  void keepsOnlyTheWindowClipsSlicesAndWritesTraceEventJson() throws IOException {
    Timeline t = Timeline.window(1_000_000, 3_000_000); // 1 us .. 3 us
    int sm = t.track("compute", "SM group 0");
    int ch = t.track("hbm", "channel 0");
    int sm2 = t.track("compute", "SM group 1");
    assertNotEquals(sm, sm2);
    t.slice(sm, "gather L0", "kernel", 0, 500_000); // before the window: dropped
    t.slice(sm, "gather L1", "kernel", 500_000, 1_500_000); // clipped to [1 us, 1.5 us)
    t.slice(ch, "burst", "hbm", 2_000_000, 2_250_000);
    t.slice(sm2, "late", "kernel", 3_500_000, 4_000_000); // after: dropped
    t.counter("hbm", "bandwidth GB/s", 2_000_000, 4200.5);
    t.counter("hbm", "bandwidth GB/s", 9_000_000, 1.0); // outside: dropped
    assertEquals(3, t.size());
    Path f = dir.resolve("tl.json");
    t.write(f);

    JsonNode root = new ObjectMapper().readTree(f.toFile());
    List<JsonNode> slices = new ArrayList<>();
    List<JsonNode> meta = new ArrayList<>();
    root.path("traceEvents").forEach(e -> (e.path("ph").asText().equals("M") ? meta : slices).add(e));
    assertEquals(3, slices.size());
    JsonNode first = slices.get(0);
    assertEquals("gather L1", first.path("name").asText());
    assertEquals(1.0, first.path("ts").asDouble(), 1e-12);
    assertEquals(0.5, first.path("dur").asDouble(), 1e-12);
    assertEquals(4200.5, slices.get(2).path("args").path("value").asDouble());
    // two processes and three named tracks
    assertEquals(5, meta.size());
    assertEquals("compute", meta.get(0).path("args").path("name").asText());
    assertEquals("SM group 1", meta.get(4).path("args").path("name").asText());
  }

  @Test
  void disabledRecordsNothing() {
    Timeline t = Timeline.disabled();
    t.slice(t.track("a", "b"), "x", "y", 0, 10);
    t.counter("a", "c", 5, 1);
    assertEquals(0, t.size());
  }
}
