package org.dsasim.mem.llc;

/**
 * Decides which lines a fill may evict ("who may", as gem5's partitioning policies), separately
 * from the replacement policy that then picks one of them ("which one"). A fill belongs to a
 * partition: {@link #NORMAL}, or {@link #PERSISTING} for persisting-window lines.
 */
interface PartitionPolicy {
  int NORMAL = 0;
  int PERSISTING = 1;

  /**
   * The ways of {@code set} a fill of {@code partition} may take, never among {@code unavailable}
   * (frames locked by an MSHR); 0 when it may take none (the fill then bypasses the cache).
   */
  long candidates(int set, int partition, long unavailable);
}
