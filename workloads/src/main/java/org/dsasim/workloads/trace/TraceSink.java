package org.dsasim.workloads.trace;

import java.io.IOException;

/** Where decode steps go: a trace file being written, or an in-memory collector in tests. */
public interface TraceSink extends AutoCloseable {
  /** Appends one step; steps must be written in order with consecutive step numbers from 0. */
  void write(StepSelection step) throws IOException;

  /** Finishes the output (for files: footer, flush, atomic rename into place). */
  @Override
  void close() throws IOException;
}
