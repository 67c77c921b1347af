package org.dsasim.app.trace;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dsasim.core.io.AtomicFiles;
import org.dsasim.workloads.analyze.AnalysisReport;
import org.dsasim.workloads.analyze.TraceAnalyzer;
import org.dsasim.workloads.analyze.TraceStatistics;
import org.dsasim.workloads.trace.TraceOverrides;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dsasim trace analyze F}: the access-pattern statistics of a trace. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Measure a trace's access patterns per layer and overall: new fraction, persistence,"
          + " re-selection distance, inter-layer overlap, 50-step working set, 64-token page"
          + " utilisation, and the LRU miss-ratio curves of token entries (one cache for all"
          + " layers, and per layer a cache of that layer's entries). Definitions:"
          + " docs/workloads.md."
    })
public final class AnalyzeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "A .dsat trace or a .npz archive.")
  Path file;

  @Option(names = "--json", description = "Print JSON instead of a text table.")
  boolean json;

  @Option(names = "--plots", paramLabel = "DIR",
      description = "Also write plots of every distribution (PNG and SVG) into DIR.")
  Path plots;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write the report to FILE (atomically) instead of printing it.")
  Path output;

  @Option(names = "--no-reuse",
      description = "Skip the LRU stack-distance profiles (the slowest part).")
  boolean noReuse;

  @Option(names = "--topk", paramLabel = "K",
      description = "Analyze the first K selected tokens of every row (the top-K of a"
          + " rank-ordered capture); at most the trace's k.")
  Integer topk;

  @Option(names = "--prompt-len", paramLabel = "N",
      description = "For inputs without context lengths: the context at step t is N + t.")
  Integer promptLen;

  @Override
  public Integer call() throws Exception {
    TraceOverrides overrides = new TraceOverrides(null, null, null, null, topk, promptLen);
    TraceStatistics st;
    try (TraceSource src = Traces.open(file, overrides)) {
      st = TraceAnalyzer.analyze(src, !noReuse);
    }
    String report = json ? AnalysisReport.json(st) : AnalysisReport.text(st);
    PrintWriter out = spec.commandLine().getOut();
    if (output != null) {
      AtomicFiles.writeString(output, report);
      out.println("wrote " + output);
    } else {
      out.print(report);
    }
    if (plots != null) {
      AnalysisReport.writePlots(st, plots);
      out.println("wrote plots to " + plots);
    }
    out.flush();
    return 0;
  }
}
