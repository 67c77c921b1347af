package org.dsasim.mem.interconnect;

/**
 * Where an address lives in a sliced last-level cache: which slice serves it and which partition
 * (half of the chip) that slice belongs to. The crossbar routes requests with it and charges the
 * partition-crossing latency when a requester's partition differs from the slice's.
 */
public interface SliceMap {
  int slices();

  int partitions();

  /** The slice serving {@code address}. */
  int sliceOf(long address);

  /** The partition slice {@code slice} belongs to, in [0, partitions()). */
  int partitionOfSlice(int slice);
}
