package org.dsasim.app.trace;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.dsasim.workloads.trace.TraceSink;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;
import picocli.CommandLine.Model.CommandSpec;

/** What the trace commands that write a file share: writing a whole trace and the summary. */
final class TraceOutput {
  private TraceOutput() {}

  /**
   * Copies every step of {@code src} into a new trace at {@code output} (which appears only when
   * complete) and closes {@code src}.
   *
   * @return the steps written
   */
  static long write(TraceSource src, Path output) throws IOException {
    try (src;
        TraceSink sink = Traces.create(output, src.header())) {
      return Traces.copy(src, sink);
    }
  }

  /**
   * Prints the command's summary, formatted the same on every machine (root locale).
   *
   * @return the command's exit status, 0
   */
  static int report(CommandSpec spec, String format, Object... args) {
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, format, args);
    out.flush();
    return 0;
  }
}
