package org.dsasim.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.dsasim.accel.config.AccelKeys;
import org.dsasim.accel.decode.DecodeReport;
import org.dsasim.accel.decode.DecodeSimulation;
import org.dsasim.accel.decode.ModelSpec;
import org.dsasim.accel.workload.Workloads;
import org.dsasim.workloads.gen.GeneratorShape;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Config;
import org.dsasim.core.config.ConfigLoader;
import org.dsasim.core.config.SimKeys;
import org.dsasim.core.io.AtomicFiles;
import org.dsasim.core.random.RandomStreams;
import org.dsasim.workloads.trace.TraceSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dsasim run}: simulate DSA decode steps on a hardware configuration. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate DSA decode steps of a model on a hardware configuration.",
      "Without options: the default study (H200, DeepSeek-V3.2, 4 sequences at 64K context,"
          + " persist-uniform selections) with no KV reservation and with one, compared.",
      "With options: one run, reported in full (step-time distribution, tokens/s, phases,"
          + " stalls, hit rates, HBM bandwidth, bytes per level, energy); results are written"
          + " under results/ (or --out)."
    })
public final class RunCommand implements Runnable {
  /** Warm-up and measured steps of the default study (sized to run in well under a minute). */
  static final int DEFAULT_WARMUP = 2;
  static final int DEFAULT_MEASURED = 6;

  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(names = "--workload", paramLabel = "F.dsat|F.npz|GENERATOR",
      description = "Where the selections come from: a trace file or a generator (uniform,"
          + " persist-uniform, dsa); sets decode.workload.")
  String workload;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Folder for the results (default: results/run-<model>-<hardware>).")
  Path out;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  @Option(names = "--compare", description = "Run without and with the KV reservation and compare"
      + " (what the command does without options).")
  boolean compare;

  @Override
  public void run() {
    boolean defaultStudy = config.files().isEmpty() && config.settings().isEmpty()
        && workload == null && out == null && !json;
    ConfigLoader loader = config.loader();
    if (defaultStudy) {
      loader.set(SimKeys.WARMUP_STEPS.name(), Integer.toString(DEFAULT_WARMUP), "the default study");
      loader.set(SimKeys.STOP_STEPS.name(), Integer.toString(DEFAULT_MEASURED), "the default study");
    }
    if (workload != null) {
      loader.set(AccelKeys.WORKLOAD_SOURCE.name(), workload, "--workload on the command line");
    }
    Config cfg = loader.load();
    ModelSpec model = ModelSpec.from(cfg);
    long reservation = cfg.get(AccelKeys.LLC_RESERVATION);
    PrintWriter w = spec.commandLine().getOut();
    if (defaultStudy || compare) {
      long other = reservation > 0 ? reservation : cfg.get(AccelKeys.COMPARE_RESERVATION);
      Map<String, Object> none = simulate(cfg, model, 0);
      Map<String, Object> with = simulate(cfg, model, other);
      if (json) {
        Map<String, Object> both = new LinkedHashMap<>();
        both.put("no_reservation", none);
        both.put("reservation", with);
        w.println(toJson(both));
      } else {
        printComparison(w, cfg, model, none, with, other);
      }
    } else {
      long t0 = System.nanoTime();
      DecodeSimulation.Result r = simulateResult(cfg, model, reservation);
      Map<String, Object> summary =
          DecodeReport.summary(r, cfg, (System.nanoTime() - t0) / 1e9);
      Path dir = out != null ? out : Path.of("results", "run-" + model.name() + "-"
          + cfg.get(SimKeys.HARDWARE));
      writeResults(dir, summary, r, cfg);
      if (json) {
        w.println(toJson(summary));
      } else {
        printSummary(w, summary);
        w.println("results written to " + dir);
      }
    }
    w.flush();
  }

  private Map<String, Object> simulate(Config cfg, ModelSpec model, long reservation) {
    long t0 = System.nanoTime();
    DecodeSimulation.Result r = simulateResult(cfg, model, reservation);
    return DecodeReport.summary(r, cfg, (System.nanoTime() - t0) / 1e9);
  }

