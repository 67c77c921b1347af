package org.dsasim.app;

import java.io.IOException;
import java.util.Locale;
import org.dsasim.core.UserInputException;
import org.dsasim.core.io.AtomicFiles;
import picocli.CommandLine;

/** Entry point of the {@code dsasim} command. */
public final class Main {
  /** Exit status for usage and input errors (bad option, bad file, bad configuration value). */
  public static final int EXIT_USAGE = 2;
  /** Exit status when the run needs more memory than the JVM's heap limit. */
  public static final int EXIT_OUT_OF_MEMORY = 3;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit status instead of exiting (used by tests). */
  public static int run(String... args) {
    CommandLine cli = newCommandLine();
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError e) {
      // a setting too large for the heap, not a fault of the program: say how to give it more
      // (what the run allocated is garbage by now, so printing works)
      cli.getErr().println("dsasim: " + outOfMemory(e));
      cli.getErr().flush();
      return EXIT_OUT_OF_MEMORY;
    }
  }

  /** What to tell the user when a run ran out of heap: the limit, and how to raise it. */
  public static String outOfMemory(OutOfMemoryError e) {
    long limitMiB = Runtime.getRuntime().maxMemory() >> 20;
    return String.format(Locale.ROOT, "out of memory (%s): this run needs more than the"
        + " Java heap limit of %d MiB; raise it, for example DSASIM_JAVA_OPTS=-Xmx%dm ./dsasim ..."
        + " (docs/model.md, \"Resource bounds\", lists what a run holds)", e.getMessage(),
        limitMiB, 2 * limitMiB);
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
          IOException io = ioCause(ex);
          if (io != null) {
            // the file system failed us (disk gone, quota, a file vanished): say so, no trace
            cmd.getErr().println("dsasim: input/output error: " + AtomicFiles.reason(io));
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

  private static IOException ioCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException io) {
        return io;
      }
    }
    return null;
  }
}
