package org.dsasim.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Units;
import org.dsasim.mem.token.GatherSink;
import org.dsasim.mem.token.GatherStream;
import org.dsasim.mem.token.PolicySpec;
import org.dsasim.mem.token.ReplayResult;
import org.dsasim.mem.token.TokenCachePolicies;
import org.dsasim.mem.token.TokenPolicyFactory;
import org.dsasim.mem.token.TokenReplay;
import org.dsasim.mem.token.TokenSpace;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dsasim replay}: functional replay of a trace through token-granular cache policies, all
 * (policy, capacity) pairs in one pass over the trace.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Replay a DSA trace through token-granular KV cache policies and count hits and misses"
          + " (functional, no timing). Every (policy, capacity) pair is counted in one pass.",
      "",
      "Gathers are replayed step by step; within a step layer by layer, within a layer sequence"
          + " by sequence, each selection in its stored order. An entry is one token of one layer"
          + " of one sequence (entry_bytes of the trace).",
      ""
    },
    footer = {
      "",
      "Parameters follow a policy's name as NAME:KEY=VALUE[:KEY=VALUE], e.g."
          + " window:hit-ratio=0.5:size=64MiB or page-lru:page=16 (see docs/token-cache.md).",
      "Defaults: every policy, at 1, 2, 4 and 8 steps' worth of gathers"
          + " (layers x sequences x top-k entries each).",
      "",
      "Policies:"
    })
public final class ReplayCommand implements Callable<Integer> {
  /** Default capacities, in decode steps' worth of gathers (layers x seqs x topk entries). */
  static final int[] DEFAULT_CAPACITY_STEPS = {1, 2, 4, 8};

  private static final Pattern ENTRY_COUNT = Pattern.compile("\\d+");
  private static final String WINDOW = "window";

  private CommandSpec spec;

  /** Receives the command's model, and appends the registered policies to the help's footer. */
  @Spec
  void setSpec(CommandSpec spec) {
    this.spec = spec;
    List<String> footer = new ArrayList<>(List.of(spec.usageMessage().footer()));
    for (String name : TokenCachePolicies.names()) {
      TokenPolicyFactory f = TokenCachePolicies.factory(name);
      footer.add(String.format(Locale.ROOT, "  %-10s %s", name, f.description()));
      if (!f.parameters().isEmpty()) {
        footer.add("             parameters: " + String.join(", ", f.parameters()));
      }
    }
    spec.usageMessage().footer(footer.toArray(new String[0]));
  }

  @Option(
      names = "--trace",
      required = true,
      paramLabel = "FILE",
      description = "Trace to replay (.dsat or .npz).")
  Path trace;

  @Option(
      names = "--policy",
      split = ",",
      paramLabel = "POLICY",
      description = "Policies, comma-separated (default: all).")
  List<String> policies;

  @Option(
      names = "--capacity",
      split = ",",
      paramLabel = "CAPACITY",
      description =
          "Capacities, comma-separated: token entries (32768) or sizes (20MiB, converted to"
              + " floor(bytes / entry_bytes) entries). Default: 1, 2, 4 and 8 steps' worth.")
  List<String> capacities;

  @Option(
      names = "--json",
      description =
          "Print {\"accesses\":N,\"results\":[{\"policy\":...,\"capacity_tokens\":...,"
              + "\"hits\":...,\"misses\":...},...]} instead of a table.")
  boolean json;

  /** Opens a trace file; a seam so that tests can replay an in-memory trace. */
  @FunctionalInterface
  interface TraceOpener {
    TraceSource open(Path path) throws IOException;
  }

  TraceOpener opener = Traces::open;

  @Override
  public Integer call() throws IOException {
    List<PolicySpec> specs = policySpecs();
    try (TraceSource source = opener.open(trace)) {
      TraceHeader header = source.header();
      SelectionStream stream = new SelectionStream(source, header, trace);
      TokenSpace space = spaceOf(header, stream.peek());
      if (policies == null && space.contextTokens() == 0) {
        specs.removeIf(p -> p.name().equals(WINDOW));
        PrintWriter err = spec.commandLine().getErr();
        err.println(
            "dsasim: "
                + WINDOW
                + " left out: the trace gives no step count, so the KV buffer's"
                + " layout is unknown; ask for it with --policy "
                + WINDOW
                + ":context=TOKENS");
        err.flush();
      }
      List<Integer> sizes = capacities(header, space);
      TokenReplay replay = new TokenReplay(space);
      for (PolicySpec policy : specs) {
        for (int capacity : sizes) {
          replay.add(policy, capacity);
        }
      }
      List<ReplayResult> results = replay.run(stream);
      PrintWriter out = spec.commandLine().getOut();
      out.print(json ? json(results, header) : table(results, header));
      out.flush();
    }
    return 0;
  }

  private List<PolicySpec> policySpecs() {
    List<String> names = policies == null ? TokenCachePolicies.names() : policies;
    List<PolicySpec> specs = new ArrayList<>();
    for (String name : names) {
      specs.add(TokenCachePolicies.parse(name));
    }
    return specs;
  }

