package org.dsasim.workloads.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dsasim.core.UserInputException;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;

/**
 * The property every trace fuzzer checks: any bytes either read as a trace to the end or are
 * refused with a {@link UserInputException}; any other exception escapes and fails the run.
 */
final class TraceFuzzing {
  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("dsasim-fuzz");
      DIR.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TraceFuzzing() {}

  /** Writes {@code bytes} to a file named {@code fileName} and reads it as a trace to the end. */
  static void readWhole(byte[] bytes, String fileName) throws IOException {
    Path file = DIR.resolve(fileName);
    Files.write(file, bytes);
    try (TraceSource source = Traces.open(file)) {
      StepSelection step = StepSelection.forHeader(source.header());
      while (source.next(step)) {
        // every step is decoded and checked
      }
    } catch (UserInputException expected) {
      // malformed input, reported: the property holds
    } finally {
      Files.deleteIfExists(file);
      file.toFile().deleteOnExit();
    }
  }
}
