package org.dsasim.app.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.dsasim.accel.config.AccelKeys;
import org.dsasim.accel.decode.DecodeReport;
import org.dsasim.accel.decode.DecodeSimulation;
import org.dsasim.accel.decode.ModelSpec;
import org.dsasim.accel.timeline.TimelineRecorder;
import org.dsasim.accel.workload.Workloads;
import org.dsasim.app.JsonMappers;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Config;
import org.dsasim.core.config.SimKeys;
import org.dsasim.core.io.AtomicFiles;
import org.dsasim.core.random.RandomStreams;
import org.dsasim.workloads.gen.GeneratorShape;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceSource;

/**
 * One decode simulation of a resolved configuration: opens the configured workload, simulates
 * it, derives the summary and writes the per-run files. {@code dsasim run} and every point of a
 * sweep go through here, so that a sweep point and the same settings given to {@code run} give
 * the same numbers and the same files.
 *
 * <p>Files written by {@link #writeFiles}: {@value #SUMMARY_FILE} (the summary as JSON),
 * {@value #STEP_LATENCY_FILE} and {@value #GATHER_LATENCY_FILE} (HdrHistogram logs, values in
 * nanoseconds) and {@value #CONFIG_FILE} (every resolved key: value).
 */
public final class DecodeRun {
  public static final String SUMMARY_FILE = "summary.json";
  public static final String STEP_LATENCY_FILE = "step_latency_ns.hlog";
  public static final String GATHER_LATENCY_FILE = "gather_latency_ns.hlog";
  public static final String CONFIG_FILE = "config.yaml";
  /** Ends the hidden names of files staged by {@link #writeFiles} (a kind of temporary file). */
  public static final String STAGED_SUFFIX = ".staged" + AtomicFiles.TEMP_SUFFIX;

  private final Config config;
  private final DecodeSimulation.Result result;
  private final Map<String, Object> summary;

  private DecodeRun(Config config, DecodeSimulation.Result result, Map<String, Object> summary) {
    this.config = config;
    this.result = result;
    this.summary = summary;
  }

  /** Simulates {@code cfg} with the reservation it configures. */
  public static DecodeRun simulate(Config cfg) {
    return simulate(cfg, ModelSpec.from(cfg), cfg.get(AccelKeys.LLC_RESERVATION));
  }

  /** Simulates {@code cfg} with a KV reservation of {@code reservationBytes} (0: none). */
  public static DecodeRun simulate(Config cfg, ModelSpec model, long reservationBytes) {
    return simulate(cfg, model, reservationBytes, null);
  }

  /** As {@link #simulate(Config, ModelSpec, long)}, recording a timeline window (null: none). */
  public static DecodeRun simulate(Config cfg, ModelSpec model, long reservationBytes,
      TimelineRecorder timeline) {
    long t0 = System.nanoTime();
    DecodeSimulation.Options options = new DecodeSimulation.Options(
        cfg.get(AccelKeys.BATCH), cfg.get(AccelKeys.CONTEXT), cfg.get(SimKeys.WARMUP_STEPS),
        cfg.get(SimKeys.STOP_STEPS), cfg.get(AccelKeys.MODE).equals("fused"), reservationBytes);
    DecodeSimulation.Result r;
    try (TraceSource source = openWorkload(cfg, model)) {
      DecodeSimulation sim = new DecodeSimulation(cfg, model, options);
      sim.recordTimeline(timeline);
      r = sim.run(source);
    } catch (IOException e) {
      throw new UserInputException("cannot read the workload: " + e.getMessage(), e);
    }
    return new DecodeRun(cfg, r, DecodeReport.summary(r, cfg, (System.nanoTime() - t0) / 1e9));
  }

  /** The configured workload: a generator by name, or a trace file. */
  public static TraceSource openWorkload(Config cfg, ModelSpec model) {
    long seed = new RandomStreams(cfg.get(SimKeys.SEED)).seedFor("decode.workload");
    GeneratorShape shape = new GeneratorShape(
        cfg.get(SimKeys.WARMUP_STEPS) + cfg.get(SimKeys.STOP_STEPS), model.layersPerGpu(),
        cfg.get(AccelKeys.BATCH), model.topk(), cfg.get(AccelKeys.CONTEXT), 1,
        model.entryBytes(), seed);
    return Workloads.open(cfg, shape);
  }

