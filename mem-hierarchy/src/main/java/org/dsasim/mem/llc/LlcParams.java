package org.dsasim.mem.llc;

import org.dsasim.mem.replacement.ReplacementPolicies;

/**
 * The organisation and timing of the LLC.
 *
 * <p>{@code capacityBytes = slices * setsPerSlice * ways * lineBytes}. Slice {@code s} belongs to
 * partition {@code s * partitions / slices}; addresses are spread over slices by a hash of the line
 * address and over a slice's sets by the line address modulo the sets.
 *
 * <p>Timing, per slice: a request occupies the slice for {@code ceil(bytes / sliceBytesPerCycle)}
 * cycles of {@code clockHz} (its initiation interval; fills and write-backs occupy it likewise), so
 * a slice moves at most {@code sliceBytesPerCycle * clockHz} bytes per second. A hit responds
 * {@code hitLatencyPs} after its service starts; a miss leaves for memory {@code tagLatencyPs}
 * after, and its waiters respond {@code fillLatencyPs} after the fill is served.
 *
 * @param capacityBytes total capacity
 * @param lineBytes line size (a power of two)
 * @param sectorBytes sector size: the unit of validity and of fills (a power of two, at most 32
 *     sectors per line)
 * @param ways associativity (1..64)
 * @param slices address-hashed slices
 * @param partitions chip partitions the slices split into (near/far halves)
 * @param clockHz the LLC clock
 * @param sliceBytesPerCycle data bandwidth of one slice
 * @param hitLatencyPs service start to response, for hits and writes
 * @param tagLatencyPs service start to the memory request, for misses
 * @param fillLatencyPs fill service start to the waiters' responses
 * @param mshrsPerSlice miss status holding registers per slice (lines with fetches in flight)
 * @param targetsPerMshr requests that may wait on one MSHR
 * @param inputQueue requests a slice buffers (the credits its requesters share)
 * @param writePolicy what write misses do
 * @param replacement replacement policy name ({@link ReplacementPolicies})
 * @param seed seed of randomised policies
 * @param memoryPathBandwidth bytes per second the LLC can exchange with memory in all;
 *     {@code Double.POSITIVE_INFINITY} leaves it to the memory model
 * @param memorySourceId the requester id the LLC puts on its memory requests
 */
