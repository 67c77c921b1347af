package org.dsasim.mem.llc;

import java.util.Arrays;

/**
 * The tag and state arrays of every line frame of the LLC, frame {@code set * ways + way} with sets
 * numbered across slices: the line address held (-1 when invalid), the valid and dirty sectors,
 * the traffic class that filled it, its partition ({@link PartitionPolicy#NORMAL} or
 * {@link PartitionPolicy#PERSISTING}) and the MSHR filling it (-1 when none; such a frame is
 * locked against eviction).
 */
final class TagStore {
  static final long INVALID = -1;

  final int sets;
  final int ways;
  final long[] line;
  final int[] valid;
  final int[] dirty;
  final byte[] trafficClass;
  final byte[] partition;
  final int[] mshr;

  TagStore(int sets, int ways) {
    this.sets = sets;
    this.ways = ways;
    int frames = Math.multiplyExact(sets, ways);
    line = new long[frames];
    Arrays.fill(line, INVALID);
    valid = new int[frames];
    dirty = new int[frames];
    trafficClass = new byte[frames];
    partition = new byte[frames];
    mshr = new int[frames];
    Arrays.fill(mshr, -1);
  }

  int frame(int set, int way) {
    return set * ways + way;
  }

  /** The way of {@code set} holding {@code lineAddress}, or -1. */
  int find(int set, long lineAddress) {
    int base = set * ways;
    for (int w = 0; w < ways; w++) {
      if (line[base + w] == lineAddress) {
        return w;
      }
    }
    return -1;
  }

  /** Ways of {@code set} holding no line. */
  long invalidWays(int set) {
    int base = set * ways;
    long mask = 0;
    for (int w = 0; w < ways; w++) {
      if (line[base + w] == INVALID) {
        mask |= 1L << w;
      }
    }
    return mask;
  }

  /** Ways of {@code set} locked by an MSHR. */
  long lockedWays(int set) {
    int base = set * ways;
    long mask = 0;
    for (int w = 0; w < ways; w++) {
      if (mshr[base + w] >= 0) {
        mask |= 1L << w;
      }
    }
    return mask;
  }

  /** Ways of {@code set} holding a line of {@code part}. */
  long waysOfPartition(int set, int part) {
    int base = set * ways;
    long mask = 0;
    for (int w = 0; w < ways; w++) {
      if (line[base + w] != INVALID && partition[base + w] == part) {
        mask |= 1L << w;
      }
    }
    return mask;
  }

  void install(int frame, long lineAddress, int cls, int part) {
    line[frame] = lineAddress;
    valid[frame] = 0;
    dirty[frame] = 0;
    trafficClass[frame] = (byte) cls;
    partition[frame] = (byte) part;
  }

  void invalidate(int frame) {
    line[frame] = INVALID;
    valid[frame] = 0;
    dirty[frame] = 0;
  }
}
