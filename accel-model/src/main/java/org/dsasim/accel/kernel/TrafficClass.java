package org.dsasim.accel.kernel;

/** Traffic classes carried by memory requests, so that the memory side can treat them apart. */
public final class TrafficClass {
  private TrafficClass() {}

  /** Sparse gathers of selected KV entries. */
  public static final int KV_GATHER = 1;
  /** Loads of the selected-token index arrays. */
  public static final int INDEX = 2;
  /** Streaming reads of weights (and the calibration stream kernel). */
  public static final int WEIGHTS = 3;
  /** The indexer's streaming reads of index keys. */
  public static final int INDEX_KEYS = 4;
  /** KV and index-key appends of the new token. */
  public static final int KV_APPEND = 5;
  /** Activations, scores and other small traffic. */
  public static final int ACTIVATIONS = 6;
}
