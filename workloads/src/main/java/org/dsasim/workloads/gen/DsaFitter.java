package org.dsasim.workloads.gen;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.dsasim.core.UserInputException;
import org.dsasim.workloads.analyze.CountHistogram;
import org.dsasim.workloads.analyze.Metric;
import org.dsasim.workloads.analyze.TraceAnalyzer;
import org.dsasim.workloads.analyze.TraceStatistics;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceSource;

/**
 * Fits the {@code dsa} generator's parameters to measured statistics.
 *
 * <p>Each fitted parameter mainly sets one statistic: retention the new fraction, its spread the
 * new fraction's p95, borrow the inter-layer overlap, reselect the 50-step working set, the
 * look-back exponent the re-selection distance, the share of recency-weighted picks the page
 * utilisation and cohesion the contiguity. Anchors (sinks, local window), the look-back horizon
 * and the recency scale are read off the trace directly. The fit starts from the inverse of the
 * first-order relations (new fraction = 1 - retention, overlap = borrow / (1 + retention), ...)
 * and their Jacobian, then corrects by simulation: it generates a trace of the same shape with a
 * fixed seed, measures it with the analyzer, and takes trust-region Gauss-Newton steps on the
 * weighted relative errors, updating the Jacobian by Broyden's rank-one rule and measuring it by
 * finite differences once progress stalls. The new fraction, overlap and working set weigh most;
 * if they are still off at the end, a second phase fits them alone. Same inputs, same result.
 */
public final class DsaFitter {
  /**
   * @param tolerance stop when every fitted statistic is within this relative error
   * @param maxSimulations most generator runs to spend
   * @param simulationSeqs sequences per simulated trace (0: as many as the trace); fewer is faster
   *     and noisier, as sequences are statistically alike in the model
   * @param seed seed of the simulated traces
   */
  public record Options(double tolerance, int maxSimulations, int simulationSeqs, long seed) {
    public static Options defaults() {
      return new Options(0.02, 40, 0, 1);
    }

    public Options withSimulationSeqs(int seqs) {
      return new Options(tolerance, maxSimulations, seqs, seed);
    }
  }

  /**
   * @param params the fitted parameters
   * @param target the statistics aimed at
   * @param achieved the statistics of a trace generated with {@code params} (simulation shape)
   * @param shape the shape the fit simulated (the trace's, or with fewer sequences)
   * @param simulations generator runs spent
   */
  public record Result(
      DsaParams params, FitTargets target, FitTargets achieved, GeneratorShape shape,
      int simulations) {
    public double worstRelativeError() {
      return target.worstRelativeError(achieved);
    }
  }

  /** What a trace looks like, as far as the fit is concerned. */
  public record Measurement(
      TraceStatistics statistics, GeneratorShape shape, int sinks, int localWindow,
      int lookbackMax, double recentAge, double contiguity) {

    /** What the fit aims at. */
    public FitTargets targets() {
      return FitTargets.of(statistics, contiguity);
    }
  }

  private static final int KNOBS = 7;
  /**
   * Knob k mainly sets statistic k of {@link FitTargets}. The share f of recency-weighted picks
   * and the cohesion c enter as -ln(1 - f) and -ln(1 - c), to which the statistics respond about
   * linearly (they change fastest as f or c nears 1).
   */
  private static final String[] KNOB_NAMES = {
    "retention", "retention_spread", "borrow", "reselect", "lookback_exponent",
    "-ln(1-fresh_recent)", "-ln(1-cohesion)"
  };
  private static final double[] LOWER = {0, 0, 0, 0, 0, 0, 0};
  private static final double[] UPPER = {
    0.99, 0.45, 1, 1, 6, Math.log(1000), -Math.log(1 - DsaParams.MAX_COHESION)
  };
  /** Largest change of a knob in one step (a trust region against wild extrapolation). */
  private static final double[] MAX_STEP = {0.15, 0.1, 0.25, 0.15, 1.0, 1.0, 1.0};
  /** Knob changes of the finite-difference Jacobian: large enough to rise above the noise. */
  private static final double[] DIFFERENCE_STEP = {0.04, 0.04, 0.06, 0.06, 0.3, 0.3, 0.3};
  /**
   * A second phase fits the primary statistics alone when the first left one of them more than
   * this many tolerances off (the secondary ones then yield).
   */
  private static final double SECOND_PHASE_FACTOR = 2.5;
  /** Simulations without a gain of at least 2% before the fit settles for what it has. */
  private static final int PATIENCE = 5;
  /**
   * Weights of the statistics' relative errors: the new fraction, inter-layer overlap and working
   * set come first; the p95, the re-selection distance and the page utilisation (which the model
   * cannot reach in every regime) and the contiguity yield to them.
   */
  private static final double[] WEIGHT = {3, 0.5, 3, 3, 0.5, 0.5, 0.5};

