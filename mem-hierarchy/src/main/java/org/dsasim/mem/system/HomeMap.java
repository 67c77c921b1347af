package org.dsasim.mem.system;

import org.dsasim.mem.llc.LinePlacement;

/**
 * Which LLC partition is the home of a line: the partition whose slices keep it for every
 * requester and which alone exchanges it with the HBM. Partitions (a power of two) are interleaved
 * line by line: each aligned group of {@code partitions} consecutive lines has one line homed in
 * each partition, which one decided by a hash of the group index, so a contiguous range is split
 * exactly evenly and strided streams still spread over all partitions.
 */
record HomeMap(int partitions, int lineShift) {
  HomeMap {
    if (partitions < 1 || Integer.bitCount(partitions) != 1) {
      throw new IllegalArgumentException("partitions must be a power of two, got " + partitions);
    }
  }

  /** log2(partitions): the low line-address bits that choose the home inside a group. */
  int groupBits() {
    return Integer.numberOfTrailingZeros(partitions);
  }

  int homeOf(long address) {
    if (partitions == 1) {
      return 0;
    }
    long line = address >>> lineShift;
    long group = line >>> groupBits();
    return (int) ((line + LinePlacement.mix64(group)) & (partitions - 1));
  }
}
