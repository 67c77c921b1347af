package org.dsasim.mem.llc;

import java.util.List;

/**
 * The traffic classes a request carries in {@link org.dsasim.core.port.Messages#trafficClass}.
 * Statistics are kept per class; only {@link #KV_GATHER} traffic may enter a KV reservation.
 */
public final class TrafficClass {
  private TrafficClass() {}

  /** Sparse-attention gathers of selected KV entries, and the appends of new entries. */
  public static final int KV_GATHER = 0;
  /** The indexer's stream over the key cache. */
  public static final int INDEXER_KEYS = 1;
  /** Weight streams. */
  public static final int WEIGHTS = 2;
  /** Everything else (activations, index arrays...). */
  public static final int OTHER = 3;

  public static final int COUNT = 4;

  private static final List<String> NAMES =
      List.of("kv_gather", "indexer_keys", "weights", "other");

  /** The statistics name of a class ({@code kv_gather}...). */
  public static String name(int trafficClass) {
    return NAMES.get(trafficClass);
  }

  public static List<String> names() {
    return NAMES;
  }
}