  /**
   * How the configured workload's shape differs from the model's, in words, or empty (always for
   * a generator, which is made to the model's shape, so it is not built for this). A trace's
   * layers and sequences are reused cyclically, and a step gathers at most the model's top-k of a
   * row: a trace that says so only in docs/model.md would surprise the user who simulates a
   * 61-layer model on an 8-layer capture.
   */
  public static Optional<String> workloadShapeNote(Config cfg, ModelSpec model) {
    if (Workloads.isGenerator(cfg.get(AccelKeys.WORKLOAD_SOURCE))) {
      return Optional.empty();
    }
    TraceHeader h;
    try (TraceSource source = openWorkload(cfg, model)) {
      h = source.header();
    } catch (IOException e) {
      throw new UserInputException("cannot read the workload: " + e.getMessage(), e);
    }
    int batch = cfg.get(AccelKeys.BATCH);
    List<String> parts = new ArrayList<>();
    if (h.layers() != model.layersPerGpu() || h.seqs() != batch) {
      parts.add("its " + count(h.layers(), "layer") + " and " + count(h.seqs(), "sequence")
          + " are reused cyclically for the model's " + count(model.layersPerGpu(), "layer")
          + " and " + count(batch, "sequence"));
    }
    if (h.topk() < model.topk()) {
      parts.add(String.format(Locale.ROOT, "its rows hold at most %d tokens, so a step gathers"
          + " that many per layer and sequence, not the model's top-k of %d", h.topk(),
          model.topk()));
    } else if (h.topk() > model.topk()) {
      parts.add(String.format(Locale.ROOT, "the first %d of the %d ranked tokens of each row are"
          + " gathered (the model's top-k)", model.topk(), h.topk()));
    }
    return parts.isEmpty() ? Optional.empty() : Optional.of(
        "workload " + cfg.get(AccelKeys.WORKLOAD_SOURCE) + ": " + String.join("; ", parts));
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  public Config config() {
    return config;
  }

  public DecodeSimulation.Result result() {
    return result;
  }

  /** The summary of {@link DecodeReport#summary}, including the simulation's own wall time. */
  public Map<String, Object> summary() {
    return summary;
  }

  /**
   * Writes the latency histograms, the resolved configuration and the summary as one set: each
   * is first written in full to a hidden staging file beside it ({@code .<name>}{@value
   * #STAGED_SUFFIX}), and only when all are complete are they renamed into place, the summary
   * last. A failure while writing (a full disk, a read-only folder) leaves every file of an
   * earlier run in the folder as it was, so the folder never holds a mix of two runs; the
   * summary's presence marks a complete set.
   */
  public void writeFiles(Path dir) {
    Map<Path, AtomicFiles.Content> set = new LinkedHashMap<>();
    set.put(dir.resolve(STEP_LATENCY_FILE), histogram(result.stepLatencyNs()));
    set.put(dir.resolve(GATHER_LATENCY_FILE), histogram(result.gatherLatencyNs()));
    set.put(dir.resolve(CONFIG_FILE), utf8(configText(config)));
    set.put(dir.resolve(SUMMARY_FILE), utf8(toJson(summary) + "\n"));
    List<Path> staged = new ArrayList<>();
    Path target = null;
    try {
      for (Map.Entry<Path, AtomicFiles.Content> f : set.entrySet()) {
        target = f.getKey();
        Path staging = target.resolveSibling("." + target.getFileName() + STAGED_SUFFIX);
        AtomicFiles.write(staging, f.getValue());
        staged.add(staging);
      }
      for (Path f : set.keySet()) {
        target = f;
        AtomicFiles.moveIntoPlace(staged.remove(0), f);
      }
    } catch (UserInputException e) {
      throw e.getCause() instanceof IOException io ? AtomicFiles.cannotWrite(target, io) : e;
    } catch (IOException e) {
      throw AtomicFiles.cannotWrite(target, e);
    } finally {
      staged.forEach(AtomicFiles::deleteQuietly);
    }
  }

  /** Writes {@value #SUMMARY_FILE}. */
  public void writeSummary(Path dir) {
    AtomicFiles.write(dir.resolve(SUMMARY_FILE), utf8(toJson(summary) + "\n"));
  }

  /** Writes {@value #STEP_LATENCY_FILE} and {@value #GATHER_LATENCY_FILE}. */
  public void writeHistograms(Path dir) {
    AtomicFiles.write(dir.resolve(STEP_LATENCY_FILE), histogram(result.stepLatencyNs()));
    AtomicFiles.write(dir.resolve(GATHER_LATENCY_FILE), histogram(result.gatherLatencyNs()));
  }

  /** Writes {@value #CONFIG_FILE}: every resolved key and its value. */
  public void writeConfig(Path dir) {
    writeConfig(config, dir);
  }

  /** Writes {@value #CONFIG_FILE} of {@code config}: every resolved key and its value. */
  public static void writeConfig(Config config, Path dir) {
    AtomicFiles.write(dir.resolve(CONFIG_FILE), utf8(configText(config)));
  }

  private static String configText(Config config) {
    StringBuilder sb = new StringBuilder();
    config.values().forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
    return sb.toString();
  }

  private static AtomicFiles.Content utf8(String text) {
    return o -> o.write(text.getBytes(StandardCharsets.UTF_8));
  }

  private static AtomicFiles.Content histogram(Histogram h) {
    return o -> {
      PrintStream ps = new PrintStream(o, false, StandardCharsets.UTF_8);
      HistogramLogWriter writer = new HistogramLogWriter(ps);
      writer.outputComment("dsasim: values in nanoseconds");
      writer.outputLogFormatVersion();
      writer.outputLegend();
      writer.outputIntervalHistogram(0, 1, h, 1.0);
      ps.flush();
      if (ps.checkError()) {
        throw new IOException("the histogram log could not be written");
      }
    };
  }

  /** Indented JSON of a summary (or of maps of summaries). */
  public static String toJson(Object o) {
    try {
      return JsonMappers.INDENTED.writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
