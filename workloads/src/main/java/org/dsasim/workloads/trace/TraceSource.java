package org.dsasim.workloads.trace;

import java.io.IOException;

/**
 * A stream of decode steps: a trace file being read, or a generator. Steps come in order, one at
 * a time, so a source never needs more memory than one step (plus its own state).
 */
public interface TraceSource extends AutoCloseable {
  TraceHeader header();

  /**
   * Fills {@code into} with the next step.
   *
   * @return false when there are no more steps ({@code into} is then unchanged)
   * @throws IOException on read errors; malformed input throws
   *     {@link org.dsasim.core.UserInputException} naming the file and byte offset
   */
  boolean next(StepSelection into) throws IOException;

  @Override
  void close() throws IOException;
}
