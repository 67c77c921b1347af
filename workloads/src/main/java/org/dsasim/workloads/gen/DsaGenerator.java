package org.dsasim.workloads.gen;

import java.util.Arrays;
import java.util.Map;
import org.dsasim.workloads.trace.StepSelection;

/**
 * A calibrated model of DSA top-k selections. Each (layer l, sequence) builds its selection of
 * n = min(topk, context) tokens at step t from, in order:
 *
 * <ol>
 *   <li>anchors: the first {@code sinks} tokens and the {@code localWindow} most recent ones;
 *   <li>retention: tokens of its own previous selection, until round(r x n) of the selection were
 *       in the previous one, r drawn per step from a beta distribution with mean
 *       {@code retention[l]} and standard deviation {@code retentionSpread};
 *   <li>borrowing: {@code borrow[l]} of the free slots from layer l-1's selection at this step
 *       (tokens that are new for this layer);
 *   <li>re-selection: {@code reselect} of the remaining free slots from tokens this (layer,
 *       sequence) last selected exactly d steps ago, d in [2, lookbackMax] drawn with probability
 *       proportional to d^-lookbackExponent;
 *   <li>the rest: for a {@code freshRecent} share, tokens at an exponentially distributed age
 *       (mean {@code freshRecentScale x topk}) behind the newest token that are not in the previous
 *       selection (attention to the recent context, which brings recently dropped tokens back);
 *       otherwise fresh tokens, not selected within lookbackMax steps, uniformly over the context.
 * </ol>
 *
 * Every pick of steps 2-5 is followed, with probability {@code cohesion}, by the next eligible
 * candidate in token order (the next one of the sorted source list, or the next eligible position
 * at most 64 tokens on), which makes selections cluster in neighbouring tokens as real ones do.
 * Counts are rounded stochastically so that expectations are exact at any topk. The selection is
 * sorted ascending.
 *
 * <p>State per (layer, sequence): the last step at which each context token was selected, as a
 * 16-bit mark (see {@link #mark}; one char per token of the largest context), the previous
 * selection, and the tokens dropped at each of the last lookbackMax steps (at most lookbackMax x
 * topk ints).
 */
final class DsaGenerator extends GeneratedTrace {
  static final String NAME = "dsa";
  /** The mark of a token not selected within the last lookbackMax steps (or never). */
  private static final char NEVER = 0;
  /** Marks hold a step modulo 2^MARK_BITS; every 2^(MARK_BITS - 1) steps old ones become NEVER. */
  private static final int MARK_BITS = 15;
  private static final int MARK_MASK = (1 << MARK_BITS) - 1;
  private static final int CLEAR_INTERVAL = 1 << (MARK_BITS - 1);
  /** Failed fresh draws in a row before falling back to any token not yet chosen. */
  private static final int FRESH_ATTEMPTS = 256;
  /** A run of fresh tokens ends where the next fresh position is farther than this. */
  private static final int RUN_GAP = 64;

  private final DsaParams p;
  private final int topk;
  private final int cells;
  private final int horizon;
  /**
   * lastStep[cell][token]: the mark of the last step at which the token was selected, or NEVER.
   * Two bytes rather than an int per token: this is the generator's largest state (layers x
   * sequences x context), and it shares the caches with the simulation it feeds.
   */
  private final char[][] lastStep;
  /** The previous step's sorted selection of each cell, at {@code cell * topk}. */
  private final int[] previous;
  private final int[] previousCount;
  /**
   * dropped[cell][(step % horizon) * topk ...]: tokens of S(step) not in S(step + 1), sorted. Grown
   * as steps fill it, up to horizon x topk: a run shorter than the horizon (most simulations run
   * a few steps) never allocates, nor clears, the rest.
   */
  private final int[][] dropped;
  private final int droppedCapacity;
  private final int[][] droppedCount;
  /** lookbackCdf[d] = sum of d'^-exponent for d' in [2, d]. */
  private final double[] lookbackCdf;
  private final int[] candidates;
  private final double recentMeanAge;
  private final TokenSort sorter = new TokenSort();

  // the cell being built
  private int[] out;
  private int outStart;
  private int chosen;
  private int kept;
  private char[] last;
  private int step;

  DsaGenerator(GeneratorShape shape, DsaParams params, String origin) {
    super(NAME, shape, Map.of("params", params.toString()));
    params.checkLayers(shape.layers(), origin);
    this.p = params;
    this.topk = shape.topk();
    this.cells = shape.layers() * shape.seqs();
    this.horizon = params.lookbackMax();
    int maxContext = shape.maxContext();
    lastStep = new char[cells][];
    dropped = new int[cells][];
    droppedCapacity = Math.multiplyExact(horizon, topk);
    droppedCount = new int[cells][];
    for (int c = 0; c < cells; c++) {
      lastStep[c] = new char[maxContext];
      dropped[c] = new int[0];
      droppedCount[c] = new int[horizon];
    }
    previous = new int[cells * topk];
    previousCount = new int[cells];
    lookbackCdf = new double[horizon + 1];
    for (int d = 2; d <= horizon; d++) {
      lookbackCdf[d] = lookbackCdf[d - 1] + Math.pow(d, -params.lookbackExponent());
    }
    candidates = new int[topk];
    recentMeanAge = params.freshRecentScale() * topk;
  }