public record LlcParams(
    long capacityBytes,
    int lineBytes,
    int sectorBytes,
    int ways,
    int slices,
    int partitions,
    double clockHz,
    int sliceBytesPerCycle,
    long hitLatencyPs,
    long tagLatencyPs,
    long fillLatencyPs,
    int mshrsPerSlice,
    int targetsPerMshr,
    int inputQueue,
    WritePolicy writePolicy,
    String replacement,
    long seed,
    double memoryPathBandwidth,
    int memorySourceId) {

  public LlcParams {
    require(isPowerOfTwo(lineBytes), "llc.line must be a power of two, got " + lineBytes);
    require(isPowerOfTwo(sectorBytes) && sectorBytes <= lineBytes,
        "llc.sector must be a power of two no larger than the line, got " + sectorBytes);
    require(lineBytes / sectorBytes <= 32,
        "llc.line / llc.sector must be at most 32, got " + lineBytes / sectorBytes);
    require(ways >= 1 && ways <= 64, "llc.ways must be in [1, 64], got " + ways);
    require(slices >= 1, "llc.slices must be >= 1, got " + slices);
    require(partitions >= 1 && partitions <= slices,
        "llc.partitions must be in [1, llc.slices], got " + partitions);
    long perSet = (long) slices * ways * lineBytes;
    require(capacityBytes > 0 && capacityBytes % perSet == 0,
        "llc.capacity (" + capacityBytes + " B) must be a positive multiple of slices x ways x line"
            + " = " + perSet + " B");
    require(capacityBytes / perSet <= Integer.MAX_VALUE / 64, "llc.capacity is too large");
    require(clockHz > 0, "llc.clock must be > 0");
    require(sliceBytesPerCycle >= 1,
        "llc.slice_bytes_per_cycle must be >= 1, got " + sliceBytesPerCycle);
    require(hitLatencyPs >= 0, "llc.hit_latency must be >= 0");
    require(tagLatencyPs >= 0, "llc.tag_latency must be >= 0");
    require(fillLatencyPs >= 0, "llc.fill_latency must be >= 0");
    require(mshrsPerSlice >= 1, "llc.mshrs must be >= 1, got " + mshrsPerSlice);
    require(targetsPerMshr >= 1, "llc.mshr_targets must be >= 1, got " + targetsPerMshr);
    require(inputQueue >= 1, "llc.input_queue must be >= 1, got " + inputQueue);
    require(writePolicy != null, "llc.write_policy missing");
    require(ReplacementPolicies.exists(replacement), "llc.replacement: unknown policy '"
        + replacement + "', expected one of " + ReplacementPolicies.names());
    require(memoryPathBandwidth > 0, "llc.memory_path_bandwidth must be > 0");
  }

  /**
   * An H200-like LLC: 60 MiB in 96 slices (two partitions of 48) of 256 sets x 20 ways x 128 B,
   * 32-B sectors (the slice geometry of Accel-Sim's SM90 configuration, scaled to the 60 MiB the
   * H200 driver reports), 64 B per cycle per slice at 1.98 GHz (12.2 TB/s in all, against
   * ~10 TB/s measured for L2-resident streams), 384 MSHRs of 4 targets per slice (Accel-Sim).
   * Latencies are first guesses, to be calibrated with the interconnect against the measured
   * 146 ns (near) and ~270 ns (far) load-to-use latencies.
   */
  public static LlcParams h200() {
    double clock = 1.98e9;
    return new LlcParams(
        60L << 20, 128, 32, 20, 96, 2, clock, 64,
        cyclesToPs(170, clock), cyclesToPs(20, clock), cyclesToPs(20, clock),
        384, 4, 64, WritePolicy.ALLOCATE, "lru", 1, 4.8e12, 0);
  }

  /** Sets per slice. */
  public int setsPerSlice() {
    return (int) (capacityBytes / ((long) slices * ways * lineBytes));
  }

  public int sectorsPerLine() {
    return lineBytes / sectorBytes;
  }

  public LlcParams withCapacity(long bytes, int newWays, int newSlices) {
    return new LlcParams(bytes, lineBytes, sectorBytes, newWays, newSlices,
        Math.min(partitions, newSlices), clockHz, sliceBytesPerCycle, hitLatencyPs, tagLatencyPs,
        fillLatencyPs, mshrsPerSlice, targetsPerMshr, inputQueue, writePolicy, replacement, seed,
        memoryPathBandwidth, memorySourceId);
  }

  public LlcParams withLatencies(long hitPs, long tagPs, long fillPs) {
    return new LlcParams(capacityBytes, lineBytes, sectorBytes, ways, slices, partitions, clockHz,
        sliceBytesPerCycle, hitPs, tagPs, fillPs, mshrsPerSlice, targetsPerMshr, inputQueue,
        writePolicy, replacement, seed, memoryPathBandwidth, memorySourceId);
  }

  public LlcParams withMshrs(int mshrs, int targets, int queue) {
    return new LlcParams(capacityBytes, lineBytes, sectorBytes, ways, slices, partitions, clockHz,
        sliceBytesPerCycle, hitLatencyPs, tagLatencyPs, fillLatencyPs, mshrs, targets, queue,
        writePolicy, replacement, seed, memoryPathBandwidth, memorySourceId);
  }

  public LlcParams withReplacement(String name, long newSeed) {
    return new LlcParams(capacityBytes, lineBytes, sectorBytes, ways, slices, partitions, clockHz,
        sliceBytesPerCycle, hitLatencyPs, tagLatencyPs, fillLatencyPs, mshrsPerSlice,
        targetsPerMshr, inputQueue, writePolicy, name, newSeed, memoryPathBandwidth,
        memorySourceId);
  }

  public LlcParams withWritePolicy(WritePolicy policy) {
    return new LlcParams(capacityBytes, lineBytes, sectorBytes, ways, slices, partitions, clockHz,
        sliceBytesPerCycle, hitLatencyPs, tagLatencyPs, fillLatencyPs, mshrsPerSlice,
        targetsPerMshr, inputQueue, policy, replacement, seed, memoryPathBandwidth,
        memorySourceId);
  }

  public LlcParams withSliceBandwidth(int bytesPerCycle) {
    return new LlcParams(capacityBytes, lineBytes, sectorBytes, ways, slices, partitions, clockHz,
        bytesPerCycle, hitLatencyPs, tagLatencyPs, fillLatencyPs, mshrsPerSlice, targetsPerMshr,
        inputQueue, writePolicy, replacement, seed, memoryPathBandwidth, memorySourceId);
  }

  public LlcParams withMemoryPathBandwidth(double bytesPerSecond) {
    return new LlcParams(capacityBytes, lineBytes, sectorBytes, ways, slices, partitions, clockHz,
        sliceBytesPerCycle, hitLatencyPs, tagLatencyPs, fillLatencyPs, mshrsPerSlice,
        targetsPerMshr, inputQueue, writePolicy, replacement, seed, bytesPerSecond,
        memorySourceId);
  }

  /** Picoseconds of {@code cycles} cycles at {@code hz}, rounded to the nearest ps. */
  public static long cyclesToPs(double cycles, double hz) {
    return Math.round(cycles * 1e12 / hz);
  }

  private static boolean isPowerOfTwo(int v) {
    return v > 0 && (v & (v - 1)) == 0;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
