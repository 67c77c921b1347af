package org.dsasim.workloads.analyze;

import java.util.EnumMap;
import java.util.Map;

/**
 * All samples of every {@link Metric} for one layer, or pooled over all layers: whole-number
 * metrics as exact histograms, the others as exact sample lists.
 */
public final class MetricSet {
  private final Map<Metric, DoubleSamples> samples = new EnumMap<>(Metric.class);
  private final Map<Metric, CountHistogram> histograms = new EnumMap<>(Metric.class);

  MetricSet() {
    for (Metric m : Metric.values()) {
      if (m.integerValued()) {
        histograms.put(m, new CountHistogram());
      } else {
        samples.put(m, new DoubleSamples());
      }
    }
  }

  /** The samples of a real-valued metric. */
  public DoubleSamples samples(Metric m) {
    DoubleSamples s = samples.get(m);
    if (s == null) {
      throw new IllegalArgumentException(m + " is integer-valued: use histogram()");
    }
    return s;
  }

  /** The histogram of a whole-number metric. */
  public CountHistogram histogram(Metric m) {
    CountHistogram h = histograms.get(m);
    if (h == null) {
      throw new IllegalArgumentException(m + " is real-valued: use samples()");
    }
    return h;
  }

  public Summary summary(Metric m) {
    return m.integerValued() ? histograms.get(m).summary() : samples.get(m).summary();
  }

  /** Shorthand for {@code summary(m).mean()}. */
  public double mean(Metric m) {
    return summary(m).mean();
  }

  /** Pools every layer's samples into one set (samples, not means, are pooled). */
  static MetricSet pooled(Iterable<MetricSet> layers) {
    MetricSet all = new MetricSet();
    for (MetricSet layer : layers) {
      for (Metric m : Metric.values()) {
        if (m.integerValued()) {
          all.histograms.get(m).addAll(layer.histograms.get(m));
        } else {
          all.samples.get(m).addAll(layer.samples.get(m));
        }
      }
    }
    return all;
  }
}
