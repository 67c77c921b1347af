package org.dsasim.mem.token;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Functional replay (no timing) of a stream of decode steps through many (policy, capacity)
 * instances in one pass over the stream.
 *
 * <p>Every gathered entry goes to every online instance in gather order, then each instance sees
 * the end of the step. {@code token-lru} asked at {@value #CURVE_MIN_CAPACITIES} or more capacities
 * is computed once for all of them from exact stack distances ({@link TokenLruCurve}), which gives
 * the same counts as separate instances. Offline policies ({@code belady}) need the future: the
 * pass also records the stream ({@link AccessRecording}, 8 bytes per access), and they replay the
 * recording afterwards, without reading the stream again.
 */
public final class TokenReplay {
  /** From this many token-lru capacities on, one stack-distance pass serves them all. */
  public static final int CURVE_MIN_CAPACITIES = 3;

  private final TokenSpace space;
  private final List<Request> requests = new ArrayList<>();

  private record Request(PolicySpec policy, int capacityTokens) {}

  public TokenReplay(TokenSpace space) {
    this.space = space;
  }

  /** Adds an instance of {@code policy} ({@code NAME[:KEY=VALUE]...}) at a capacity. */
  public TokenReplay add(String policy, int capacityTokens) {
    return add(TokenCachePolicies.parse(policy), capacityTokens);
  }

  public TokenReplay add(PolicySpec policy, int capacityTokens) {
    TokenCachePolicies.factory(policy.name());
    if (capacityTokens < 0) {
      throw new IllegalArgumentException("negative capacity: " + capacityTokens);
    }
    requests.add(new Request(policy, capacityTokens));
    return this;
  }

  /**
   * Replays {@code stream} to its end through every instance added.
   *
   * @return one result per {@link #add}, in the same order
   */
  public List<ReplayResult> run(GatherStream stream) throws IOException {
    Pass pass = new Pass();
    while (stream.nextStep(pass)) {
      pass.endStep();
    }
    return pass.results();
  }

  private boolean viaCurve(Request r) {
    if (!r.policy.name().equals("token-lru") || !r.policy.params().isEmpty()) {
      return false;
    }
    return requests.stream().filter(o -> o.policy.equals(r.policy)).count() >= CURVE_MIN_CAPACITIES;
  }

  /** The state of one replay: instances, counters, and what the offline policies need. */
  private final class Pass implements GatherSink {
    private final TokenCachePolicy[] online;
    private final long[] onlineHits;
    private final TokenLruCurve curve;
    private final AccessRecording recording;
    private long accesses;

    Pass() {
      List<TokenCachePolicy> instances = new ArrayList<>();
      boolean anyCurve = false;
      boolean anyOffline = false;
      for (Request r : requests) {
        if (TokenCachePolicies.factory(r.policy.name()).needsFuture()) {
          anyOffline = true;
        } else if (viaCurve(r)) {
          anyCurve = true;
        } else {
          instances.add(TokenCachePolicies.create(r.policy, r.capacityTokens, space, null));
        }
      }
      online = instances.toArray(new TokenCachePolicy[0]);
      onlineHits = new long[online.length];
      curve = anyCurve ? new TokenLruCurve(space) : null;
      recording = anyOffline ? new AccessRecording() : null;
    }

    @Override
    public void gather(int seq, int layer, int[] tokens, int from, int count) {
      int to = from + count;
      for (int p = 0; p < online.length; p++) {
        TokenCachePolicy policy = online[p];
        int hits = 0;
        for (int i = from; i < to; i++) {
          if (policy.access(seq, layer, tokens[i])) {
            hits++;
          }
        }
        onlineHits[p] += hits;
      }
      if (curve != null) {
        for (int i = from; i < to; i++) {
          curve.access(seq, layer, tokens[i]);
        }
      }
      if (recording != null) {
        for (int i = from; i < to; i++) {
          recording.record(TokenSpace.key(seq, layer, tokens[i]));
        }
      }
      accesses += count;
    }

    void endStep() {
      for (TokenCachePolicy policy : online) {
        policy.endStep();
      }
      if (recording != null) {
        recording.endStep();
      }
    }

    List<ReplayResult> results() {
      if (recording != null) {
        recording.finish();
      }
      List<ReplayResult> results = new ArrayList<>();
      int next = 0;
      for (Request r : requests) {
        TokenCachePolicy policy;
        long hits;
        if (TokenCachePolicies.factory(r.policy.name()).needsFuture()) {
          policy = TokenCachePolicies.create(r.policy, r.capacityTokens, space, recording);
          hits = replayRecording(policy);
        } else if (viaCurve(r)) {
          results.add(result(r, curve.hits(r.capacityTokens), 1));
          continue;
        } else {
          policy = online[next];
          hits = onlineHits[next++];
        }
        results.add(result(r, hits, policy.entriesPerMiss()));
      }
      return results;
    }

    private ReplayResult result(Request r, long hits, int entriesPerMiss) {
      return new ReplayResult(
          r.policy.toString(),
          r.capacityTokens,
          accesses,
          hits,
          (accesses - hits) * entriesPerMiss);
    }

    private long replayRecording(TokenCachePolicy policy) {
      long hits = 0;
      int i = 0;
      for (int s = 0; s < recording.steps(); s++) {
        for (int end = recording.stepEnd(s); i < end; i++) {
          long key = recording.keyOf(recording.idAt(i));
          if (policy.access(
              TokenSpace.seqOf(key), TokenSpace.layerOf(key), TokenSpace.tokenOf(key))) {
            hits++;
          }
        }
        policy.endStep();
      }
      return hits;
    }
  }
}
