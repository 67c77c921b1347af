package org.dsasim.workloads.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dsasim.workloads.testing.ArrayTrace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalysisReportTest {
  private static TraceStatistics sample() throws IOException {
    return TraceAnalyzer.analyze(ArrayTrace.random(3, 120, 2, 2, 16, 400), true);
  }

  @Test
  void jsonHasEveryMetricOverallAndPerLayerWithTheAnalyzersNumbers() throws IOException {
    TraceStatistics st = sample();
    JsonNode root = new ObjectMapper().readTree(AnalysisReport.json(st));
    assertEquals(2, root.path("trace").path("layers").asInt());
    assertEquals(120, root.path("trace").path("steps").asInt());
    for (Metric m : Metric.values()) {
      JsonNode o = root.path("overall").path(m.key());
      Summary s = st.overall().summary(m);
      assertEquals(s.count(), o.path("count").asLong(), m.key());
      assertEquals(s.mean(), o.path("mean").asDouble(), 0, m.key());
      assertEquals(s.p95(), o.path("p95").asDouble(), 0, m.key());
      assertEquals(s.std(), o.path("std").asDouble(), 0, m.key());
    }
    assertEquals(2, root.path("layers").size());
    assertEquals(1, root.path("layers").get(1).path("layer").asInt());
    // the last layer has no layer below it: no overlap samples, so null figures
    assertTrue(root.path("layers").get(1).path("inter_layer_overlap").path("mean").isNull());
    // the histogram of re-selection distances adds up to its count
    long total = 0;
    for (JsonNode bin : root.path("overall").path("reselection_distance").path("histogram")) {
      total += bin.get(1).asLong();
    }
    assertEquals(st.overall().summary(Metric.RESELECTION_DISTANCE).count(), total);
    JsonNode reuse = root.path("reuse");
    assertEquals(st.reuse().accesses(), reuse.path("accesses").asLong());
    JsonNode first = reuse.path("miss_ratio_curve").get(0);
    assertEquals(st.reuse().missRatio(first.path("capacity").asLong()),
        first.path("miss_ratio").asDouble(), 0);
    long binned = 0;
    for (JsonNode bin : reuse.path("stack_distance_histogram")) {
      binned += bin.path("count").asLong();
    }
    assertEquals(st.reuse().accesses() - st.reuse().cold(), binned);
    for (int l = 0; l < 2; l++) {
      JsonNode layerReuse = root.path("layers").get(l).path("reuse");
      ReuseProfile expected = st.layerReuse().get(l);
      assertEquals("(sequence, token)", layerReuse.path("key").asText());
      assertEquals(expected.accesses(), layerReuse.path("accesses").asLong());
      assertEquals(expected.cold(), layerReuse.path("cold").asLong());
      for (JsonNode point : layerReuse.path("miss_ratio_curve")) {
        assertEquals(expected.missRatio(point.path("capacity").asLong()),
            point.path("miss_ratio").asDouble(), 0);
      }
    }
  }

  @Test
  void textNamesEveryMetric() throws IOException {
    String text = AnalysisReport.text(sample());
    for (Metric m : Metric.values()) {
      assertTrue(text.contains(m.key()), m.key());
    }
    assertTrue(text.contains("LRU miss ratio"));
    assertTrue(text.contains("all layers    layer 0    layer 1"), text);
  }

  @Test
  void plotsAreWrittenAsPngAndSvg(@TempDir Path dir) throws IOException {
    AnalysisReport.writePlots(sample(), dir);
    for (Metric m : Metric.values()) {
      for (String suffix : new String[] {"", "_cdf"}) {
        assertTrue(Files.size(dir.resolve(m.key() + suffix + ".png")) > 0);
        assertTrue(Files.readString(dir.resolve(m.key() + suffix + ".svg")).contains("</svg>"));
      }
    }
    assertTrue(Files.exists(dir.resolve("miss_ratio_curve.png")));
    assertTrue(Files.exists(dir.resolve("stack_distance.svg")));
  }
}
