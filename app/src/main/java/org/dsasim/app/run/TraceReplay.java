package org.dsasim.app.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Units;
import org.dsasim.mem.token.GatherSink;
import org.dsasim.mem.token.GatherStream;
import org.dsasim.mem.token.PolicySpec;
import org.dsasim.mem.token.ReplayResult;
import org.dsasim.mem.token.TokenCachePolicies;
import org.dsasim.mem.token.TokenReplay;
import org.dsasim.mem.token.TokenSpace;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceSource;

/**
 * Functional replay of a trace source through token-granular cache policies: every (policy,
 * capacity) pair counted in one pass ({@link TokenReplay}). {@code dsasim replay} and the replay
 * points of a sweep both go through here, so that a sweep point and the same request given to
 * {@code replay} count the same hits.
 *
 * <p>Gathers are replayed step by step; within a step layer by layer, within a layer sequence by
 * sequence, each selection in its stored order. Besides the registered policies, {@value #NONE}
 * is the baseline without a cache: no hit, every gather fetched.
 */
public final class TraceReplay {
  /** The policy name of the baseline without a cache. */
  public static final String NONE = "none";

  private static final Pattern ENTRY_COUNT = Pattern.compile("\\d+");

  private final TraceHeader header;
  private final SelectionStream stream;
  private final TokenSpace space;

  /**
   * Reads the first step of {@code source} (to size the KV buffer, {@link #spaceOf}) and prepares
   * the replay of at most {@code maxSteps} steps, each selection cut to its first {@code maxTopk}
   * tokens.
   *
   * @param name names the source in messages (its file, or its generator)
   */
  public TraceReplay(TraceSource source, String name, long maxSteps, int maxTopk)
      throws IOException {
    if (maxTopk < 1) {
      throw new IllegalArgumentException("maxTopk must be positive: " + maxTopk);
    }
    TraceHeader h = source.header();
    this.header = h;
    this.stream = new SelectionStream(source, h, name, maxSteps, maxTopk);
    TokenSpace full = spaceOf(h, stream.peek());
    this.space = new TokenSpace(full.layers(), full.seqs(), Math.min(full.topk(), maxTopk),
        full.pageTokens(), full.entryBytes(), full.contextTokens());
  }

  /** The whole source, every selection as stored. */
  public TraceReplay(TraceSource source, String name) throws IOException {
    this(source, name, Long.MAX_VALUE, Integer.MAX_VALUE);
  }

  public TraceHeader header() {
    return header;
  }

  /** The entries the replay addresses (top-k already cut to the replay's). */
  public TokenSpace space() {
    return space;
  }

  /**
   * A policy as a user names it, {@code NAME[:KEY=VALUE]...}: a registered token-cache policy or
   * {@value #NONE}.
   */
  public static PolicySpec parsePolicy(String text) {
    String trimmed = text.trim();
    String name = trimmed.split(":", 2)[0].trim();
    if (name.equals(NONE)) {
      if (!trimmed.equals(NONE)) {
        throw new UserInputException("policy '" + text + "': " + NONE + " takes no parameters");
      }
      return new PolicySpec(NONE, Map.of());
    }
    if (!TokenCachePolicies.names().contains(name)) {
      List<String> known = new ArrayList<>(TokenCachePolicies.names());
      known.add(NONE);
      throw new UserInputException("unknown token-cache policy '" + name + "' (known: "
          + String.join(", ", known) + ")");
    }
    return TokenCachePolicies.parse(text);
  }

  /**
   * Replays the source once and counts every request: {@code policies.get(i)} at {@code
   * capacities.get(i)} token entries.
   *
   * @return one result per request, in order
   */
  public List<ReplayResult> run(List<PolicySpec> policies, List<Integer> capacities)
      throws IOException {
    if (policies.size() != capacities.size()) {
      throw new IllegalArgumentException("one capacity per policy");
    }
    TokenReplay replay = new TokenReplay(space);
    for (int i = 0; i < policies.size(); i++) {
      if (!policies.get(i).name().equals(NONE)) {
        replay.add(policies.get(i), capacities.get(i));
      }
    }
    List<ReplayResult> cached = replay.run(stream);
    long accesses = stream.gathered();
    List<ReplayResult> results = new ArrayList<>();
    int next = 0;
    for (int i = 0; i < policies.size(); i++) {
      results.add(policies.get(i).name().equals(NONE)
          ? new ReplayResult(NONE, capacities.get(i), accesses, 0, accesses)
          : cached.get(next++));
    }
    return results;
  }

  /** Decode steps replayed so far. */
  public long steps() {
    return stream.steps();
  }