  private final FitTargets target;
  private final GeneratorShape shape;
  private final Options options;
  private final Consumer<String> log;
  /** Knob k is fitted (its statistic has a target). */
  private final boolean[] active = new boolean[KNOBS];
  /** Knobs the current search may move. */
  private final boolean[] free;
  /** Current weights of the statistics' errors (see {@link #WEIGHT}). */
  private final double[] weight = WEIGHT.clone();
  private final DsaParams base;
  private int simulations;

  private DsaFitter(
      FitTargets target, DsaParams base, GeneratorShape shape, Options options,
      Consumer<String> log) {
    this.target = target;
    this.base = base;
    this.shape = shape;
    this.options = options;
    this.log = log;
    for (int i = 0; i < KNOBS; i++) {
      active[i] = !Double.isNaN(target.get(i)) && target.get(i) != 0;
    }
    active[2] &= shape.layers() >= 2;
    active[3] &= shape.steps() >= TraceAnalyzer.WINDOW_STEPS;
    for (int i = 0; i < KNOBS; i++) {
      if (!active[i]) {
        weight[i] = 0;
      }
    }
    free = active.clone();
  }

  /** Measures a trace: its statistics, shape, anchors and look-back horizon. */
  public static Measurement measure(TraceSource trace, long seed) throws IOException {
    TraceHeader h = trace.header();
    TraceAnalyzer analyzer = new TraceAnalyzer(h, false);
    AnchorProfile anchors = new AnchorProfile();
    Contiguity contiguity = new Contiguity(h.topk());
    StepSelection step = StepSelection.forHeader(h);
    int steps = 0;
    int context0 = 0;
    int context1 = -1;
    int maxIndex0 = -1;
    while (trace.next(step)) {
      analyzer.accept(step);
      anchors.accept(step);
      contiguity.accept(step);
      for (int s = 0; s < h.seqs(); s++) {
        if (steps == 0) {
          context0 = Math.max(context0, step.contextLen(s));
          for (int l = 0; l < h.layers(); l++) {
            for (int i = 0; i < step.count(l, s); i++) {
              maxIndex0 = Math.max(maxIndex0, step.index(l, s, i));
            }
          }
        } else if (steps == 1) {
          context1 = Math.max(context1, step.contextLen(s));
        }
      }
      steps++;
    }
    if (steps == 0) {
      throw new UserInputException("the trace has no steps: nothing to fit");
    }
    if (context0 == 0) {
      context0 = Math.max(h.promptLen(), maxIndex0 + 1);
    }
    int growth = context1 >= context0 ? context1 - context0 : 1;
    GeneratorShape shape =
        new GeneratorShape(steps, h.layers(), h.seqs(), h.topk(), context0, growth, h.entryBytes(),
            seed);
    TraceStatistics st = analyzer.finish();
    return new Measurement(
        st, shape, anchors.sinks(), anchors.localWindow(), lookbackHorizon(st, steps),
        anchors.recentAge(h.topk()), contiguity.meanRun());
  }

