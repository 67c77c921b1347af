package org.dsasim.mem.token;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsasim.core.UserInputException;

/**
 * The registry of token-cache policies, by the names studies use:
 *
 * <ul>
 *   <li>{@code token-lru}: LRU over token entries (the proposal), {@link TokenLruPolicy};
 *   <li>{@code prev-topk}: keep only the previous step's top-k, {@link PrevTopKPolicy};
 *   <li>{@code page-lru}: LRU over KV pages, {@link PageLruPolicy} (parameter {@code page}: tokens
 *       per page, default the trace's page size);
 *   <li>{@code window}: the persisting-L2 access-policy window, {@link WindowPolicy} (parameters
 *       {@code base}, {@code size}, {@code segment} in bytes or sizes, {@code hit-ratio}, {@code
 *       seed}, and {@code context} tokens per (sequence, layer) when the trace does not say);
 *   <li>{@code belady}: the offline optimal token-granular bound, {@link BeladyPolicy}.
 * </ul>
 */
public final class TokenCachePolicies {
  private TokenCachePolicies() {}

  private static final Map<String, TokenPolicyFactory> FACTORIES = new LinkedHashMap<>();

  /** Makes one instance; {@code future} is null unless the policy needs it. */
  @FunctionalInterface
  private interface Maker {
    TokenCachePolicy make(
        PolicySpec spec, int capacity, TokenSpace space, AccessRecording future);
  }

  private record Registered(
      String description, List<String> parameters, boolean needsFuture, Maker maker)
      implements TokenPolicyFactory {
    @Override
    public TokenCachePolicy create(
        PolicySpec spec, int capacity, TokenSpace space, AccessRecording future) {
      return maker.make(spec, capacity, space, future);
    }
  }

  private static void register(
      String name, String description, List<String> parameters, boolean needsFuture, Maker m) {
    FACTORIES.put(name, new Registered(description, parameters, needsFuture, m));
  }

  static {
    register(
        "token-lru",
        "LRU over token entries, every gathered entry inserted",
        List.of(),
        false,
        (spec, capacity, space, future) -> new TokenLruPolicy(capacity, space));
    register(
        "prev-topk",
        "hit iff its (layer, sequence) selected it at the previous step",
        List.of(),
        false,
        (spec, capacity, space, future) -> new PrevTopKPolicy(capacity, space));
    register(
        "page-lru",
        "LRU over KV pages; a miss fetches the whole page",
        List.of("page"),
        false,
        (spec, capacity, space, future) ->
            new PageLruPolicy(capacity, (int) spec.integer("page", space.pageTokens(), 1)));
    register(
        "window",
        "persisting-L2 access-policy window, LRU in the set-aside",
        List.of("base", "size", "hit-ratio", "segment", "seed", "context"),
        false,
        (spec, capacity, space, future) -> window(spec, capacity, space));
    register(
        "belady",
        "offline optimum (MIN with bypass); keeps the trace in memory",
        List.of(),
        true,
        (spec, capacity, space, future) -> new BeladyPolicy(capacity, future));
  }

  private static TokenCachePolicy window(PolicySpec spec, int capacity, TokenSpace space) {
    long context = spec.integer("context", space.contextTokens(), 1);
    if (context == 0) {
      throw new UserInputException(
          "policy '"
              + spec
              + "': the KV buffer's context length is unknown (the trace gives no"
              + " prompt length and step count); pass "
              + spec.name()
              + ":context=TOKENS");
    }
    if (context > Integer.MAX_VALUE) {
      throw spec.bad("context", context + " is more than 2^31 - 1 tokens");
    }
    TokenSpace layout =
        new TokenSpace(
            space.layers(),
            space.seqs(),
            space.topk(),
            space.pageTokens(),
            space.entryBytes(),
            (int) context);
    long base = spec.bytes("base", 0);
    long size =
        spec.bytes(
            "size",
            Math.min(
                Math.max(0, WindowPolicy.bufferBytes(layout) - base),
                WindowPolicy.MAX_HARDWARE_WINDOW_BYTES));
    double hitRatio =
        spec.number("hit-ratio", WindowPolicy.fittingHitRatio(capacity, layout, size));
    long segment = spec.bytes("segment", WindowPolicy.DEFAULT_SEGMENT_BYTES);
    long seed = spec.integer("seed", 0, Long.MIN_VALUE);
    WindowPolicy.Window window;
    try {
      window = new WindowPolicy.Window(base, size, hitRatio, segment, seed);
    } catch (IllegalArgumentException e) {
      throw new UserInputException("policy '" + spec + "': " + e.getMessage());
    }
    return new WindowPolicy(capacity, layout, window);
  }

  /** Registered names, in a fixed order. */
  public static List<String> names() {
    return List.copyOf(FACTORIES.keySet());
  }

  /** The factory of {@code name}. */
  public static TokenPolicyFactory factory(String name) {
    TokenPolicyFactory f = FACTORIES.get(name);
    if (f == null) {
      throw new UserInputException(
          "unknown token-cache policy '" + name + "' (known: " + String.join(", ", names()) + ")");
    }
    return f;
  }

  /**
   * Reads {@code NAME[:KEY=VALUE]...}, checking the name and the parameter keys (values are checked
   * when an instance is made).
   */
  public static PolicySpec parse(String text) {
    PolicySpec spec = PolicySpec.split(text);
    TokenPolicyFactory f = factory(spec.name());
    for (String key : spec.params().keySet()) {
      if (!f.parameters().contains(key)) {
        throw new UserInputException(
            "policy '"
                + text
                + "': unknown parameter '"
                + key
                + "' ("
                + (f.parameters().isEmpty()
                    ? spec.name() + " takes none"
                    : spec.name() + " takes " + String.join(", ", f.parameters()))
                + ")");
      }
    }
    return spec;
  }

  /** A new instance; {@code future} is needed only by offline policies (else may be null). */
  public static TokenCachePolicy create(
      PolicySpec spec, int capacityTokens, TokenSpace space, AccessRecording future) {
    if (capacityTokens < 0) {
      throw new UserInputException("policy '" + spec + "': negative capacity " + capacityTokens);
    }
    TokenPolicyFactory f = factory(spec.name());
    if (f.needsFuture() && future == null) {
      throw new IllegalArgumentException(spec.name() + " needs the recorded access stream");
    }
    return f.create(spec, capacityTokens, space, f.needsFuture() ? future : null);
  }
}