  private static DecodeSimulation.Result simulateResult(Config cfg, ModelSpec model,
      long reservation) {
    DecodeSimulation.Options options = new DecodeSimulation.Options(
        cfg.get(AccelKeys.BATCH), cfg.get(AccelKeys.CONTEXT), cfg.get(SimKeys.WARMUP_STEPS),
        cfg.get(SimKeys.STOP_STEPS), cfg.get(AccelKeys.MODE).equals("fused"), reservation);
    try (TraceSource source = openWorkload(cfg, model)) {
      return new DecodeSimulation(cfg, model, options).run(source);
    } catch (java.io.IOException e) {
      throw new UserInputException("cannot read the workload: " + e.getMessage(), e);
    }
  }

  /** The configured workload: a generator by name, or a trace file. */
  static TraceSource openWorkload(Config cfg, ModelSpec model) {
    long seed = new RandomStreams(cfg.get(SimKeys.SEED)).seedFor("decode.workload");
    GeneratorShape shape = new GeneratorShape(
        cfg.get(SimKeys.WARMUP_STEPS) + cfg.get(SimKeys.STOP_STEPS), model.layersPerGpu(),
        cfg.get(AccelKeys.BATCH), model.topk(), cfg.get(AccelKeys.CONTEXT), 1,
        model.entryBytes(), seed);
    return Workloads.open(cfg.get(AccelKeys.WORKLOAD_SOURCE), shape, cfg.get(AccelKeys.PERSIST));
  }

  private static void writeResults(Path dir, Map<String, Object> summary,
      DecodeSimulation.Result r, Config cfg) {
    writeHistogram(dir.resolve("step_latency_ns.hlog"), r.stepLatencyNs());
    writeHistogram(dir.resolve("gather_latency_ns.hlog"), r.gatherLatencyNs());
    StringBuilder sb = new StringBuilder();
    cfg.values().forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
    AtomicFiles.writeString(dir.resolve("config.yaml"), sb.toString());
    // last: each file appears complete or not at all, and summary.json marks a complete set
    AtomicFiles.writeString(dir.resolve("summary.json"), toJson(summary) + "\n");
  }

  private static void writeHistogram(Path file, Histogram h) {
    AtomicFiles.write(file, o -> {
      PrintStream ps = new PrintStream(o, false, StandardCharsets.UTF_8);
      HistogramLogWriter writer = new HistogramLogWriter(ps);
      writer.outputComment("dsasim: values in nanoseconds");
      writer.outputLogFormatVersion();
      writer.outputLegend();
      writer.outputIntervalHistogram(0, 1, h, 1.0);
      ps.flush();
    });
  }

  @SuppressWarnings("unchecked")
  private static void printSummary(PrintWriter w, Map<String, Object> s) {
    Map<String, Object> step = (Map<String, Object>) s.get("decode_step_us");
    w.printf(Locale.ROOT, "model %s, batch %s, context %s, %s mode, reservation %s B%n",
        s.get("model"), s.get("batch"), s.get("context"), s.get("mode"),
        s.get("reservation_bytes"));
    w.printf(Locale.ROOT, "decode step  p50 %.1f us  p90 %.1f  p99 %.1f  max %.1f  (%s steps)%n",
        step.get("p50"), step.get("p90"), step.get("p99"), step.get("max"),
        s.get("measured_steps"));
    w.printf(Locale.ROOT, "tokens/s     %.0f%n", s.get("tokens_per_s"));
    Map<String, Object> hit = (Map<String, Object>) s.get("llc_hit_rate");
    w.printf(Locale.ROOT, "LLC hits     reserved %.1f %%  shared %.1f %%%n",
        100 * (double) hit.get("reserved"), 100 * (double) hit.get("shared"));
    w.printf(Locale.ROOT, "HBM          %.2f TB/s (%.0f %% busy)%n",
        (double) s.get("hbm_bandwidth_bytes_per_s") / 1e12,
        100 * (double) s.get("hbm_utilization"));
    w.println("time per step by phase (us): " + fmt((Map<String, Object>) s.get("phase_us_per_step")));
    w.println("stall cycles: " + s.get("stall_cycles"));
    w.println("bytes: " + s.get("bytes"));
    w.println("energy (J): " + fmt((Map<String, Object>) s.get("energy_j")));
    w.printf(Locale.ROOT, "simulated %s gathered entries in %.1f s%n",
        s.get("gathered_token_entries"), s.get("wall_time_s"));
  }

