package org.dsasim.app.report;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dsasim report DIR}: the HTML report of a run's or a sweep's results folder. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write DIR/" + Report.PAGE + ": a self-contained page (opens offline) with plots under DIR/"
          + Report.PLOTS + "/ (PNG, each linking to its SVG).",
      "For a run's folder (summary.json, *.hlog, config.yaml): latency CDFs, time per phase,"
          + " stalls, bytes per level and the configuration.",
      "For a sweep's folder (points.csv, points/<id>/): heatmaps and line plots of tokens/s,"
          + " hit rates and step time over the axes, latency CDFs, stalls and bytes per point,"
          + " the table and every point's configuration; for replay points (runner: replay),"
          + " hit rate and HBM bytes per step over the capacity, one line per policy."
    })
public final class ReportCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "A results folder of 'dsasim run' or 'dsasim sweep'.")
  Path dir;

  @Override
  public void run() {
    Path page = Report.write(dir);
    spec.commandLine().getOut().println("report written to " + page);
    spec.commandLine().getOut().flush();
  }
}
