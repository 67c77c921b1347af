package org.dsasim.workloads.gen;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.dsasim.core.UserInputException;

/**
 * Parameters of the {@code dsa} generator; see {@link DsaGenerator} for how each one acts and
 * docs/workloads.md for the statistic each one mainly sets.
 *
 * @param retention per layer (or one value for all): mean fraction of a selection kept from the
 *     same (layer, sequence)'s previous selection; sets new_fraction (about 1 - retention) and,
 *     through it, persistence
 * @param retentionSpread standard deviation of the retention drawn for each (step, layer,
 *     sequence) from a beta distribution; sets the spread (p95) of new_fraction
 * @param borrow per layer (or one value for all; layer 0's is unused): fraction of the new tokens
 *     taken from the previous layer's current selection; sets inter_layer_overlap
 * @param reselect fraction of the remaining new tokens re-selected from the tokens this (layer,
 *     sequence) dropped 2..lookbackMax steps ago; the rest are fresh; sets working_set_50
 * @param lookbackExponent re-selection looks back d steps with probability proportional to
 *     d^-lookbackExponent, d in [2, lookbackMax]; sets reselection_distance
 * @param lookbackMax longest look-back of a re-selection, in steps; a fresh token is one not
 *     selected within this many steps
 * @param cohesion probability that a pick is followed by the next candidate in token order
 *     (clusters of neighbouring tokens); sets page_utilization_64 together with freshRecent
 * @param freshRecent share of the remaining picks drawn near the newest token (exponential age
 *     with mean freshRecentScale x topk) instead of fresh uniformly over the context
 * @param freshRecentScale mean age of the recency-weighted picks, in multiples of topk (so that a
 *     parameter set keeps its statistics across topk)
 * @param sinks the first tokens of the context, selected at every step (attention sinks)
 * @param localWindow the most recent tokens, selected at every step
 */