  /**
   * The look-back horizon: the 99th percentile of the re-selection distances beyond one step,
   * within [8, steps - 1] (at least 2) and at most the generator's {@link DsaParams#MAX_LOOKBACK}.
   */
  static int lookbackHorizon(TraceStatistics st, int steps) {
    CountHistogram h = st.overall().histogram(Metric.RESELECTION_DISTANCE);
    long beyondOne = h.total() - h.count(0) - h.count(1);
    int upper = Math.max(2, Math.min(DsaParams.MAX_LOOKBACK, steps - 1));
    if (beyondOne == 0) {
      return Math.min(8, upper);
    }
    long seen = 0;
    int d = 2;
    for (; d <= h.maxValue(); d++) {
      seen += h.count(d);
      if (seen >= 0.99 * beyondOne) {
        break;
      }
    }
    return Math.max(2, Math.min(upper, Math.max(8, d)));
  }

  /** Fits a measured trace. */
  public static Result fit(Measurement m, Options options, Consumer<String> log) {
    DsaParams start =
        DsaParams.defaults()
            .withAnchors(m.sinks(), m.localWindow())
            .withLookback(DsaParams.defaults().lookbackExponent(), m.lookbackMax())
            .withFreshRecent(
                DsaParams.defaults().freshRecent(), m.recentAge() / m.shape().topk());
    GeneratorShape simShape = m.shape().withSeed(options.seed());
    if (options.simulationSeqs() > 0 && options.simulationSeqs() < simShape.seqs()) {
      simShape = simShape.withSeqs(options.simulationSeqs());
    }
    return fit(m.targets(), start, simShape, options, log);
  }

  /**
   * Fits target statistics at a given shape, starting from {@code start}'s fixed parameters
   * (anchors, look-back horizon, fresh-token recency).
   */
  public static Result fit(
      FitTargets target, DsaParams start, GeneratorShape shape, Options options,
      Consumer<String> log) {
    return new DsaFitter(target, start, shape.withSeed(options.seed()), options, log).run();
  }

  private Result run() {
    double[] theta = initialGuess();
    double[] residual = simulate(theta);
    // a quarter of the budget stays for the second phase
    Point best = search(new Point(theta, residual), priorJacobian(theta),
        options.maxSimulations() - options.maxSimulations() / 4);
    if (!primariesWithin(best.residual, SECOND_PHASE_FACTOR * options.tolerance())) {
      // the secondary statistics held the primary ones back: fit those alone from here
      for (int i = 0; i < KNOBS; i++) {
        if (!isPrimary(i)) {
          weight[i] = 0;
          free[i] = false;
        }
      }
      if (simulations + activeCount() + 1 <= options.maxSimulations()) {
        best = search(best, finiteDifferences(best.theta, best.residual),
            options.maxSimulations());
      }
    }
    log.accept(String.format(Locale.ROOT, "fit: %d simulations, worst relative error %.3f",
        simulations, worst(best.residual)));
    // what a parameter file holds, so that the result and its YAML generate the same traces
    DsaParams params = DsaParams.parse(GeneratorParams.parse(paramsOf(best.theta).toYaml(), "fit"));
    return new Result(params, target, achievedOf(best.residual), shape, simulations);
  }

  /** Knob values and the relative errors of the statistics they give. */
  private record Point(double[] theta, double[] residual) {}

  /**
   * Newton steps with Broyden updates from {@code start} within a trust region; when progress
   * stalls, the Jacobian is measured once by finite differences. Stops at {@code budget}
   * simulations in all. Returns the best point.
   */
  private Point search(Point start, double[][] jacobian, int budget) {
    double[] theta = start.theta;
    double[] residual = start.residual;
    Point best = start;
    double trust = 1;
    int sinceGain = 0;
    boolean measuredJacobian = false;
    while (!done(best.residual) && simulations < budget) {
      if (sinceGain >= PATIENCE || trust < 1e-3) {
        // stalled: measure the Jacobian once at the best point, then go on
        if (measuredJacobian || simulations + activeCount() + 1 > budget) {
          break;
        }
        theta = best.theta;
        residual = best.residual;
        jacobian = finiteDifferences(theta, residual);
        measuredJacobian = true;
        trust = 1;
        sinceGain = 0;
      }
      double[] step = newtonStep(jacobian, residual);
      for (int k = 0; k < KNOBS; k++) {
        step[k] = Math.max(-trust * MAX_STEP[k], Math.min(trust * MAX_STEP[k], step[k]));
      }
      double[] next = clamp(add(theta, step));
      double[] moved = subtract(next, theta);
      if (norm(moved) < 1e-9) {
        sinceGain = PATIENCE;
        continue;
      }
      double[] nextResidual = simulate(next);
      broyden(jacobian, moved, subtract(nextResidual, residual));
      if (weightedSquares(nextResidual) < weightedSquares(residual)) {
        theta = next;
        residual = nextResidual;
        trust = Math.min(1, trust * 2);
        if (weightedSquares(residual) < weightedSquares(best.residual)) {
          boolean gain = weightedSquares(residual) < 0.98 * weightedSquares(best.residual);
          sinceGain = gain ? 0 : sinceGain + 1;
          best = new Point(theta, residual);
        } else {
          sinceGain++;
        }
      } else {
        trust /= 2;
        sinceGain++;
      }
    }
    return best;
  }

