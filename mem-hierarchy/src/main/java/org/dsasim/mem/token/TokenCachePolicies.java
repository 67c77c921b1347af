package org.dsasim.mem.token;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsasim.core.UserInputException;

/**
 * The registry of token-cache policies, by the names studies use:
 * <ul>
 *   <li>{@code token-lru}: LRU over token entries (the proposal), {@link TokenLruPolicy};
 *   <li>{@code prev-topk}: keep only the previous step's top-k, {@link PrevTopKPolicy};
 *   <li>{@code page-lru}: LRU over KV pages, {@link PageLruPolicy} (parameter {@code page}: tokens
 *       per page, default the trace's page size);
 *   <li>{@code window}: the persisting-L2 access-policy window, {@link WindowPolicy} (parameters
 *       {@code base}, {@code size}, {@code segment} in bytes or sizes, {@code hit-ratio},
 *       {@code seed}, and {@code context} tokens per (sequence, layer) when the trace does not say);
 *   <li>{@code belady}: the offline optimal token-granular bound, {@link BeladyPolicy}.
 * </ul>
 */
public final class TokenCachePolicies {
  private TokenCachePolicies() {}

  private static final Map<String, TokenPolicyFactory> FACTORIES = new LinkedHashMap<>();

  static {
    FACTORIES.put("token-lru", simple(
        "LRU over token entries, every gathered entry inserted",
        (spec, capacity, space) -> new TokenLruPolicy(capacity, space)));
    FACTORIES.put("prev-topk", simple(
        "hit iff its (layer, sequence) selected it at the previous step",
        (spec, capacity, space) -> new PrevTopKPolicy(capacity, space)));
    FACTORIES.put("page-lru", new TokenPolicyFactory() {
      @Override
      public String description() {
        return "LRU over KV pages; a miss fetches the whole page";
      }

      @Override
      public List<String> parameters() {
        return List.of("page");
      }

      @Override
      public TokenCachePolicy create(
          PolicySpec spec, int capacity, TokenSpace space, AccessRecording future) {
        int page = (int) spec.integer("page", space.pageTokens(), 1);
        return new PageLruPolicy(capacity, page);
      }
    });
    FACTORIES.put("window", new TokenPolicyFactory() {
      @Override
      public String description() {
        return "persisting-L2 access-policy window, LRU in the set-aside";
      }

      @Override
      public List<String> parameters() {
        return List.of("base", "size", "hit-ratio", "segment", "seed", "context");
      }

      @Override
      public TokenCachePolicy create(
          PolicySpec spec, int capacity, TokenSpace space, AccessRecording future) {
        return window(spec, capacity, space);
      }
    });
    FACTORIES.put("belady", new TokenPolicyFactory() {
      @Override
      public String description() {
        return "offline optimum (MIN with bypass); keeps the trace in memory";
      }

      @Override
      public List<String> parameters() {
        return List.of();
      }

      @Override
      public boolean needsFuture() {
        return true;
      }

      @Override
      public TokenCachePolicy create(
          PolicySpec spec, int capacity, TokenSpace space, AccessRecording future) {
        return new BeladyPolicy(capacity, future);
      }
    });
  }

  /** A constructor of a policy without parameters or future knowledge. */
  @FunctionalInterface
  private interface SimpleConstructor {
    TokenCachePolicy create(PolicySpec spec, int capacity, TokenSpace space);
  }

  private static TokenPolicyFactory simple(String description, SimpleConstructor constructor) {
    return new TokenPolicyFactory() {
      @Override
      public String description() {
        return description;
      }

      @Override
      public List<String> parameters() {
        return List.of();
      }

      @Override
      public TokenCachePolicy create(
          PolicySpec spec, int capacity, TokenSpace space, AccessRecording future) {
        return constructor.create(spec, capacity, space);
      }
    };
  }

  private static TokenCachePolicy window(PolicySpec spec, int capacity, TokenSpace space) {
    long context = spec.integer("context", space.contextTokens(), 1);
    if (context == 0) {
      throw new UserInputException(
          "policy '" + spec + "': the KV buffer's context length is unknown (the trace gives no"
              + " prompt length and step count); pass " + spec.name() + ":context=TOKENS");
    }
    if (context > Integer.MAX_VALUE) {
      throw spec.bad("context", context + " is more than 2^31 - 1 tokens");
    }
    TokenSpace layout =
        new TokenSpace(
            space.layers(), space.seqs(), space.topk(), space.pageTokens(), space.entryBytes(),
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
   * Reads {@code NAME[:KEY=VALUE]...}, checking the name and the parameter keys (values are
   * checked when an instance is made).
   */
  public static PolicySpec parse(String text) {
    PolicySpec spec = PolicySpec.split(text);
    TokenPolicyFactory f = factory(spec.name());
    for (String key : spec.params().keySet()) {
      if (!f.parameters().contains(key)) {
        throw new UserInputException(
            "policy '" + text + "': unknown parameter '" + key + "' ("
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
