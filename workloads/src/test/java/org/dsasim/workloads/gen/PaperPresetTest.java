package org.dsasim.workloads.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.dsasim.workloads.analyze.Metric;
import org.dsasim.workloads.analyze.MetricSet;
import org.dsasim.workloads.analyze.TraceAnalyzer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Acceptance (a): configs/workloads/paper-fitted.yaml makes the dsa generator reproduce the
 * paper's per-layer statistics within 10%, at the shape it was fitted at (k = 2048, context 64K)
 * with another seed, at 128K context with more layers and sequences, and at half the k.
 */
class PaperPresetTest {
  static GeneratorParams preset() {
    return GeneratorParams.load(
        Path.of(System.getProperty("dsasim.repo.root", "."), "configs", "workloads",
            "paper-fitted.yaml"));
  }

  @ParameterizedTest
  @CsvSource({"4, 2, 2048, 65536, 7", "8, 3, 2048, 131072, 8", "4, 2, 1024, 32768, 9"})
  void reproducesThePaperWithinTenPercent(int layers, int seqs, int topk, int context, long seed)
      throws IOException {
    GeneratorShape shape = new GeneratorShape(200, layers, seqs, topk, context, seed);
    MetricSet st =
        TraceAnalyzer.analyze(Generators.create("dsa", shape, preset()), false).overall();
    assertWithin(0.55, st.mean(Metric.NEW_FRACTION), "new_fraction");
    assertWithin(1.82, st.mean(Metric.PERSISTENCE), "persistence");
    assertWithin(5.15, st.mean(Metric.WORKING_SET_50), "working_set_50");
    assertWithin(0.36, st.mean(Metric.INTER_LAYER_OVERLAP), "inter_layer_overlap");
    // reached as well, though not required
    assertWithin(0.90, st.summary(Metric.NEW_FRACTION).p95(), "new_fraction p95");
    assertWithin(3.29, st.mean(Metric.RESELECTION_DISTANCE), "lookback");
    assertWithin(0.35, st.mean(Metric.PAGE_UTILIZATION_64), "page_utilization_64");
  }

  static void assertWithin(double expected, double actual, String what) {
    assertEquals(expected, actual, 0.10 * expected, what + ": " + actual + " vs " + expected);
  }
}