  @Override
  protected void fill(int t, int context, StepSelection into) {
    step = t;
    if (t > 0 && t % CLEAR_INTERVAL == 0) {
      forgetOldMarks();
    }
    int n = Math.min(topk, context);
    out = into.indices();
    for (int l = 0; l < shape.layers(); l++) {
      for (int s = 0; s < shape.seqs(); s++) {
        int cell = l * shape.seqs() + s;
        outStart = into.offset(l, s);
        chosen = 0;
        kept = 0;
        last = lastStep[cell];
        for (int x = 0, end = Math.min(p.sinks(), context); x < end && chosen < n; x++) {
          choose(x);
        }
        for (int x = Math.max(0, context - p.localWindow()); x < context && chosen < n; x++) {
          choose(x);
        }
        if (t > 0) {
          int want = stochasticRound(retention(l) * n) - kept;
          pickRuns(previous, cell * topk, previousCount[cell], Math.min(want, n - chosen), false);
        }
        if (l > 0) {
          int want = stochasticRound(p.borrow(l) * (n - chosen));
          pickRuns(out, into.offset(l - 1, s), into.count(l - 1, s), want, true);
        }
        if (t >= 2) {
          reselect(cell, stochasticRound(p.reselect() * (n - chosen)));
        }
        fillFresh(n, context);
        sorter.sort(out, outStart, outStart + chosen, context);
        into.setCount(l, s, chosen);
      }
    }
    // remember what each cell dropped at the previous step, then this step's selections
    for (int cell = 0; cell < cells; cell++) {
      int l = cell / shape.seqs();
      int s = cell % shape.seqs();
      if (t > 0) {
        int slot = (t - 1) % horizon;
        char[] lastOfCell = lastStep[cell];
        int[] list = dropped[cell];
        if (list.length < (slot + 1) * topk) {
          list = Arrays.copyOf(list, Math.min(droppedCapacity,
              Math.max((slot + 1) * topk, 2 * list.length)));
          dropped[cell] = list;
        }
        int m = 0;
        for (int i = cell * topk, end = i + previousCount[cell]; i < end; i++) {
          int x = previous[i];
          if (lastOfCell[x] != mark(t)) {
            list[slot * topk + m++] = x;
          }
        }
        droppedCount[cell][slot] = m;
      }
      int count = into.count(l, s);
      System.arraycopy(out, into.offset(l, s), previous, cell * topk, count);
      previousCount[cell] = count;
    }
  }

  /**
   * The mark of step {@code t}: its low MARK_BITS bits, with the top bit set so that no mark is
   * NEVER. A mark names the latest step up to now with those bits; it is unambiguous because no
   * mark is older than 2^MARK_BITS steps (see {@link #forgetOldMarks}), so equal marks mean
   * equal steps.
   */
  private static char mark(int t) {
    return (char) ((t & MARK_MASK) | (1 << MARK_BITS));
  }

  /**
   * Turns the marks of tokens last selected more than lookbackMax steps ago into NEVER (which
   * means the same: a token is fresh either way). Called every CLEAR_INTERVAL steps, so no mark
   * gets older than CLEAR_INTERVAL + lookbackMax < 2^MARK_BITS steps.
   */
  private void forgetOldMarks() {
    for (char[] marks : lastStep) {
      for (int x = 0; x < marks.length; x++) {
        if (marks[x] != NEVER && age(marks[x]) > horizon) {
          marks[x] = NEVER;
        }
      }
    }
  }

  /** Steps since the step of {@code mark} (not NEVER). */
  private int age(char mark) {
    return (step - mark) & MARK_MASK;
  }

  /** Adds {@code x} to the selection being built unless already there. */
  private boolean choose(int x) {
    char was = last[x];
    if (was == mark(step)) {
      return false;
    }
    if (was == mark(step - 1)) {
      kept++;
    }
    last[x] = mark(step);
    out[outStart + chosen++] = x;
    return true;
  }

  private double retention(int layer) {
    double mean = p.retention(layer);
    double sd = p.retentionSpread();
    if (sd == 0 || mean <= 0 || mean >= 1) {
      return mean;
    }
    double variance = Math.min(sd * sd, 0.999 * mean * (1 - mean));
    double concentration = mean * (1 - mean) / variance - 1;
    double a = gamma(mean * concentration);
    double b = gamma((1 - mean) * concentration);
    return a + b == 0 ? mean : a / (a + b);
  }