  /**
   * The entries of the trace: its shape, and a KV buffer per (sequence, layer) that holds the
   * context at the last step: {@code prompt_len + steps} when the header gives both, else the first
   * step's context (or largest token index + 1) plus one token per further step; unknown (0) when
   * the step count is unknown. An empty trace gathers nothing: its buffer is one token.
   *
   * @param first the first step, or null for an empty trace
   */
  public static TokenSpace spaceOf(TraceHeader h, StepSelection first) {
    if (h.seqs() > TokenSpace.MAX_SEQS || h.layers() > TokenSpace.MAX_LAYERS) {
      throw new UserInputException("trace has " + h.seqs() + " sequences and " + h.layers()
          + " layers; token replay handles at most " + TokenSpace.MAX_SEQS + " and "
          + TokenSpace.MAX_LAYERS);
    }
    long context = 0;
    if (first == null) {
      context = 1;
    } else if (h.steps() > 0 && h.promptLen() > 0) {
      context = h.promptLen() + h.steps();
    } else if (h.steps() > 0) {
      long firstContext = 0;
      for (int s = 0; s < first.seqs(); s++) {
        firstContext = Math.max(firstContext, first.contextLen(s));
        for (int l = 0; l < first.layers(); l++) {
          for (int i = 0; i < first.count(l, s); i++) {
            firstContext = Math.max(firstContext, first.index(l, s, i) + 1L);
          }
        }
      }
      context = firstContext + h.steps() - 1;
    }
    return new TokenSpace(h.layers(), h.seqs(), h.topk(), h.pageTokens(), h.entryBytes(),
        context <= Integer.MAX_VALUE ? (int) context : 0);
  }

  /**
   * Token entries from {@code 32768} or from a size such as {@code 20MiB} ({@code floor(bytes /
   * entryBytes)} entries).
   *
   * @param what names the value in messages (e.g. {@code --capacity})
   */
  public static int parseCapacity(String text, int entryBytes, String what) {
    long entries;
    if (ENTRY_COUNT.matcher(text).matches()) {
      entries = text.length() > 12 ? Long.MAX_VALUE : Long.parseLong(text);
    } else {
      entries = capacityBytes(text, what) / entryBytes;
    }
    if (entries > Integer.MAX_VALUE) {
      throw new UserInputException(
          what + " '" + text + "': more than " + Integer.MAX_VALUE + " token entries");
    }
    return (int) entries;
  }

  /**
   * Checks that {@code text} reads as a capacity (a whole number of entries or a size), before
   * the entry size is known.
   */
  public static void checkCapacity(String text, String what) {
    if (!ENTRY_COUNT.matcher(text).matches()) {
      capacityBytes(text, what);
    }
  }

  private static long capacityBytes(String text, String what) {
    long bytes;
    try {
      bytes = Units.parseBytes(text);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(what + " '" + text + "': expected a number of token entries"
          + " (e.g. 32768) or a size (e.g. 20MiB)");
    }
    if (bytes < 0) {
      throw new UserInputException(what + " '" + text + "': negative size");
    }
    return bytes;
  }

  /**
   * A trace source seen as decode steps of gathers, in the replay order. The first step can be
   * looked at before the replay starts (it is then read once and replayed from memory).
   */
  private static final class SelectionStream implements GatherStream {
    private final TraceSource source;
    private final StepSelection step;
    private final String name;
    private final long maxSteps;
    private final int maxTopk;
    private boolean peeked;
    private long steps;
    private long gathered;

    /** {@link #step} holds the first step, read by {@link #peek} and not yet replayed. */
    private boolean holdingFirst;

    SelectionStream(TraceSource source, TraceHeader header, String name, long maxSteps,
        int maxTopk) {
      this.source = source;
      this.step = StepSelection.forHeader(header);
      this.name = name;
      this.maxSteps = maxSteps;
      this.maxTopk = maxTopk;
    }

    /** The first step, or null if the trace has none (or none is to be replayed). */
    StepSelection peek() throws IOException {
      if (!peeked) {
        peeked = true;
        holdingFirst = maxSteps > 0 && source.next(step);
      }
      return holdingFirst ? step : null;
    }

    long steps() {
      return steps;
    }

    long gathered() {
      return gathered;
    }

    @Override
    public boolean nextStep(GatherSink sink) throws IOException {
      if (holdingFirst) {
        holdingFirst = false;
      } else if (steps >= maxSteps || !source.next(step)) {
        return false;
      }
      steps++;
      int[] indices = step.indices();
      for (int l = 0; l < step.layers(); l++) {
        for (int s = 0; s < step.seqs(); s++) {
          int from = step.offset(l, s);
          int count = Math.min(step.count(l, s), maxTopk);
          for (int i = from; i < from + count; i++) {
            if (indices[i] < 0) {
              throw new UserInputException(name + ": step " + step.step() + ", layer " + l
                  + ", sequence " + s + ": negative token index " + indices[i]);
            }
          }
          sink.gather(s, l, indices, from, count);
          gathered += count;
        }
      }
      return true;
    }
  }
}
