package org.dsasim.app;

import org.dsasim.core.UserInputException;
import picocli.CommandLine;

/** Entry point of the {@code dsasim} command. */
public final class Main {
  /** Exit status for usage and input errors (bad option, bad file, bad configuration value). */
  public static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit status instead of exiting (used by tests). */
  public static int run(String... args) {
    CommandLine cli = newCommandLine();
    return cli.execute(args);
  }

  static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new DsasimCommand());
    cli.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          Throwable cause = ex;
          while (cause != null && !(cause instanceof UserInputException)) {
            cause = cause.getCause();
          }
          if (cause != null) {
            cmd.getErr().println("dsasim: " + cause.getMessage());
            cmd.getErr().flush();
            return EXIT_USAGE;
          }
          throw ex;
        });
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine cmd = ex.getCommandLine();
          cmd.getErr().println("dsasim: " + ex.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(ex, cmd.getErr());
          cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
          cmd.getErr().flush();
          return EXIT_USAGE;
        });
    return cli;
  }
}
