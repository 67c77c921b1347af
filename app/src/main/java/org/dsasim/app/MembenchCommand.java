package org.dsasim.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Units;
import org.dsasim.mem.hbm.HbmConfig;
import org.dsasim.mem.system.HierarchyParams;
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
      ""
    })
public final class MembenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--memory", required = true, paramLabel = "PRESET",
      description = "Memory preset: a name in configs/memory (h200, h100, b200, mi300x, hbm3,"
          + " hbm3e).")
  String memory;

  @Option(names = "--pattern", required = true, paramLabel = "PATTERN",
      description = "stream, random or chase.")
  String pattern;

  @Option(names = "--requests", required = true, paramLabel = "N",
      description = "Requests measured (after the warm-up).")
  long requests;

  @Option(names = "--request-bytes", required = true, paramLabel = "B",
      description = "Bytes per request: a power of two up to the LLC line (128).")
  String requestBytes;

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

  @Override
  public Integer call() throws JsonProcessingException {
    if (!HbmConfig.PRESETS.contains(memory)) {
      throw new UserInputException("--memory: unknown preset '" + memory + "'; known presets: "
          + HbmConfig.PRESETS);
    }
    Membench.Spec s = new Membench.Spec(Membench.Pattern.parse(pattern), requests,
        (int) Math.min(Integer.MAX_VALUE, size("--request-bytes", requestBytes)),
        size("--footprint", footprint), readRatio, seed);
    HierarchyParams params = HierarchyParams.preset(memory);
    Membench.Result r = Membench.run(params, s);
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? json(s, r) : text(s, r));
    out.flush();
    return 0;
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
    doc.put("latency_ns", r.reads() == 0 ? null : latency);
    doc.put("stats", r.stats());
    return new ObjectMapper().writeValueAsString(doc) + System.lineSeparator();
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
    if (r.reads() > 0) {
      b.append(String.format(Locale.ROOT, "read latency mean %.1f ns, p50 %.1f ns, p99 %.1f ns"
          + " (%d reads)%n", r.latencyMeanNs(), r.latencyP50Ns(), r.latencyP99Ns(), r.reads()));
    } else {
      b.append("read latency -- (no reads)\n");
    }
    return b.toString();
  }
}