public record DsaParams(
    double[] retention,
    double retentionSpread,
    double[] borrow,
    double reselect,
    double lookbackExponent,
    int lookbackMax,
    double cohesion,
    double freshRecent,
    double freshRecentScale,
    int sinks,
    int localWindow) {

  static final List<String> KEYS =
      List.of(
          "retention", "retention_spread", "borrow", "reselect", "lookback_exponent",
          "lookback_max", "cohesion", "fresh_recent", "fresh_recent_scale", "sinks",
          "local_window");

  /** Largest cohesion: runs must end (mean run length at most 1 / (1 - 0.99) = 100 picks). */
  public static final double MAX_COHESION = 0.99;
  /** Longest look-back: the generator marks steps in 15 bits and clears old marks every 2^14. */
  public static final int MAX_LOOKBACK = (1 << 14) - 1;

  public DsaParams {
    retention = retention.clone();
    borrow = borrow.clone();
    checkFractions("retention", retention);
    checkFractions("borrow", borrow);
    if (!(retentionSpread >= 0 && retentionSpread <= 0.5)
        || !(reselect >= 0 && reselect <= 1)
        || !(lookbackExponent >= 0 && lookbackExponent <= 10)
        || lookbackMax < 2 || lookbackMax > MAX_LOOKBACK
        || !(cohesion >= 0 && cohesion <= MAX_COHESION)
        || !(freshRecent >= 0 && freshRecent <= 1)
        || !(freshRecentScale >= 1e-3 && freshRecentScale <= 1e6)
        || sinks < 0 || localWindow < 0) {
      throw new IllegalArgumentException("dsa parameters out of range: " + this);
    }
  }

  private static void checkFractions(String name, double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException(name + ": no values");
    }
    for (double v : values) {
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException(name + " outside [0, 1]: " + v);
      }
    }
  }

  /**
   * Built-in defaults: the paper's regime, as fitted in configs/workloads/paper-fitted.yaml
   * (rounded).
   */
  public static DsaParams defaults() {
    return new DsaParams(
        new double[] {0.45}, 0.21, new double[] {0.23}, 0.85, 2.57, 64, 0.99, 0.8, 1.0, 0, 0);
  }

  /** Reads the parameters, taking the defaults for absent keys. */
  public static DsaParams parse(GeneratorParams p) {
    p.requireKnownKeys(DsaGenerator.NAME, KEYS);
    DsaParams d = defaults();
    return new DsaParams(
        p.numbers("retention", d.retention[0], 0, 1),
        p.number("retention_spread", d.retentionSpread, 0, 0.5),
        p.numbers("borrow", d.borrow[0], 0, 1),
        p.number("reselect", d.reselect, 0, 1),
        p.number("lookback_exponent", d.lookbackExponent, 0, 10),
        p.integer("lookback_max", d.lookbackMax, 2, MAX_LOOKBACK),
        p.number("cohesion", d.cohesion, 0, MAX_COHESION),
        p.number("fresh_recent", d.freshRecent, 0, 1),
        p.number("fresh_recent_scale", d.freshRecentScale, 1e-3, 1e6),
        p.integer("sinks", d.sinks, 0, Integer.MAX_VALUE),
        p.integer("local_window", d.localWindow, 0, Integer.MAX_VALUE));
  }

  /** Checks that per-layer lists fit a trace of {@code layers} layers. */
  void checkLayers(int layers, String origin) {
    for (String key : List.of("retention", "borrow")) {
      double[] v = key.equals("retention") ? retention : borrow;
      if (v.length != 1 && v.length != layers) {
        throw new UserInputException(
            origin + ": '" + key + "' lists " + v.length + " values but the trace has " + layers
                + " layers (give one value, or one per layer)");
      }
    }
  }

  public double retention(int layer) {
    return retention.length == 1 ? retention[0] : retention[layer];
  }

  public double borrow(int layer) {
    return borrow.length == 1 ? borrow[0] : borrow[layer];
  }

  @Override
  public double[] retention() {
    return retention.clone();
  }

  @Override
  public double[] borrow() {
    return borrow.clone();
  }

  public DsaParams withRetention(double... v) {
    return new DsaParams(v, retentionSpread, borrow, reselect, lookbackExponent, lookbackMax,
        cohesion, freshRecent, freshRecentScale, sinks, localWindow);
  }

  public DsaParams withRetentionSpread(double v) {
    return new DsaParams(retention, v, borrow, reselect, lookbackExponent, lookbackMax,
        cohesion, freshRecent, freshRecentScale, sinks, localWindow);
  }

  public DsaParams withBorrow(double... v) {
    return new DsaParams(retention, retentionSpread, v, reselect, lookbackExponent, lookbackMax,
        cohesion, freshRecent, freshRecentScale, sinks, localWindow);
  }

  public DsaParams withReselect(double v) {
    return new DsaParams(retention, retentionSpread, borrow, v, lookbackExponent, lookbackMax,
        cohesion, freshRecent, freshRecentScale, sinks, localWindow);
  }

  public DsaParams withLookback(double exponent, int max) {
    return new DsaParams(retention, retentionSpread, borrow, reselect, exponent, max,
        cohesion, freshRecent, freshRecentScale, sinks, localWindow);
  }

  public DsaParams withCohesion(double v) {
    return new DsaParams(retention, retentionSpread, borrow, reselect, lookbackExponent,
        lookbackMax, v, freshRecent, freshRecentScale, sinks, localWindow);
  }

  public DsaParams withFreshRecent(double fraction, double meanAge) {
    return new DsaParams(retention, retentionSpread, borrow, reselect, lookbackExponent,
        lookbackMax, cohesion, fraction, meanAge, sinks, localWindow);
  }

  public DsaParams withAnchors(int newSinks, int newLocalWindow) {
    return new DsaParams(retention, retentionSpread, borrow, reselect, lookbackExponent,
        lookbackMax, cohesion, freshRecent, freshRecentScale, newSinks, newLocalWindow);
  }

  /** The parameters as a YAML file that {@link #parse} reads back to equal values. */
  public String toYaml() {
    StringBuilder b = new StringBuilder();
    line(b, "retention", list(retention), "kept from the previous step (per layer or one value)");
    line(b, "retention_spread", num(retentionSpread), "std of the retention of one step");
    line(b, "borrow", list(borrow), "new tokens taken from the previous layer (per layer)");
    line(b, "reselect", num(reselect), "new tokens re-selected from dropped ones");
    line(b, "lookback_exponent", num(lookbackExponent), "P(look back d steps) ~ d^-exponent");
    line(b, "lookback_max", Integer.toString(lookbackMax), "longest look-back, steps");
    line(b, "cohesion", num(cohesion), "chance a pick continues with its neighbour");
    line(b, "fresh_recent", num(freshRecent), "other picks near the newest token");
    line(b, "fresh_recent_scale", num(freshRecentScale), "their mean age, x topk");
    line(b, "sinks", Integer.toString(sinks), "first tokens always selected");
    line(b, "local_window", Integer.toString(localWindow), "most recent tokens always selected");
    return b.toString();
  }

  private static void line(StringBuilder b, String key, String value, String comment) {
    String text = key + ": " + value;
    b.append(text).append(" ".repeat(Math.max(1, 34 - text.length()))).append("# ")
        .append(comment).append('\n');
  }

  private static final Pattern TRAILING_ZEROS = Pattern.compile("0+$");
  private static final Pattern COMMENT = Pattern.compile(" *#[^\n]*");

  private static String num(double v) {
    String s = TRAILING_ZEROS.matcher(String.format(Locale.ROOT, "%.4f", v)).replaceAll("");
    return s.endsWith(".") ? s + "0" : s;
  }

  private static String list(double[] v) {
    if (v.length == 1) {
      return num(v[0]);
    }
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      b.append(i == 0 ? "" : ", ").append(num(v[i]));
    }
    return b.append(']').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DsaParams p
        && Arrays.equals(retention, p.retention)
        && retentionSpread == p.retentionSpread
        && Arrays.equals(borrow, p.borrow)
        && reselect == p.reselect
        && lookbackExponent == p.lookbackExponent
        && lookbackMax == p.lookbackMax
        && cohesion == p.cohesion
        && freshRecent == p.freshRecent
        && freshRecentScale == p.freshRecentScale
        && sinks == p.sinks
        && localWindow == p.localWindow;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(retention) * 31 + Arrays.hashCode(borrow) * 17
        + Double.hashCode(reselect + lookbackExponent + cohesion) + lookbackMax;
  }

  @Override
  public String toString() {
    return "DsaParams{" + COMMENT.matcher(toYaml()).replaceAll("").replace('\n', ' ').trim() + "}";
  }
}
