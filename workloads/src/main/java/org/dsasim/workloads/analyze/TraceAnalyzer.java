package org.dsasim.workloads.analyze;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dsasim.core.UserInputException;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceSource;

/**
 * Measures the access-pattern statistics of a DSA trace in one streaming pass.
 *
 * <p>Let S(t) be the set of tokens selected for one (layer, sequence) at step t, and k the
 * header's topk. Every sample belongs to one (layer, sequence); a step where S(t) is empty gives
 * no sample (it still counts as a step: the set before it is empty, and it breaks runs).
 *
 * <ul>
 *   <li>{@code new_fraction}: |S(t) \ S(t-1)| / |S(t)| for t >= 1, where S(t-1) is the previous
 *       step's set (empty if that step selected nothing, making every token new).
 *   <li>{@code persistence}: the lengths of the maximal runs of consecutive steps in which a token
 *       stays selected, including runs cut by the first or last step of the trace.
 *   <li>{@code reselection_distance}: for each token of S(t) selected at some earlier step, t minus
 *       the last earlier step at which it was selected (1 for a token kept from S(t-1)).
 *   <li>{@code inter_layer_overlap}: |S_l(t) and S_l+1(t)| / k for adjacent layers, a sample of
 *       layer l; skipped when either set is empty.
 *   <li>{@code working_set_50}: |union of S over 50 consecutive steps| / k, over non-overlapping
 *       windows starting at step 0; a final partial window is ignored, and so is a window in which
 *       the (layer, sequence) selected nothing.
 *   <li>{@code page_utilization_64}: |S(t)| / (64 x number of distinct 64-token pages it touches).
 * </ul>
 *
 * Selections are sets: a token listed twice at one step counts once for these metrics (the
 * reuse profile sees every listed index as an access). The overall figures pool the samples of all
 * layers and sequences (they are not means of per-layer means).
 *
 * <p>Memory is proportional to the tokens seen per (layer, sequence) (in blocks of 64 neighbours)
 * plus one number per (step, layer, sequence) sample; the trace itself is never held. Indices
 * must lie in [0, context length) when the trace gives context lengths.
 */
public final class TraceAnalyzer implements AutoCloseable {
  public static final int WINDOW_STEPS = 50;
  public static final int PAGE_TOKENS = 64;
  private static final int PAGE_SHIFT = Integer.numberOfTrailingZeros(PAGE_TOKENS);

  private final TraceHeader header;
  private final int layers;
  private final int seqs;
  private final int topk;
  /** Per (layer, seq), index {@code layer * seqs + seq}. */
  private final TokenHistory[] histories;
  private final int[] windowDistinct;
  private final boolean[] windowSelected;
  private final List<MetricSet> layerMetrics = new ArrayList<>();
  /**
   * pageStamp[page] == selectionStamp: the selection being analyzed touches the page (stamps
   * instead of clearing between selections).
   */
  private int[] pageStamp = new int[64];
  private int selectionStamp;
  /** The per-layer and overall stack distances; null without the reuse profiles. */
  private final ReuseProfiler reuse;
  private final ReusePipeline reusePipeline;
  /** Keys numbered so far per layer (see {@link ReuseProfiler}). */
  private final int[] layerKeys;
  private int step;
  private long indices;
  private boolean finished;

  /**
   * An analyzer that computes the LRU stack-distance profiles on another thread when the
   * machine has more than one processor (the results are the same either way). Close it if the
   * analysis ends without {@link #finish()}.
   *
   * @param withReuse whether to compute the LRU stack-distance profiles (the costliest part)
   */
  public TraceAnalyzer(TraceHeader header, boolean withReuse) {
    this(header, withReuse, ReusePipeline.concurrentByDefault());
  }

  /** As above, choosing whether the stack distances are computed on other threads. */
  TraceAnalyzer(TraceHeader header, boolean withReuse, boolean concurrentReuse) {
    this.header = header;
    this.layers = header.layers();
    this.seqs = header.seqs();
    this.topk = header.topk();
    histories = new TokenHistory[layers * seqs];
    for (int i = 0; i < histories.length; i++) {
      histories[i] = new TokenHistory(header.promptLen() + 4 * topk);
    }
    windowDistinct = new int[layers * seqs];
    windowSelected = new boolean[layers * seqs];
    for (int l = 0; l < layers; l++) {
      layerMetrics.add(new MetricSet());
    }
    layerKeys = new int[layers];
    if (withReuse) {
      reuse = new ReuseProfiler(layers, seqs * 4 * topk);
      reusePipeline =
          new ReusePipeline(List.of(reuse), layers, layers * seqs * topk, concurrentReuse);
    } else {
      reuse = null;
      reusePipeline = null;
    }
  }

  /** Analyzes a whole source (it is not closed). */
  public static TraceStatistics analyze(TraceSource source, boolean withReuse) throws IOException {
    try (TraceAnalyzer analyzer = new TraceAnalyzer(source.header(), withReuse)) {
      return analyzer.analyzeAll(source);
    }
  }

  /** As {@link #analyze(TraceSource, boolean)}, choosing the threading of the stack distances. */
  static TraceStatistics analyze(TraceSource source, boolean withReuse, boolean concurrentReuse)
      throws IOException {
    try (TraceAnalyzer analyzer = new TraceAnalyzer(source.header(), withReuse, concurrentReuse)) {
      return analyzer.analyzeAll(source);
    }
  }

  private TraceStatistics analyzeAll(TraceSource source) throws IOException {
    StepSelection step = StepSelection.forHeader(source.header());
    while (source.next(step)) {
      accept(step);
    }
    return finish();
  }

