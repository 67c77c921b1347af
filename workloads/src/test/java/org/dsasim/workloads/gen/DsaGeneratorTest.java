package org.dsasim.workloads.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.dsasim.workloads.analyze.CountHistogram;
import org.dsasim.workloads.analyze.DoubleSamples;
import org.dsasim.workloads.analyze.Metric;
import org.dsasim.workloads.analyze.TraceAnalyzer;
import org.dsasim.workloads.analyze.TraceStatistics;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceSource;
import org.junit.jupiter.api.Test;

/** The dsa generator's mechanisms do what its parameters say. */
class DsaGeneratorTest {
  private static final GeneratorShape SHAPE = new GeneratorShape(150, 3, 2, 64, 3000, 5);

  private static TraceStatistics stats(DsaParams p) throws IOException {
    return TraceAnalyzer.analyze(Generators.dsa(SHAPE, p), false);
  }

  @Test
  void sinksAndTheLocalWindowAreAlwaysSelected() throws IOException {
    DsaParams p = DsaParams.defaults().withAnchors(3, 5);
    try (TraceSource src = Generators.dsa(SHAPE, p)) {
      StepSelection step = StepSelection.forHeader(src.header());
      while (src.next(step)) {
        int context = step.contextLen(0);
        for (int l = 0; l < 3; l++) {
          for (int s = 0; s < 2; s++) {
            java.util.Set<Integer> set = new java.util.HashSet<>();
            for (int i = 0; i < step.count(l, s); i++) {
              set.add(step.index(l, s, i));
            }
            for (int x : new int[] {0, 1, 2, context - 5, context - 4, context - 1}) {
              assertTrue(set.contains(x), "token " + x + " at step " + step.step());
            }
          }
        }
      }
    }
  }

  @Test
  void retentionSetsTheNewFractionExactlyUpToRounding() throws IOException {
    // without spread, round(0.7 x 64) = 44 or 45 tokens (stochastic rounding of 44.8) are kept
    // and no other mechanism may bring back a token of the previous step
    DsaParams p = DsaParams.defaults().withRetention(0.7).withRetentionSpread(0).withAnchors(1, 4);
    DoubleSamples samples = stats(p).overall().samples(Metric.NEW_FRACTION);
    for (double v : samples.sortedValues()) {
      assertTrue(Math.abs(v - 20 / 64.0) < 1e-12 || Math.abs(v - 19 / 64.0) < 1e-12, "" + v);
    }
    assertEquals(1 - 0.7, samples.summary().mean(), 0.005);
  }

  @Test
  void retentionSpreadWidensTheNewFraction() throws IOException {
    DsaParams narrow = DsaParams.defaults().withRetention(0.5).withRetentionSpread(0.02);
    DsaParams wide = narrow.withRetentionSpread(0.2);
    var n = stats(narrow).overall().summary(Metric.NEW_FRACTION);
    var w = stats(wide).overall().summary(Metric.NEW_FRACTION);
    assertEquals(0.5, w.mean(), 0.03);
    assertEquals(0.2, w.std(), 0.03);
    assertTrue(n.std() < 0.05, "" + n.std());
  }

  @Test
  void reselectionLooksBackAsTheExponentSays() throws IOException {
    // everything new is re-selected; exponent 8 draws d = 2 with probability 0.96
    DsaParams p =
        DsaParams.defaults().withRetention(0.5).withRetentionSpread(0).withBorrow(0)
            .withReselect(1).withLookback(8, 32).withFreshRecent(0, 1).withCohesion(0);
    CountHistogram steep = stats(p).overall().histogram(Metric.RESELECTION_DISTANCE);
    double beyondOne = steep.total() - steep.count(1);
    assertTrue(steep.count(2) / beyondOne > 0.9, "share at 2: " + steep.count(2) / beyondOne);
    // exponent 0 draws d uniformly from 2..32 (tokens re-selected meanwhile are not available,
    // which thins the long look-backs); nothing comes from further back than 32 steps
    CountHistogram flat =
        stats(p.withLookback(0, 32)).overall().histogram(Metric.RESELECTION_DISTANCE);
    assertTrue(meanBeyondOne(flat) > 2 * meanBeyondOne(steep),
        meanBeyondOne(steep) + " vs " + meanBeyondOne(flat));
    long far = 0;
    for (int d = 17; d <= 32; d++) {
      far += flat.count(d);
    }
    assertTrue(far > 0);
    assertEquals(32, flat.maxValue());
  }

  @Test
  void freshTokensStayFreshOverTensOfThousandsOfStepsAtTheLongestLookBack() throws IOException {
    // the generator keeps each token's last step in 15 bits and forgets old ones every 16,384
    // steps; past two of those clearings, every new token must still be one that was not
    // selected within lookback_max steps, as tracked here with full step numbers
    int lookback = DsaParams.MAX_LOOKBACK;
    int steps = 40_000;
    int context = 1 << 18;
    DsaParams p = DsaParams.defaults().withRetention(0.5).withRetentionSpread(0).withBorrow(0)
        .withReselect(0).withFreshRecent(0, 1).withAnchors(0, 0).withCohesion(0)
        .withLookback(1, lookback);
    int[] lastSelected = new int[context + steps];
    java.util.Arrays.fill(lastSelected, Integer.MIN_VALUE);
    long checked = 0;
    try (TraceSource src = Generators.dsa(new GeneratorShape(steps, 1, 1, 8, context, 0), p)) {
      StepSelection step = StepSelection.forHeader(src.header());
      while (src.next(step)) {
        int t = (int) step.step();
        for (int i = 0; i < step.count(0, 0); i++) {
          int x = step.index(0, 0, i);
          int was = lastSelected[x];
          if (was != t - 1) {
            assertTrue(was == Integer.MIN_VALUE || was < t - lookback,
                "token " + x + " new at step " + t + " was selected at step " + was);
            checked++;
          }
          lastSelected[x] = t;
        }
      }
    }
    assertTrue(checked > 3L * steps, "new tokens checked: " + checked);
  }

  private static double meanBeyondOne(CountHistogram h) {
    double sum = 0;
    long n = 0;
    for (int d = 2; d <= h.maxValue(); d++) {
      sum += (double) d * h.count(d);
      n += h.count(d);
    }
    return sum / n;
  }

  @Test
  void borrowingRaisesTheInterLayerOverlap() throws IOException {
    DsaParams none = DsaParams.defaults().withBorrow(0).withFreshRecent(0, 1);
    DsaParams much = none.withBorrow(0.9);
    double o0 = stats(none).overall().mean(Metric.INTER_LAYER_OVERLAP);
    double o1 = stats(much).overall().mean(Metric.INTER_LAYER_OVERLAP);
    assertTrue(o1 > o0 + 0.2, o0 + " -> " + o1);
  }

  @Test
  void recencyAndCohesionRaiseThePageUtilisation() throws IOException {
    DsaParams scattered = DsaParams.defaults().withCohesion(0).withFreshRecent(0, 1);
    double p0 = stats(scattered).overall().mean(Metric.PAGE_UTILIZATION_64);
    double p1 = stats(scattered.withCohesion(0.95)).overall().mean(Metric.PAGE_UTILIZATION_64);
    double p2 = stats(scattered.withFreshRecent(1, 0.5)).overall().mean(Metric.PAGE_UTILIZATION_64);
    assertTrue(p1 > 1.5 * p0, p0 + " -> " + p1);
    assertTrue(p2 > 1.5 * p0, p0 + " -> " + p2);
  }
}
