package org.dsasim.accel.memory;

import java.util.Arrays;
import org.dsasim.accel.replay.LaunchState;

/** Counters of a memory system, reset with it; all byte counts are of payload or DRAM bursts. */
public final class MemoryStats {
  /** Read requests and the bytes they asked for. */
  public long readRequests;
  public long readBytes;
  public long writeRequests;
  public long writeBytes;
  /** Bytes of read data delivered by each level ({@link ServedBy}). */
  public final long[] bytesByLevel = new long[ServedBy.COUNT];
  /** Line lookups in the shared part of the LLC, and hits. */
  public long sharedLookups;
  public long sharedHits;
  /** Lookups in the reservation (token entries or persisting lines), and hits. */
  public long reservedLookups;
  public long reservedHits;
  /** DRAM traffic and row activations. */
  public long hbmReadBytes;
  public long hbmWriteBytes;
  public long hbmActivations;
  /** Time the DRAM data buses were busy, summed over channels, in ps; and the channel count. */
  public long hbmBusyPs;
  public int hbmChannels;

  public void reset() {
    readRequests = 0;
    readBytes = 0;
    writeRequests = 0;
    writeBytes = 0;
    Arrays.fill(bytesByLevel, 0);
    sharedLookups = 0;
    sharedHits = 0;
    reservedLookups = 0;
    reservedHits = 0;
    hbmReadBytes = 0;
    hbmWriteBytes = 0;
    hbmActivations = 0;
    hbmBusyPs = 0;
  }

  /**
   * Writes the request, level and lookup counters for a launch replay (the DRAM ones are copies
   * of the memory model's own, which it saves itself).
   */
  void save(LaunchState s) {
    s.count(readRequests);
    s.count(readBytes);
    s.count(writeRequests);
    s.count(writeBytes);
    for (long b : bytesByLevel) {
      s.count(b);
    }
    s.count(sharedLookups);
    s.count(sharedHits);
    s.count(reservedLookups);
    s.count(reservedHits);
  }

  /** Adds a recorded launch's change, read in the order {@link #save} wrote it. */
  void replay(LaunchState change) {
    readRequests += change.nextCount();
    readBytes += change.nextCount();
    writeRequests += change.nextCount();
    writeBytes += change.nextCount();
    for (int i = 0; i < bytesByLevel.length; i++) {
      bytesByLevel[i] += change.nextCount();
    }
    sharedLookups += change.nextCount();
    sharedHits += change.nextCount();
    reservedLookups += change.nextCount();
    reservedHits += change.nextCount();
  }

  public double sharedHitRate() {
    return sharedLookups == 0 ? 0 : (double) sharedHits / sharedLookups;
  }

  public double reservedHitRate() {
    return reservedLookups == 0 ? 0 : (double) reservedHits / reservedLookups;
  }

  /** Fraction of the elapsed time the DRAM buses were busy. */
  public double hbmUtilization(long elapsedPs) {
    return elapsedPs <= 0 || hbmChannels == 0
        ? 0
        : (double) hbmBusyPs / ((double) elapsedPs * hbmChannels);
  }
}
