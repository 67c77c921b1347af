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
   * Passes the request, level and lookup counters through {@code s} for a launch replay (the DRAM
   * ones are copies of the memory model's own, which it passes itself).
   */
  void replayState(LaunchState s) {
    readRequests = s.count(readRequests);
    readBytes = s.count(readBytes);
    writeRequests = s.count(writeRequests);
    writeBytes = s.count(writeBytes);
    for (int i = 0; i < bytesByLevel.length; i++) {
      bytesByLevel[i] = s.count(bytesByLevel[i]);
    }
    sharedLookups = s.count(sharedLookups);
    sharedHits = s.count(sharedHits);
    reservedLookups = s.count(reservedLookups);
    reservedHits = s.count(reservedHits);
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
