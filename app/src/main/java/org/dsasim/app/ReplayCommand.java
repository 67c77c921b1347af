package org.dsasim.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dsasim.app.run.TraceReplay;
import org.dsasim.core.UserInputException;
import org.dsasim.mem.token.PolicySpec;
import org.dsasim.mem.token.ReplayResult;
import org.dsasim.mem.token.TokenCachePolicies;
import org.dsasim.mem.token.TokenPolicyFactory;
import org.dsasim.mem.token.TokenSpace;
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
    footer.add(String.format(Locale.ROOT, "  %-10s %s", TraceReplay.NONE,
        "no cache: the baseline, every gather fetched (not in the default list)"));
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
    requireValues(policies, "--policy", "token-lru,belady");
    requireValues(capacities, "--capacity", "20MiB,40MiB");
    List<PolicySpec> specs = policySpecs();
    try (TraceSource source = opener.open(trace)) {
      TraceReplay replay = new TraceReplay(source, trace.toString());
      TraceHeader header = replay.header();
      if (policies == null && replay.space().contextTokens() == 0) {
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
      List<Integer> sizes = capacities(header, replay.space());
      List<PolicySpec> requestPolicies = new ArrayList<>();
      List<Integer> requestCapacities = new ArrayList<>();
      for (PolicySpec policy : specs) {
        for (int capacity : sizes) {
          requestPolicies.add(policy);
          requestCapacities.add(capacity);
        }
      }
      List<ReplayResult> results = replay.run(requestPolicies, requestCapacities);
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
      specs.add(TraceReplay.parsePolicy(name));
    }
    return specs;
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
      sizes.add(TraceReplay.parseCapacity(text.trim(), header.entryBytes(), "--capacity"));
    }
    return sizes;
  }

  /**
   * Refuses a list option given only commas ({@code --capacity ,}): picocli splits it into no
   * values, which would replay nothing and print an empty table.
   */
  private static void requireValues(List<String> values, String option, String example) {
    if (values != null && values.isEmpty()) {
      throw new UserInputException(option + ": the list is empty; give one or more values,"
          + " comma-separated, for example " + option + " " + example);
    }
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
    return JsonMappers.COMPACT.writeValueAsString(doc) + System.lineSeparator();
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
}