  /** New fraction, inter-layer overlap and working set: what the fit must get right. */
  private static boolean isPrimary(int i) {
    return i == 0 || i == 2 || i == 3;
  }

  private static boolean primariesWithin(double[] residual, double bound) {
    for (int i = 0; i < KNOBS; i++) {
      if (isPrimary(i) && Math.abs(residual[i]) > bound) {
        return false;
      }
    }
    return true;
  }

  /** Every statistic still weighed is within the tolerance. */
  private boolean done(double[] residual) {
    for (int i = 0; i < KNOBS; i++) {
      if (weight[i] > 0 && Math.abs(residual[i]) > options.tolerance()) {
        return false;
      }
    }
    return true;
  }

  private int activeCount() {
    int n = 0;
    for (boolean a : free) {
      n += a ? 1 : 0;
    }
    return n;
  }

  /** The Jacobian by forward differences (one simulation per active knob). */
  private double[][] finiteDifferences(double[] theta, double[] residual) {
    double[][] j = new double[KNOBS][KNOBS];
    for (int k = 0; k < KNOBS; k++) {
      if (!free[k]) {
        continue;
      }
      double h = DIFFERENCE_STEP[k];
      double[] probe = theta.clone();
      probe[k] = theta[k] + h <= UPPER[k] ? theta[k] + h : theta[k] - h;
      double[] r = simulate(probe);
      for (int i = 0; i < KNOBS; i++) {
        j[i][k] = (r[i] - residual[i]) / (probe[k] - theta[k]);
      }
    }
    return j;
  }

  /** First-order inverse of the model's relations between parameters and statistics. */
  private double[] initialGuess() {
    double[] theta = {
      base.retention(0), base.retentionSpread(), base.borrow(base.borrow().length - 1),
      base.reselect(), base.lookbackExponent(), -Math.log(1 - Math.min(0.999, base.freshRecent())),
      -Math.log(1 - base.cohesion())
    };
    double newFraction = active[0] ? target.newFraction() : 1 - theta[0];
    if (active[0]) {
      theta[0] = 1 - newFraction;
    }
    if (active[1]) {
      theta[1] = (target.newFractionP95() - newFraction) / 1.645;
    }
    if (active[2]) {
      theta[2] = target.interLayerOverlap() * (1 + theta[0]);
    }
    if (active[3] && newFraction > 0) {
      // every new token not re-selected from within the window widens it
      double freshShare =
          (target.workingSet50() - 1) / ((TraceAnalyzer.WINDOW_STEPS - 1) * newFraction);
      theta[3] = 1 - Math.min(1, Math.max(0, freshShare));
    }
    if (active[5] && base.freshRecent() == 0) {
      theta[5] = Math.log(2); // half the picks recency-weighted
    }
    if (active[6]) {
      // a run goes on with probability c: mean length 1 / (1 - c)
      theta[6] = Math.log(Math.max(1, target.contiguity()));
    }
    if (active[4]) {
      // distances of kept tokens are 1; the re-selected share r' looks back E[d] on average
      double kept = 1 - newFraction;
      double reselected = newFraction * theta[3];
      double wantedMean =
          (target.reselectionDistance() * (kept + reselected) - kept) / Math.max(1e-9, reselected);
      theta[4] = exponentForMeanLookback(wantedMean, base.lookbackMax());
    }
    return clamp(theta);
  }

