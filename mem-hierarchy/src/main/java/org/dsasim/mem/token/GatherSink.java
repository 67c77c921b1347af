package org.dsasim.mem.token;

/** Receives the gathers of a decode step. */
@FunctionalInterface
public interface GatherSink {
  /**
   * One (layer, sequence) gathers the entries of {@code tokens[from .. from + count)}, in that
   * order.
   */
  void gather(int seq, int layer, int[] tokens, int from, int count);
}
