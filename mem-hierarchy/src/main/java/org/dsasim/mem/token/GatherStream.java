package org.dsasim.mem.token;

import java.io.IOException;

/**
 * What a replay consumes: decode steps, each delivered as its gathers. A trace reader or a
 * generator adapts itself to this; the memory hierarchy knows nothing of trace formats.
 */
@FunctionalInterface
public interface GatherStream {
  /**
   * Sends the next step's gathers to {@code sink}: layers in order, and within a layer the
   * sequences in order.
   *
   * @return false when there are no more steps (nothing was sent)
   */
  boolean nextStep(GatherSink sink) throws IOException;
}
