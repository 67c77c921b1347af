package org.dsasim.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The top-level command; each subcommand is one user task. */
@Command(
    name = "dsasim",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = {
      "Cycle-approximate simulator of last-level-cache reservation for dynamic-sparse-attention"
          + " LLM decode.",
      "",
      "Run './dsasim run' for the built-in default study, './dsasim COMMAND --help' for each command."
    },
    subcommands = {
      HelpCommand.class,
      VersionCommand.class,
      RunCommand.class,
      CalibrateCommand.class,
      org.dsasim.app.config.ConfigCommand.class,
      org.dsasim.app.trace.TraceCommand.class,
      ReplayCommand.class,
      org.dsasim.app.sweep.SweepCommand.class,
      org.dsasim.app.report.ReportCommand.class,
      MembenchCommand.class,
    })
public final class DsasimCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
