package org.dsasim.accel.gpu;

import java.util.Arrays;

/**
 * What a compute unit keeps about each of its loads in flight, indexed by the load's message
 * handle: the time it waited for room before it was sent (MSHR full), the line requests it
 * occupies (given back as sent: the memory side may shrink a response's size), and, for a batch of
 * reads answered at issue, when it arrives and which one arrives next.
 *
 * <p>One table for the whole GPU rather than one per compute unit: a handle belongs to one unit
 * at a time, and per-unit tables as long as the message pool multiply the simulation's working
 * set by the number of units (132 on an H200), most of it never touched.
 */
final class LoadRecords {
  long[] mshrWait = new long[256];
  int[] lines = new int[256];
  int[] nextInBatch = new int[256];
  long[] arrival = new long[256];

  /** Makes room for handle {@code m}. */
  void ensure(int m) {
    if (m >= mshrWait.length) {
      int size = Math.max(m + 1, mshrWait.length * 2);
      mshrWait = Arrays.copyOf(mshrWait, size);
      lines = Arrays.copyOf(lines, size);
      nextInBatch = Arrays.copyOf(nextInBatch, size);
      arrival = Arrays.copyOf(arrival, size);
    }
  }
}
