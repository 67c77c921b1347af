package org.dsasim.app.trace;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dsasim trace}: the commands that work on DSA trace files. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = {
      "Work with DSA workload traces: per decode step, layer and sequence, the token indices the"
          + " sparse-attention selector chose.",
      "Formats: .dsat (dsasim's compressed binary format, see docs/trace-format.md) and NumPy"
          + " .npz archives."
    },
    subcommands = {TraceInfoCommand.class, TraceConvertCommand.class, AnalyzeCommand.class,
        GenCommand.class, FitCommand.class})
public final class TraceCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