  /** A gamma(shape, 1) variate (Marsaglia and Tsang, 2000). */
  private double gamma(double shape) {
    if (shape < 1) {
      return gamma(shape + 1) * Math.pow(rng.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = rng.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = rng.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x
          || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }

  private int stochasticRound(double x) {
    if (x <= 0) {
      return 0;
    }
    int floor = (int) x;
    return floor + (rng.nextDouble() < x - floor ? 1 : 0);
  }

  /**
   * Chooses {@code want} tokens of the sorted list {@code src[from, from + count)} in runs: a
   * random eligible start, then with probability cohesion the next list entry, and so on. Eligible:
   * not chosen yet and, if {@code newOnly}, not in this cell's previous selection.
   */
  private void pickRuns(int[] src, int from, int count, int want, boolean newOnly) {
    if (want <= 0) {
      return;
    }
    int eligible = 0;
    for (int i = from, end = from + count; i < end; i++) {
      int x = src[i];
      char was = last[x];
      if (was != mark(step) && (!newOnly || was != mark(step - 1))) {
        candidates[eligible++] = x;
      }
    }
    if (want >= eligible) {
      for (int i = 0; i < eligible; i++) {
        choose(candidates[i]);
      }
      return;
    }
    int got = 0;
    int failures = 0;
    while (got < want) {
      int i = rng.nextInt(eligible);
      if (!choose(candidates[i])) {
        if (++failures > 8 * eligible + 64) {
          break;
        }
        continue;
      }
      got++;
      while (got < want && rng.nextDouble() < p.cohesion()) {
        // the run goes on with the next candidate not chosen yet
        do {
          i++;
        } while (i < eligible && last[candidates[i]] == mark(step));
        if (i == eligible) {
          break;
        }
        choose(candidates[i]);
        got++;
      }
    }
    // only when nearly every candidate is wanted: take the rest in order from a random point
    for (int i = rng.nextInt(eligible), seen = 0; got < want && seen < eligible; seen++) {
      if (choose(candidates[i])) {
        got++;
      }
      i = i + 1 == eligible ? 0 : i + 1;
    }
  }

  /** Re-selects up to {@code want} tokens dropped 2..horizon steps ago (not chosen since). */
  private void reselect(int cell, int want) {
    int maxBack = Math.min(horizon, step);
    if (want <= 0 || maxBack < 2) {
      return;
    }
    int[] list = dropped[cell];
    int[] counts = droppedCount[cell];
    int got = 0;
    int failures = 0;
    int maxFailures = 8 * want + 32;
    while (got < want && failures < maxFailures) {
      int back = lookback(maxBack);
      int then = step - back;
      int slot = then % horizon;
      int count = counts[slot];
      if (count == 0) {
        failures++;
        continue;
      }
      int base = slot * topk;
      int i = rng.nextInt(count);
      if (last[list[base + i]] != mark(then)) {
        failures++;
        continue;
      }
      choose(list[base + i]);
      got++;
      while (got < want && rng.nextDouble() < p.cohesion()) {
        // the run goes on with the next token of the list still last selected back then
        do {
          i++;
        } while (i < count && last[list[base + i]] != mark(then));
        if (i == count) {
          break;
        }
        choose(list[base + i]);
        got++;
      }
    }
  }

  /** A look-back in [2, maxBack] with probability proportional to d^-exponent. */
  private int lookback(int maxBack) {
    double u = rng.nextDouble() * lookbackCdf[maxBack];
    int lo = 2;
    int hi = maxBack;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (lookbackCdf[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /**
   * Fills the selection up to {@code n}, in runs of neighbouring positions: recency-weighted
   * picks (any token not in the previous selection, so recently dropped ones come back) or fresh
   * tokens drawn uniformly.
   */
  private void fillFresh(int n, int context) {
    int failures = 0;
    while (chosen < n && failures < FRESH_ATTEMPTS) {
      boolean recent = p.freshRecent() > 0 && rng.nextDouble() < p.freshRecent();
      int x = recent ? recentStart(context) : rng.nextInt(context);
      if (!eligible(x, recent)) {
        failures++;
        continue;
      }
      failures = 0;
      choose(x);
      while (chosen < n && rng.nextDouble() < p.cohesion()) {
        // the run goes on with the next eligible position, if one is near
        int limit = Math.min(context, x + 1 + RUN_GAP);
        do {
          x++;
        } while (x < limit && !eligible(x, recent));
        if (x == limit) {
          break;
        }
        choose(x);
      }
    }
    // the context is nearly exhausted of fresh tokens: take any not chosen yet
    while (chosen < n && failures < 2 * FRESH_ATTEMPTS) {
      if (!choose(rng.nextInt(context))) {
        failures++;
      }
    }
    for (int x = rng.nextInt(context), seen = 0; chosen < n && seen < context; seen++) {
      choose(x);
      x = x + 1 == context ? 0 : x + 1;
    }
  }

  /** A position at an exponentially distributed age behind the newest token. */
  private int recentStart(int context) {
    int age = (int) (-recentMeanAge * Math.log(1 - rng.nextDouble()));
    return age < context ? context - 1 - age : rng.nextInt(context);
  }

  /**
   * A recency-weighted pick may be any token outside the previous selection; a uniform one must be
   * fresh.
   */
  private boolean eligible(int x, boolean recent) {
    char was = last[x];
    return recent
        ? was != mark(step) && was != mark(step - 1)
        : was == NEVER || age(was) > horizon;
  }

}
