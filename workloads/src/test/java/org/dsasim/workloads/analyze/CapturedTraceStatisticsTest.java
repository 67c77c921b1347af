package org.dsasim.workloads.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import org.dsasim.workloads.testing.CapturedTinyLm;
import org.dsasim.workloads.trace.TraceSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The analyzer reproduces the statistics published with the captured trace (its README). */
class CapturedTraceStatisticsTest {
  @ParameterizedTest
  @CsvSource({
    "64, 0.37, 2.67, 7.4, 0.48, 0.12",
    "256, 0.34, 2.90, 5.7, 0.51, 0.14",
  })
  void matchesTheReadme(
      int k, double newFraction, double persistence, double workingSet, double overlap,
      double pages) throws IOException {
    assumeTrue(CapturedTinyLm.available(), "shared captured trace not present");
    TraceStatistics st;
    try (TraceSource captured = CapturedTinyLm.open(k)) {
      st = TraceAnalyzer.analyze(captured, false);
    }
    MetricSet all = st.overall();
    // the README rounds to two digits (one for the working set)
    assertEquals(newFraction, all.mean(Metric.NEW_FRACTION), 0.005);
    assertEquals(persistence, all.mean(Metric.PERSISTENCE), 0.005);
    assertEquals(workingSet, all.mean(Metric.WORKING_SET_50), 0.05);
    assertEquals(overlap, all.mean(Metric.INTER_LAYER_OVERLAP), 0.005);
    assertEquals(pages, all.mean(Metric.PAGE_UTILIZATION_64), 0.005);
  }
}
