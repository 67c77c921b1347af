package org.dsasim.workloads.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.dsasim.workloads.analyze.Metric;
import org.dsasim.workloads.analyze.MetricSet;
import org.dsasim.workloads.analyze.TraceAnalyzer;
import org.dsasim.workloads.analyze.TraceStatistics;
import org.dsasim.workloads.testing.ArrayTrace;
import org.junit.jupiter.api.Test;

/** Acceptance (b): fitting a generated trace recovers the parameters it was generated with. */
class DsaFitterTest {
  private static final GeneratorShape SHAPE = new GeneratorShape(300, 4, 2, 128, 8192, 5);

  @Test
  void recoversTheParametersOfAGeneratedTrace() throws IOException {
    DsaParams truth =
        new DsaParams(new double[] {0.6}, 0.12, new double[] {0.35}, 0.7, 1.8, 48, 0.9, 0.5,
            0.8, 2, 4);
    DsaFitter.Measurement m = DsaFitter.measure(Generators.dsa(SHAPE, truth), 1);
    // anchors and shape are read off the trace exactly
    assertEquals(2, m.sinks());
    assertEquals(4, m.localWindow());
    assertEquals(SHAPE.withSeed(1), m.shape());
    // the fitted knobs, given the model's fixed structure (look-back horizon, recency scale);
    // the start is off on purpose. Tolerances: what the statistics pin down at this size (the
    // share of recency-weighted picks moves the page utilisation, a weak lever, the least)
    DsaParams start = DsaParams.defaults().withAnchors(2, 4).withLookback(3.0, 48)
        .withCohesion(0.5).withFreshRecent(0.2, 0.8);
    DsaFitter.Result fit =
        DsaFitter.fit(m.targets(), start, SHAPE, DsaFitter.Options.defaults(), s -> {});
    DsaParams p = fit.params();
    assertEquals(0.6, p.retention(0), 0.03, "retention");
    assertEquals(0.12, p.retentionSpread(), 0.04, "retention_spread");
    assertEquals(0.35, p.borrow(1), 0.1, "borrow");
    assertEquals(0.7, p.reselect(), 0.1, "reselect");
    assertEquals(1.8, p.lookbackExponent(), 0.5, "lookback_exponent");
    assertEquals(0.9, p.cohesion(), 0.05, "cohesion");
    assertEquals(0.5, p.freshRecent(), 0.2, "fresh_recent");
    assertTrue(fit.worstRelativeError() < 0.05, "worst error " + fit.worstRelativeError());
  }

  @Test
  void sameInputsSameFit() throws IOException {
    DsaFitter.Measurement m = DsaFitter.measure(Generators.dsa(SHAPE, DsaParams.defaults()), 3);
    DsaFitter.Options few = new DsaFitter.Options(0.02, 6, 0, 3);
    DsaFitter.Result a = DsaFitter.fit(m, few, s -> {});
    DsaFitter.Result b = DsaFitter.fit(m, few, s -> {});
    assertEquals(a.params(), b.params());
    assertEquals(a.params().toYaml(), b.params().toYaml());
  }

  @Test
  void theLookBackHorizonStaysWithinWhatTheGeneratorTakes() throws IOException {
    // every token comes back exactly 20,000 steps after it was last selected: the measured
    // horizon (the 99th percentile of those distances) is beyond the generator's limit
    int period = 20_000;
    int steps = period + 100;
    int[][][][] sel = new int[steps][1][1][];
    for (int t = 0; t < steps; t++) {
      sel[t][0][0] = new int[] {t % period};
    }
    TraceStatistics st = TraceAnalyzer.analyze(ArrayTrace.of(1, period, sel), false);
    assertEquals(period, st.overall().histogram(Metric.RESELECTION_DISTANCE).maxValue());
    assertEquals(DsaParams.MAX_LOOKBACK, DsaFitter.lookbackHorizon(st, steps));
    assertEquals(DsaParams.MAX_LOOKBACK,
        DsaParams.defaults().withLookback(1, DsaFitter.lookbackHorizon(st, steps)).lookbackMax());
  }

  static void assertStatisticsClose(MetricSet expected, MetricSet actual, double tolerance,
      Metric... metrics) {
    for (Metric m : metrics) {
      double e = expected.mean(m);
      double a = actual.mean(m);
      assertEquals(e, a, tolerance * e, m.key() + ": " + a + " vs " + e);
    }
  }

  static TraceStatistics generate(GeneratorShape shape, DsaParams p) throws IOException {
    return TraceAnalyzer.analyze(Generators.dsa(shape, p), false);
  }
}