  /** The power-law exponent whose look-back over [2, max] has the given mean (bisection). */
  static double exponentForMeanLookback(double mean, int max) {
    double lo = 0;
    double hi = UPPER[4];
    for (int i = 0; i < 60; i++) {
      double mid = (lo + hi) / 2;
      if (meanLookback(mid, max) > mean) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  static double meanLookback(double exponent, int max) {
    double weight = 0;
    double sum = 0;
    for (int d = 2; d <= max; d++) {
      double w = Math.pow(d, -exponent);
      weight += w;
      sum += w * d;
    }
    return sum / weight;
  }

  /**
   * The Jacobian of the relative errors that the first-order relations predict; Broyden's updates
   * correct it from the simulations.
   */
  private double[][] priorJacobian(double[] theta) {
    double[][] j = new double[KNOBS][KNOBS];
    double t0 = target.get(0);
    double newFraction = Double.isNaN(t0) ? 1 - theta[0] : t0;
    j[0][0] = -1 / scaleOf(0);
    j[1][0] = -1 / scaleOf(1);
    j[1][1] = 1.645 / scaleOf(1);
    j[2][0] = -theta[2] / Math.pow(1 + theta[0], 2) / scaleOf(2);
    j[2][2] = 1 / (1 + theta[0]) / scaleOf(2);
    // the window widens by the uniformly drawn fresh tokens: new x (1 - reselect) x (1 - f),
    // with f = 1 - exp(-theta[5]) the share of recency-weighted picks
    double window = TraceAnalyzer.WINDOW_STEPS - 1;
    double uniformShare = Math.exp(-theta[5]);
    j[3][0] = -window * (1 - theta[3]) * uniformShare / scaleOf(3);
    j[3][3] = -window * newFraction * uniformShare / scaleOf(3);
    j[3][5] = -window * newFraction * (1 - theta[3]) * uniformShare / scaleOf(3);
    double h = 0.05;
    double slope = (meanLookback(theta[4] + h, base.lookbackMax())
        - meanLookback(theta[4], base.lookbackMax())) / h;
    j[4][4] = newFraction * theta[3] * slope / scaleOf(4);
    // recency-weighted picks crowd the recent pages and come back within the window
    j[5][5] = 0.2;
    j[4][5] = -0.1;
    j[6][6] = 0.5;
    j[5][6] = 0.1;
    return j;
  }

  private double scaleOf(int i) {
    double t = target.get(i);
    return Double.isNaN(t) || t == 0 ? 1 : Math.abs(t);
  }

  /** Levenberg-Marquardt-damped Gauss-Newton step on the weighted errors of the active knobs. */
  private double[] newtonStep(double[][] j, double[] residual) {
    int n = KNOBS;
    double[][] a = new double[n][n + 1];
    for (int p = 0; p < n; p++) {
      for (int q = 0; q < n; q++) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
          sum += weight[i] * weight[i] * j[i][p] * j[i][q];
        }
        a[p][q] = sum;
      }
      double g = 0;
      for (int i = 0; i < n; i++) {
        g += weight[i] * weight[i] * j[i][p] * residual[i];
      }
      a[p][n] = -g;
    }
    for (int p = 0; p < n; p++) {
      if (!free[p]) {
        Arrays.fill(a[p], 0);
        for (int q = 0; q < n; q++) {
          a[q][p] = 0;
        }
        a[p][p] = 1;
      } else {
        a[p][p] = a[p][p] * 1.01 + 1e-6;
      }
    }
    return gaussSolve(a);
  }

