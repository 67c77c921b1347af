package org.dsasim.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Units;
import org.dsasim.mem.hbm.HbmConfig;
import org.dsasim.mem.system.HierarchyParams;
import org.dsasim.mem.system.LatencyLadder;
import org.dsasim.mem.system.Membench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dsasim membench}: drives the memory hierarchy (interconnect, LLC partitions, HBM) of a
 * memory preset from one requester port and reports bandwidth and read latency.
 */
@Command(
    name = "membench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Drive the memory hierarchy (interconnect, LLC, HBM) of a memory preset from one requester"
          + " port; print the achieved bandwidth and the read latency (mean, p50, p99).",
      "",
      "Patterns: stream (sequential, as many requests in flight as the port allows), random"
          + " (uniform addresses in the footprint, likewise), chase (one dependent read at a time"
          + " through a seeded random cyclic order of the footprint's lines: a load-to-use"
          + " latency ladder). The footprint is warmed first (docs/membench.md).",
      "",
      "--ladder runs the chase with 8 B reads for a list of footprints (1 MiB to 8 GiB, or those"
          + " of --csv, a file like calibration/h200/latency.csv, whose measured_ns_per_hop it"
          + " compares against) and prints footprint, simulated ns per hop, measured and error.",
      ""
    })
public final class MembenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--memory", paramLabel = "PRESET",
      description = "Memory preset: a name in configs/memory (h200, h100, b200, mi300x, hbm3,"
          + " hbm3e). Required, except with --ladder (default h200).")
  String memory;

  @Option(names = "--pattern", paramLabel = "PATTERN",
      description = "stream, random or chase (required without --ladder).")
  String pattern;

  @Option(names = "--requests", paramLabel = "N",
      description = "Requests measured after the warm-up (required without --ladder; with it,"
          + " the timed hops per footprint, default " + DEFAULT_LADDER_HOPS + ").")
  Long requests;

  @Option(names = "--request-bytes", paramLabel = "B",
      description = "Bytes per request: a power of two up to the LLC line (128); required"
          + " without --ladder, which reads 8 B.")
  String requestBytes;

  @Option(names = "--ladder",
      description = "Run the load-to-use latency ladder (see above) instead of one benchmark.")
  boolean ladder;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "With --ladder: measured ladder (footprint_mib, measured_ns_per_hop columns)"
          + " whose footprints to run and compare against.")
  Path csv;

  @Option(names = "--footprint", paramLabel = "SIZE",
      description = "Address range the requests cover, e.g. 24MiB (default 1GiB).")
  String footprint = "1GiB";

  @Option(names = "--read-ratio", paramLabel = "R",
      description = "Share of reads, in [0, 1] (default 1; chase reads only).")
  double readRatio = 1.0;

  @Option(names = "--seed", paramLabel = "S",
      description = "Seed of the random orders and of the read/write mix (default 1).")
  long seed = 1;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  /** Timed hops per footprint of a ladder unless --requests says otherwise. */
  static final long DEFAULT_LADDER_HOPS = 20_000;

  @Override
  public Integer call() throws JsonProcessingException {
    if (ladder) {
      return ladder();
    }
    if (csv != null) {
      throw new UserInputException("--csv only goes with --ladder");
    }
    require(memory, "--memory");
    require(pattern, "--pattern");
    require(requests, "--requests");
    require(requestBytes, "--request-bytes");
    Membench.Spec s = new Membench.Spec(Membench.Pattern.parse(pattern), requests,
        (int) Math.min(Integer.MAX_VALUE, size("--request-bytes", requestBytes)),
        size("--footprint", footprint), readRatio, seed);
    HierarchyParams params = preset(memory);
    Membench.Result r = Membench.run(params, s);
    print(json ? json(s, r) : text(s, r));
    return 0;
  }

  private static void require(Object value, String option) {
    if (value == null) {
      throw new UserInputException(option + " is required (or use --ladder)");
    }
  }

  private static HierarchyParams preset(String name) {
    if (!HbmConfig.PRESETS.contains(name)) {
      throw new UserInputException("--memory: unknown preset '" + name + "'; known presets: "
          + HbmConfig.PRESETS);
    }
    return HierarchyParams.preset(name);
  }

  private void print(String text) {
    PrintWriter out = spec.commandLine().getOut();
    out.print(text);
    out.flush();
  }

  private int ladder() throws JsonProcessingException {
    if (pattern != null || requestBytes != null || spec.commandLine().getParseResult()
        .hasMatchedOption("--footprint") || spec.commandLine().getParseResult()
        .hasMatchedOption("--read-ratio")) {
      throw new UserInputException("--ladder chases with 8 B reads over its own footprints:"
          + " leave out --pattern, --request-bytes, --footprint and --read-ratio");
    }
    String name = memory == null ? "h200" : memory;
    long hops = requests == null ? DEFAULT_LADDER_HOPS : requests;
    if (hops < 1) {
      throw new UserInputException("--requests must be >= 1, got " + hops);
    }
    HierarchyParams params = preset(name);
    List<LatencyLadder.Rung> rungs = csv == null
        ? LatencyLadder.defaultRungs() : LatencyLadder.readCsv(csv);
    List<LatencyLadder.Result> results = LatencyLadder.run(params, rungs, hops, seed);
    print(json ? ladderJson(name, results) : ladderText(name, hops, results));
    return 0;
  }

  private String ladderText(String name, long hops, List<LatencyLadder.Result> results) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s load-to-use ladder: chase, %d B reads, %d timed hops"
        + " per footprint%s%n", name, LatencyLadder.READ_BYTES, hops,
        csv == null ? "" : ", measured: " + csv));
    b.append(String.format(Locale.ROOT, "%12s %14s %13s %8s%n", "footprint", "simulated_ns",
        "measured_ns", "error"));
    for (LatencyLadder.Result r : results) {
      boolean measured = !Double.isNaN(r.measuredNs());
      b.append(String.format(Locale.ROOT, "%12s %14.1f %13s %8s%n",
          Units.formatBytes(r.footprintBytes()), r.simulatedNs(),
          measured ? String.format(Locale.ROOT, "%.1f", r.measuredNs()) : "-",
          measured ? String.format(Locale.ROOT, "%+.1f%%", 100 * r.error()) : "-"));
    }
    return b.toString();
  }

  private String ladderJson(String name, List<LatencyLadder.Result> results)
      throws JsonProcessingException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (LatencyLadder.Result r : results) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("footprint_bytes", r.footprintBytes());
      row.put("simulated_ns", r.simulatedNs());
      boolean measured = !Double.isNaN(r.measuredNs());
      row.put("measured_ns", measured ? r.measuredNs() : null);
      row.put("error", measured ? r.error() : null);
      row.put("hops", r.hops());
      row.put("warmup_hops", r.warmupHops());
      rows.add(row);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("memory", name);
    doc.put("read_bytes", LatencyLadder.READ_BYTES);
    doc.put("ladder", rows);
    return JsonMappers.COMPACT.writeValueAsString(doc) + System.lineSeparator();
  }

  private static long size(String option, String text) {
    try {
      return Units.parseBytes(text);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(option + ": expected a size such as 128, 32B or 24MiB, got '"
          + text + "'", e);
    }
  }

  private String json(Membench.Spec s, Membench.Result r) throws JsonProcessingException {
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("mean", r.latencyMeanNs());
    latency.put("p50", r.latencyP50Ns());
    latency.put("p99", r.latencyP99Ns());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("memory", memory);
    doc.put("pattern", s.pattern().label());
    doc.put("requests", r.requests());
    doc.put("reads", r.reads());
    doc.put("request_bytes", s.requestBytes());
    doc.put("footprint_bytes", s.footprintBytes());
    doc.put("read_ratio", s.readRatio());
    doc.put("warmup_requests", r.warmupRequests());
    doc.put("elapsed_ns", r.elapsedPs() / 1e3);
    doc.put("bandwidth_bytes_per_s", r.bandwidthBytesPerSecond());
    doc.put("steady_bandwidth_bytes_per_s", r.steadyBandwidthBytesPerSecond());
    doc.put("latency_ns", r.reads() == 0 ? null : latency);
    doc.put("stats", r.stats());
    return JsonMappers.COMPACT.writeValueAsString(doc) + System.lineSeparator();
  }

  private String text(Membench.Spec s, Membench.Result r) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s, %s, %d requests of %d B over %s (read ratio %s),"
            + " after %d warm-up requests%n", memory, s.pattern().label(), r.requests(),
        s.requestBytes(), Units.formatBytes(s.footprintBytes()), s.readRatio(),
        r.warmupRequests()));
    b.append(String.format(Locale.ROOT, "bandwidth    %s (%.4g B/s) over %.3f us%n",
        Units.formatBandwidth(r.bandwidthBytesPerSecond()), r.bandwidthBytesPerSecond(),
        r.elapsedPs() / 1e6));
    b.append(String.format(Locale.ROOT, "steady       %s (from the response completing a quarter"
        + " of the requests to the one completing nine tenths)%n",
        Units.formatBandwidth(r.steadyBandwidthBytesPerSecond())));
    if (r.reads() > 0) {
      b.append(String.format(Locale.ROOT, "read latency mean %.1f ns, p50 %.1f ns, p99 %.1f ns"
          + " (%d reads)%n", r.latencyMeanNs(), r.latencyP50Ns(), r.latencyP99Ns(), r.reads()));
    } else {
      b.append("read latency -- (no reads)\n");
    }
    return b.toString();
  }
}
