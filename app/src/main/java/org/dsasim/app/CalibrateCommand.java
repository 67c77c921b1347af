package org.dsasim.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dsasim.accel.calibrate.CalibrationCsv;
import org.dsasim.accel.calibrate.CalibrationReport;
import org.dsasim.accel.calibrate.CalibrationRow;
import org.dsasim.accel.calibrate.CalibrationRunner;
import org.dsasim.accel.calibrate.ScatterSvg;
import org.dsasim.core.config.Config;
import org.dsasim.core.UserInputException;
import org.dsasim.core.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dsasim calibrate}: predicted against measured step times of gather experiments. */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate every row of a calibration CSV (columns of shared/calibration/h200/calibration.csv)"
          + " on a hardware preset and compare the predicted step time with the measured one.",
      "Large rows simulate a few warm-up and measured steps of the steady state (docs/model.md)."
    })
public final class CalibrateCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--experiments", required = true, paramLabel = "F.csv",
      description = "Experiment rows (id, kernel, seqs, layers, ctx, entry_bytes, topk, persist,"
          + " stream_mb, l2_window, steps[, measured_step_us, ...]).")
  Path experiments;

  @Option(names = "--hardware", paramLabel = "NAME",
      description = "Hardware preset (configs/hardware/NAME.yaml); default: the configuration's"
          + " 'hardware' key (h200).")
  String hardware;

  @Mixin ConfigOptions config;

  @Option(names = "--json", description = "Print a JSON summary instead of the table.")
  boolean json;

  @Option(names = "--plot", paramLabel = "F.svg",
      description = "Write a predicted-against-measured scatter plot (SVG).")
  Path plot;

  @Option(names = "--threads", paramLabel = "N",
      description = "Rows simulated in parallel (default: the available processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--entry-budget", paramLabel = "N", defaultValue = "2000000",
      description = "Gathered entries simulated in the measured steps of a large row"
          + " (default ${DEFAULT-VALUE}).")
  long entryBudget;

  @Override
  public void run() {
    long t0 = System.nanoTime();
    if (threads < 1) {
      throw new UserInputException("--threads must be at least 1, found " + threads);
    }
    if (entryBudget < 1) {
      throw new UserInputException(
          "--entry-budget must be at least 1, found " + entryBudget);
    }
    org.dsasim.core.config.ConfigLoader loader = config.loader();
    if (hardware != null) {
      loader.set("hardware", hardware, "--hardware on the command line");
    }
    Config hw = loader.load();
    String hardwareName = hw.get(org.dsasim.core.config.SimKeys.HARDWARE);
    List<CalibrationRow> rows = CalibrationCsv.read(experiments);
    if (plot != null && rows.stream().noneMatch(r -> r.measuredStepUs() > 0)) {
      // checked before the rows are simulated, which can take minutes
      throw new UserInputException(experiments + ": --plot draws predicted against measured"
          + " step times, and no row has a measured_step_us");
    }
    CalibrationRunner runner = new CalibrationRunner(hw, entryBudget);
    List<CalibrationReport.Entry> entries = simulateAll(runner, rows);
    CalibrationReport report = CalibrationReport.of(entries);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(toJson(report, hardwareName, (System.nanoTime() - t0) / 1e9));
    } else {
      printTable(out, report);
    }
    if (plot != null) {
      AtomicFiles.writeString(plot, ScatterSvg.render(report,
          "dsasim " + hardwareName + ": predicted vs measured decode-step time"));
      if (!json) {
        out.println("plot written to " + plot);
      }
    }
    out.flush();
  }

  private List<CalibrationReport.Entry> simulateAll(CalibrationRunner runner,
      List<CalibrationRow> rows) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<CalibrationRunner.Prediction>> futures = new ArrayList<>();
      for (CalibrationRow r : rows) {
        futures.add(pool.submit(() -> runner.predict(r)));
      }
      List<CalibrationReport.Entry> entries = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        entries.add(new CalibrationReport.Entry(rows.get(i), futures.get(i).get()));
      }
      return entries;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UserInputException u) {
        throw u;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static void printTable(PrintWriter out, CalibrationReport report) {
    out.printf(Locale.ROOT, "%-22s %-13s %11s %11s %8s%n", "id", "kernel", "measured_us",
        "predicted", "error");
    for (CalibrationReport.Entry e : report.entries()) {
      boolean measured = e.hasMeasurement();
      String err = measured ? String.format(Locale.ROOT, "%+7.1f%%", e.error() * 100) : "-";
      String m = measured ? String.format(Locale.ROOT, "%.2f", e.measured()) : "-";
      out.printf(Locale.ROOT, "%-22s %-13s %11s %11.2f %8s%n", e.row().id(), e.row().kernel(), m,
          e.predicted(), err);
    }
    if (Double.isNaN(report.mape())) {
      out.println("no row has a measured step time: predictions only");
    } else {
      // the correlation needs two measured rows whose step times differ
      String corr = Double.isNaN(report.correlation()) ? "-"
          : String.format(Locale.ROOT, "%.4f", report.correlation());
      out.printf(Locale.ROOT, "MAPE %.1f %%   max |error| %.1f %%   correlation %s%n",
          report.mape() * 100, report.maxAbsError() * 100, corr);
    }
  }

  private static String toJson(CalibrationReport report, String hardware, double wallSeconds) {
    ObjectMapper mapper = JsonMappers.INDENTED;
    ObjectNode root = mapper.createObjectNode();
    root.put("hardware", hardware);
    ArrayNode rows = root.putArray("rows");
    for (CalibrationReport.Entry e : report.entries()) {
      ObjectNode r = rows.addObject();
      r.put("id", e.row().id());
      r.put("kernel", e.row().kernel());
      r.put("predicted_step_us", round(e.predicted()));
      putOrNull(r, "measured_step_us", e.measured());
      putOrNull(r, "error", e.hasMeasurement() ? e.error() : Double.NaN);
      if (e.row().streamMb() > 0) {
        r.put("predicted_gather_us", round(e.prediction().gatherUs()));
        r.put("predicted_stream_us", round(e.prediction().streamUs()));
      }
      r.put("simulated_steps", e.prediction().fullReplays()
          ? 2 * e.row().steps() : e.prediction().warmupSteps() + e.prediction().measuredSteps());
    }
    putOrNull(root, "mape", report.mape());
    putOrNull(root, "max_abs_error", report.maxAbsError());
    putOrNull(root, "correlation", report.correlation());
    root.put("wall_time_s", round(wallSeconds));
    try {
      return mapper.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void putOrNull(ObjectNode n, String key, double v) {
    if (Double.isFinite(v)) {
      n.put(key, round(v));
    } else {
      n.putNull(key);
    }
  }

  private static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }
}