  private static double[] gaussSolve(double[][] a) {
    int n = a.length;
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] swap = a[col];
      a[col] = a[pivot];
      a[pivot] = swap;
      if (Math.abs(a[col][col]) < 1e-300) {
        continue;
      }
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double f = a[r][col] / a[col][col];
          for (int c = col; c <= n; c++) {
            a[r][c] -= f * a[col][c];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = Math.abs(a[i][i]) < 1e-300 ? 0 : a[i][n] / a[i][i];
    }
    return x;
  }

  private void broyden(double[][] j, double[] dTheta, double[] dResidual) {
    double dd = 0;
    for (int k = 0; k < KNOBS; k++) {
      dd += dTheta[k] * dTheta[k];
    }
    if (dd == 0) {
      return;
    }
    for (int i = 0; i < KNOBS; i++) {
      double predicted = 0;
      for (int k = 0; k < KNOBS; k++) {
        predicted += j[i][k] * dTheta[k];
      }
      double correction = (dResidual[i] - predicted) / dd;
      for (int k = 0; k < KNOBS; k++) {
        j[i][k] += correction * dTheta[k];
      }
    }
  }

  /** Relative errors of the statistics of a trace generated with {@code theta} (0 if inactive). */
  private double[] simulate(double[] theta) {
    simulations++;
    TraceAnalyzer analyzer;
    Contiguity contiguity = new Contiguity(shape.topk());
    try (TraceSource src = Generators.dsa(shape, paramsOf(theta))) {
      analyzer = new TraceAnalyzer(src.header(), false);
      StepSelection step = StepSelection.forHeader(src.header());
      while (src.next(step)) {
        analyzer.accept(step);
        contiguity.accept(step);
      }
    } catch (IOException e) {
      throw new IllegalStateException("a generator does not do I/O", e);
    }
    FitTargets m = FitTargets.of(analyzer.finish(), contiguity.meanRun());
    double[] r = new double[KNOBS];
    for (int i = 0; i < KNOBS; i++) {
      r[i] = active[i] ? (m.get(i) - target.get(i)) / scaleOf(i) : 0;
      if (Double.isNaN(r[i])) {
        r[i] = 0;
      }
    }
    log.accept(String.format(Locale.ROOT, "simulation %d: %s -> %s", simulations,
        describe(theta), m));
    return r;
  }

  private String describe(double[] theta) {
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < KNOBS; k++) {
      if (active[k]) {
        parts.add(KNOB_NAMES[k] + " " + String.format(Locale.ROOT, "%.4f", theta[k]));
      }
    }
    return String.join(", ", parts);
  }

  private FitTargets achievedOf(double[] residual) {
    double[] v = new double[KNOBS];
    for (int i = 0; i < KNOBS; i++) {
      v[i] = active[i] ? target.get(i) + residual[i] * scaleOf(i) : Double.NaN;
    }
    return new FitTargets(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
  }

  private DsaParams paramsOf(double[] theta) {
    DsaParams p = base;
    if (active[0]) {
      p = p.withRetention(theta[0]);
    }
    if (active[1]) {
      p = p.withRetentionSpread(theta[1]);
    }
    if (active[2]) {
      p = p.withBorrow(theta[2]);
    }
    if (active[3]) {
      p = p.withReselect(theta[3]);
    }
    if (active[4]) {
      p = p.withLookback(theta[4], base.lookbackMax());
    }
    if (active[5]) {
      p = p.withFreshRecent(1 - Math.exp(-theta[5]), base.freshRecentScale());
    }
    if (active[6]) {
      p = p.withCohesion(Math.min(DsaParams.MAX_COHESION, 1 - Math.exp(-theta[6])));
    }
    return p;
  }

  private double[] clamp(double[] theta) {
    double[] out = new double[KNOBS];
    for (int k = 0; k < KNOBS; k++) {
      out[k] = Math.max(LOWER[k], Math.min(UPPER[k], theta[k]));
    }
    return out;
  }

  private static double worst(double[] residual) {
    double w = 0;
    for (double r : residual) {
      w = Math.max(w, Math.abs(r));
    }
    return w;
  }

  private double weightedSquares(double[] residual) {
    double s = 0;
    for (int i = 0; i < residual.length; i++) {
      s += weight[i] * weight[i] * residual[i] * residual[i];
    }
    return s;
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  private static double[] add(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] + b[i];
    }
    return out;
  }

  private static double[] subtract(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] - b[i];
    }
    return out;
  }

}