  @SuppressWarnings("unchecked")
  private static void printComparison(PrintWriter w, Config cfg, ModelSpec model,
      Map<String, Object> none, Map<String, Object> with, long reservation) {
    w.printf(Locale.ROOT, "%s on %s: %s sequences at %s tokens of context, workload %s%n",
        model.name(), cfg.get(SimKeys.HARDWARE), none.get("batch"), none.get("context"),
        cfg.get(AccelKeys.WORKLOAD_SOURCE));
    w.printf(Locale.ROOT, "%-28s %14s %14s%n", "", "no reservation",
        "reservation " + org.dsasim.core.config.Units.formatBytes(reservation));
    row(w, "decode step p50 (us)", p50(none), p50(with));
    row(w, "tokens/s", (double) none.get("tokens_per_s"), (double) with.get("tokens_per_s"));
    row(w, "KV hit rate, reserved (%)",
        100 * (double) ((Map<String, Object>) none.get("llc_hit_rate")).get("reserved"),
        100 * (double) ((Map<String, Object>) with.get("llc_hit_rate")).get("reserved"));
    row(w, "LLC hit rate, shared (%)",
        100 * (double) ((Map<String, Object>) none.get("llc_hit_rate")).get("shared"),
        100 * (double) ((Map<String, Object>) with.get("llc_hit_rate")).get("shared"));
    row(w, "HBM bandwidth (TB/s)", (double) none.get("hbm_bandwidth_bytes_per_s") / 1e12,
        (double) with.get("hbm_bandwidth_bytes_per_s") / 1e12);
    row(w, "attention (us per step)",
        (double) ((Map<String, Object>) none.get("phase_us_per_step")).getOrDefault("attention", 0.0),
        (double) ((Map<String, Object>) with.get("phase_us_per_step")).getOrDefault("attention", 0.0));
    row(w, "energy per token (mJ)",
        1e3 * (double) ((Map<String, Object>) none.get("energy_j")).get("per_token"),
        1e3 * (double) ((Map<String, Object>) with.get("energy_j")).get("per_token"));
    w.printf(Locale.ROOT, "speed-up of the step with the reservation: %.3fx%n",
        p50(none) / p50(with));
    double stepGather = (double) (long) none.get("gathered_token_entries")
        / (long) (int) none.get("measured_steps") * model.entryBytes();
    w.printf(Locale.ROOT, "one step gathers %.1f MB of KV entries; the reservation holds %.2f"
        + " steps' worth (LRU keeps an entry only if it recurs within that)%n",
        stepGather / 1e6, reservation / stepGather);
    w.printf(Locale.ROOT, "(%d warm-up + %d measured steps each; simulated in %.1f s)%n",
        cfg.get(SimKeys.WARMUP_STEPS), cfg.get(SimKeys.STOP_STEPS),
        (double) none.get("wall_time_s") + (double) with.get("wall_time_s"));
  }

  @SuppressWarnings("unchecked")
  private static double p50(Map<String, Object> s) {
    return (double) ((Map<String, Object>) s.get("decode_step_us")).get("p50");
  }

  private static void row(PrintWriter w, String label, double a, double b) {
    w.printf(Locale.ROOT, "%-28s %14.2f %14.2f%n", label, a, b);
  }

  private static String fmt(Map<String, Object> m) {
    StringBuilder sb = new StringBuilder();
    m.forEach((k, v) -> sb.append(k).append(' ').append(v instanceof Double d
        ? String.format(Locale.ROOT, "%.3g", d) : String.valueOf(v)).append("  "));
    return sb.toString().trim();
  }

  static String toJson(Object o) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