  /**
   * The entries of the trace: its shape, and a KV buffer per (sequence, layer) that holds the
   * context at the last step: {@code prompt_len + steps} when the header gives both, else the first
   * step's context (or largest token index + 1) plus one token per further step; unknown (0) when
   * the step count is unknown. An empty trace gathers nothing: its buffer is one token.
   *
   * @param first the first step, or null for an empty trace
   */
  static TokenSpace spaceOf(TraceHeader h, StepSelection first) {
    if (h.seqs() > TokenSpace.MAX_SEQS || h.layers() > TokenSpace.MAX_LAYERS) {
      throw new UserInputException(
          "trace has "
              + h.seqs()
              + " sequences and "
              + h.layers()
              + " layers; token replay handles"
              + " at most "
              + TokenSpace.MAX_SEQS
              + " and "
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
    return new TokenSpace(
        h.layers(),
        h.seqs(),
        h.topk(),
        h.pageTokens(),
        h.entryBytes(),
        context <= Integer.MAX_VALUE ? (int) context : 0);
  }

  private List<Integer> capacities(TraceHeader header, TokenSpace space) {
    List<Integer> sizes = new ArrayList<>();
    if (capacities == null) {
      for (int steps : DEFAULT_CAPACITY_STEPS) {
        sizes.add((int) Math.min(Integer.MAX_VALUE, steps * space.entriesPerStep()));
      }
      return sizes;
    }
    for (String text : capacities) {
      sizes.add(parseCapacity(text.trim(), header.entryBytes()));
    }
    return sizes;
  }

  /** Token entries from {@code 32768} or from a size such as {@code 20MiB}. */
  static int parseCapacity(String text, int entryBytes) {
    long entries;
    if (ENTRY_COUNT.matcher(text).matches()) {
      entries = text.length() > 12 ? Long.MAX_VALUE : Long.parseLong(text);
    } else {
      long bytes;
      try {
        bytes = Units.parseBytes(text);
      } catch (IllegalArgumentException e) {
        throw new UserInputException(
            "--capacity '"
                + text
                + "': expected a number of token entries (e.g. 32768) or a size"
                + " (e.g. 20MiB)");
      }
      if (bytes < 0) {
        throw new UserInputException("--capacity '" + text + "': negative size");
      }
      entries = bytes / entryBytes;
    }
    if (entries > Integer.MAX_VALUE) {
      throw new UserInputException(
          "--capacity '" + text + "': more than " + Integer.MAX_VALUE + " token entries");
    }
    return (int) entries;
  }

  private static String json(List<ReplayResult> results, TraceHeader header)
      throws JsonProcessingException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ReplayResult r : results) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("policy", r.policy());
      row.put("capacity_tokens", r.capacityTokens());
      row.put("hits", r.hits());
      row.put("misses", r.misses());
      row.put("capacity_bytes", (long) r.capacityTokens() * header.entryBytes());
      row.put("hit_rate", r.hitRate());
      row.put("fetched_entries", r.fetchedEntries());
      rows.add(row);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("accesses", results.isEmpty() ? 0 : results.get(0).accesses());
    doc.put("results", rows);
    return new ObjectMapper().writeValueAsString(doc) + System.lineSeparator();
  }

  private String table(List<ReplayResult> results, TraceHeader header) {
    StringBuilder b = new StringBuilder();
    long accesses = results.isEmpty() ? 0 : results.get(0).accesses();
    b.append(
        String.format(
            Locale.ROOT,
            "%s: %d layers x %d sequences x top-%d, %d-B entries; %d gathers%n%n",
            trace,
            header.layers(),
            header.seqs(),
            header.topk(),
            header.entryBytes(),
            accesses));
    int policyWidth = "policy".length();
    for (ReplayResult r : results) {
      policyWidth = Math.max(policyWidth, r.policy().length());
    }
    String row = "%-" + policyWidth + "s  %15s  %10s  %12s  %12s  %8s  %15s%n";
    b.append(
        String.format(
            Locale.ROOT,
            row,
            "policy",
            "capacity_tokens",
            "capacity",
            "hits",
            "misses",
            "hit_rate",
            "fetched_entries"));
    for (ReplayResult r : results) {
      b.append(
          String.format(
              Locale.ROOT,
              row,
              r.policy(),
              r.capacityTokens(),
              mebibytes((long) r.capacityTokens() * header.entryBytes()),
              r.hits(),
              r.misses(),
              String.format(Locale.ROOT, "%.4f", r.hitRate()),
              r.fetchedEntries()));
    }
    return b.toString();
  }

  private static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.2fMiB", bytes / (double) (1 << 20));
  }

  /**
   * A trace source seen as decode steps of gathers, in the replay order. The first step can be
   * looked at before the replay starts (it is then read once and replayed from memory).
   */
  static final class SelectionStream implements GatherStream {
    private final TraceSource source;
    private final StepSelection step;
    private final Path file;
    private boolean peeked;

    /** {@link #step} holds the first step, read by {@link #peek} and not yet replayed. */
    private boolean holdingFirst;

    SelectionStream(TraceSource source, TraceHeader header, Path file) {
      this.source = source;
      this.step = StepSelection.forHeader(header);
      this.file = file;
    }

    /** The first step, or null if the trace has none; call before the replay. */
    StepSelection peek() throws IOException {
      if (!peeked) {
        peeked = true;
        holdingFirst = source.next(step);
      }
      return holdingFirst ? step : null;
    }

    @Override
    public boolean nextStep(GatherSink sink) throws IOException {
      if (holdingFirst) {
        holdingFirst = false;
      } else if (!source.next(step)) {
        return false;
      }
      int[] indices = step.indices();
      for (int l = 0; l < step.layers(); l++) {
        for (int s = 0; s < step.seqs(); s++) {
          int from = step.offset(l, s);
          int count = step.count(l, s);
          for (int i = from; i < from + count; i++) {
            if (indices[i] < 0) {
              throw new UserInputException(
                  file
                      + ": step "
                      + step.step()
                      + ", layer "
                      + l
                      + ", sequence "
                      + s
                      + ": negative token index "
                      + indices[i]);
            }
          }
          sink.gather(s, l, indices, from, count);
        }
      }
      return true;
    }
  }
}
