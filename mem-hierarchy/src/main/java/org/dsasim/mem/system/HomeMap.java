package org.dsasim.mem.system;

import org.dsasim.mem.llc.LinePlacement;

/**
 * Which LLC partition is the home of a line: the partition whose slices keep it for every
 * requester and which alone exchanges it with the HBM. Partitions (a power of two) are interleaved
 * granule by granule ({@code llc.home_interleave}, one line by default): each aligned group of
 * {@code partitions} consecutive granules has one granule homed in each partition, which one
 * decided by a hash of the group index, so a contiguous range is split exactly evenly and strided
 * streams still spread over all partitions.
 *
 * @param granuleShift log2 of the interleave granule in bytes
 */
record HomeMap(int partitions, int granuleShift) {
  HomeMap {
    if (partitions < 1 || Integer.bitCount(partitions) != 1) {
      throw new IllegalArgumentException("partitions must be a power of two, got " + partitions);
    }
  }

  /** log2(partitions): the low granule-address bits that choose the home inside a group. */
  int groupBits() {
    return Integer.numberOfTrailingZeros(partitions);
  }

  int homeOf(long address) {
    if (partitions == 1) {
      return 0;
    }
    long granule = address >>> granuleShift;
    long group = granule >>> groupBits();
    return (int) ((granule + LinePlacement.mix64(group)) & (partitions - 1));
  }
}