  /** Takes the next step (steps must come in order from step 0). */
  public void accept(StepSelection selection) {
    if (finished) {
      throw new IllegalStateException("the analyzer has finished");
    }
    if (selection.layers() != layers || selection.seqs() != seqs || selection.topk() != topk) {
      throw new IllegalArgumentException("step shape differs from the trace header");
    }
    final int t = step;
    final int windowStart = t - t % WINDOW_STEPS;
    final int[] idx = selection.indices();
    // the step's key numbers go straight into the reuse pipeline's batch, one run per layer
    ReusePipeline.Batch keyBatch = reusePipeline == null ? null : reusePipeline.batchForStep();
    final int[] keyOut = keyBatch == null ? null : keyBatch.keys;
    int keyPos = keyBatch == null ? 0 : keyBatch.size;
    for (int l = 0; l < layers; l++) {
      MetricSet metrics = layerMetrics.get(l);
      int layerKeyStart = keyPos;
      MetricSet above = l > 0 ? layerMetrics.get(l - 1) : null;
      for (int s = 0; s < seqs; s++) {
        int n = selection.count(l, s);
        if (n == 0) {
          continue;
        }
        int off = selection.offset(l, s);
        int context = selection.contextLen(s);
        int tokenLimit = context > 0 ? context : Integer.MAX_VALUE;
        int cell = l * seqs + s;
        TokenHistory h = histories[cell];
        // the layer above, at this step: its tokens have this step as last step
        TokenHistory upper = l > 0 && selection.count(l - 1, s) > 0 ? histories[cell - seqs] : null;
        CountHistogram persistence = metrics.histogram(Metric.PERSISTENCE);
        CountHistogram reselection = metrics.histogram(Metric.RESELECTION_DISTANCE);
        int distinct = 0;
        int fresh = 0;
        int shared = 0;
        int inWindow = 0;
        int stamp = nextSelectionStamp();
        int pages = 0;
        for (int i = off, end = off + n; i < end; i++) {
          int token = idx[i];
          if (token < 0 || token >= tokenLimit) {
            throw new UserInputException(
                "token index " + token + " outside [0, " + tokenLimit + ") at step " + t
                    + ", layer " + l + ", sequence " + s);
          }
          int slot = h.slotOf(token);
          if (keyOut != null) {
            int key = h.keyAt(slot);
            if (key == TokenHistory.NO_KEY) {
              key = layerKeys[l]++;
              h.setKeyAt(slot, key);
            }
            keyOut[keyPos++] = key;
          }
          int last = h.lastStepAt(slot);
          if (last == t) {
            continue; // listed twice in this selection
          }
          distinct++;
          if (last != t - 1) {
            fresh++;
            if (last != TokenHistory.NEVER) {
              persistence.add(last - h.runStartAt(slot) + 1);
            }
            h.setRunStartAt(slot, t);
          }
          if (last != TokenHistory.NEVER) {
            reselection.add(t - last);
          }
          if (last < windowStart) {
            inWindow++;
          }
          h.setLastStepAt(slot, t);
          int page = token >>> PAGE_SHIFT;
          if (page >= pageStamp.length) {
            pageStamp = Arrays.copyOf(pageStamp, Math.max(page + 1, 2 * pageStamp.length));
          }
          if (pageStamp[page] != stamp) {
            pageStamp[page] = stamp;
            pages++;
          }
          if (upper != null && upper.lastStepOf(token) == t) {
            shared++;
          }
        }
        indices += n;
        if (t >= 1) {
          metrics.samples(Metric.NEW_FRACTION).add((double) fresh / distinct);
        }
        metrics
            .samples(Metric.PAGE_UTILIZATION_64)
            .add((double) distinct / ((double) PAGE_TOKENS * pages));
        if (upper != null) {
          above.samples(Metric.INTER_LAYER_OVERLAP).add((double) shared / topk);
        }
        windowDistinct[cell] += inWindow;
        windowSelected[cell] = true;
      }
      if (keyBatch != null) {
        keyBatch.runs[keyBatch.runCount++] = keyPos - layerKeyStart;
      }
    }
    if (keyBatch != null) {
      keyBatch.size = keyPos;
    }
    if ((t + 1) % WINDOW_STEPS == 0) {
      for (int cell = 0; cell < windowDistinct.length; cell++) {
        if (windowSelected[cell]) {
          layerMetrics
              .get(cell / seqs)
              .samples(Metric.WORKING_SET_50)
              .add((double) windowDistinct[cell] / topk);
        }
        windowDistinct[cell] = 0;
        windowSelected[cell] = false;
      }
    }
    step++;
  }

  private int nextSelectionStamp() {
    if (++selectionStamp == 0) {
      // wrapped after 2^32 selections: old stamps could collide with new ones
      Arrays.fill(pageStamp, 0);
      selectionStamp = 1;
    }
    return selectionStamp;
  }

  /** Closes the runs still open at the last step and returns the statistics (once). */
  public TraceStatistics finish() {
    if (finished) {
      throw new IllegalStateException("finish() was already called");
    }
    finished = true;
    for (int cell = 0; cell < histories.length; cell++) {
      TokenHistory h = histories[cell];
      CountHistogram persistence = layerMetrics.get(cell / seqs).histogram(Metric.PERSISTENCE);
      h.forEachSelected(slot -> persistence.add(h.lastStepAt(slot) - h.runStartAt(slot) + 1));
    }
    if (reusePipeline != null) {
      reusePipeline.finish();
    }
    return new TraceStatistics(
        header,
        step,
        indices,
        MetricSet.pooled(layerMetrics),
        layerMetrics,
        reuse == null ? null : reuse.overallProfile(),
        reuse == null ? List.of() : reuse.layerProfiles());
  }

  /** Stops the stack-distance thread of an analysis abandoned before {@link #finish()}. */
  @Override
  public void close() {
    if (reusePipeline != null) {
      reusePipeline.close();
    }
  }
}
