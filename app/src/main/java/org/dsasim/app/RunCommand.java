package org.dsasim.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.dsasim.accel.config.AccelKeys;
import org.dsasim.accel.decode.DefaultStudy;
import org.dsasim.accel.decode.ModelSpec;
import org.dsasim.accel.timeline.TimelineRecorder;
import org.dsasim.app.report.Report;
import org.dsasim.app.report.TimelineOptions;
import org.dsasim.app.run.DecodeRun;
import org.dsasim.app.run.OutputPaths;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Config;
import org.dsasim.core.config.ConfigLoader;
import org.dsasim.core.config.SimKeys;
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
      "Without options: the default study (H200, LLaMA-3.1-70B with DSA at top-128, 2 sequences"
          + " at 64K context, paper-fitted dsa selections) without and with a 30 MiB KV"
          + " reservation, compared.",
      "With options: one run, reported in full (step-time distribution, tokens/s, phases,"
          + " stalls, hit rates, HBM bandwidth, bytes per level, energy); results are written"
          + " under results/ (or --out)."
    })
public final class RunCommand implements Runnable {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Mixin TimelineOptions timeline;

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
    timeline.check();
    boolean defaultStudy = config.files().isEmpty() && config.settings().isEmpty()
        && workload == null && out == null && !json && !timeline.requested();
    ConfigLoader loader = config.loader();
    if (defaultStudy) {
      DefaultStudy.apply(loader);
    }
    if (workload != null) {
      loader.set(AccelKeys.WORKLOAD_SOURCE.name(), workload, "--workload on the command line");
    }
    Config cfg = loader.load();
    ModelSpec model = ModelSpec.from(cfg);
    long reservation = cfg.get(AccelKeys.LLC_RESERVATION);
    PrintWriter w = spec.commandLine().getOut();
    if (compare && timeline.requested()) {
      throw new UserInputException("--timeline records one run; drop --compare");
    }
    if (!json) {
      DecodeRun.workloadShapeNote(cfg, model).ifPresent(w::println);
    }
    if (defaultStudy || compare) {
      long other = reservation > 0 ? reservation : cfg.get(AccelKeys.COMPARE_RESERVATION);
      Map<String, Object> none = DecodeRun.simulate(cfg, model, 0).summary();
      Map<String, Object> with = DecodeRun.simulate(cfg, model, other).summary();
      if (json) {
        Map<String, Object> both = new LinkedHashMap<>();
        both.put("no_reservation", none);
        both.put("reservation", with);
        w.println(DecodeRun.toJson(both));
      } else {
        printComparison(w, cfg, model, none, with, other);
      }
    } else {
      TimelineRecorder recorder = timeline.recorder(cfg);
      Path dir = out != null ? out : Path.of("results", "run-" + model.name() + "-"
          + cfg.get(SimKeys.HARDWARE));
      OutputPaths.checkFolder(dir, "--out");
      DecodeRun r = DecodeRun.simulate(cfg, model, reservation, recorder);
      Map<String, Object> summary = r.summary();
      r.writeFiles(dir);
      Path page = Report.write(dir);
      Path trace = recorder != null ? timeline.write(recorder) : null;
      if (json) {
        w.println(DecodeRun.toJson(summary));
      } else {
        printSummary(w, summary);
        w.println("results written to " + dir + " (report: " + page + ")");
        if (trace != null) {
          w.println("timeline of " + recorder.recordedSteps() + " steps written to " + trace);
        }
      }
    }
    w.flush();
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
    w.printf(Locale.ROOT, "attention (the gathers and their arithmetic) is %.1f %% of the step"
        + " without a reservation; the rest (weights, indexer, top-k) does not use the reserved"
        + " entries%n", 100 * (double) ((Map<String, Object>) none.get("phase_us_per_step"))
        .getOrDefault("attention", 0.0) / p50(none));
    w.println("what a reservation buys as far memory, batch, top-k and kernel style vary:"
        + " configs/studies/where-reservation-pays.yaml (findings in docs/sweeps.md)");
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
}
