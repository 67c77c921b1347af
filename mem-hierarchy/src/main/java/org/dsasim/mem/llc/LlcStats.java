package org.dsasim.mem.llc;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The LLC's counters per traffic class, in one {@code long} array.
 *
 * <p>Every access falls in exactly one of {@code hits}, {@code misses}, {@code sector_misses},
 * {@code merged_misses}, so {@code accesses} is their sum:
 *
 * <ul>
 *   <li>{@code hits}: every requested sector present ({@code reserved_hits} when the reservation
 *       or the persisting set-aside served it, {@code shared_hits} otherwise);
 *   <li>{@code misses}: the line was neither present, resident in the reservation, nor in flight
 *       (a new fetch from memory);
 *   <li>{@code sector_misses}: the line (or the unit) was present or in flight, but some requested
 *       sectors were neither present nor in flight (a new fetch for those);
 *   <li>{@code merged_misses}: every missing sector was already in flight (no new fetch).
 * </ul>
 *
 * A write that misses counts as a miss (it fetches nothing). Evictions and write-backs are
 * counted in the class that filled the line evicted; bytes in the class of the request.
 */
public final class LlcStats {
  public static final int ACCESSES = 0;
  public static final int HITS = 1;
  public static final int RESERVED_HITS = 2;
  public static final int SHARED_HITS = 3;
  public static final int MISSES = 4;
  public static final int SECTOR_MISSES = 5;
  public static final int MERGED_MISSES = 6;
  /** Misses that found no frame they could take and went uncached. */
  public static final int BYPASSES = 7;
  /** Times a request waited at the head of its slice's queue for an MSHR or a target. */
  public static final int STALLS = 8;
  public static final int EVICTIONS = 9;
  /** Dirty lines (or dirty runs of a reserved unit) written back. */
  public static final int WRITEBACKS = 10;
  public static final int READ_BYTES = 11;
  public static final int WRITE_BYTES = 12;
  /** Bytes fetched from memory. */
  public static final int FILL_BYTES = 13;
  /** Bytes of dirty data written back to memory. */
  public static final int WRITEBACK_BYTES = 14;
  /** Bytes of write misses sent on to memory (no-allocate, or bypassing). */
  public static final int WRITE_THROUGH_BYTES = 15;

  private static final List<String> NAMES = List.of(
      "accesses", "hits", "reserved_hits", "shared_hits", "misses", "sector_misses",
      "merged_misses", "bypasses", "stalls", "evictions", "writebacks", "read_bytes",
      "write_bytes", "fill_bytes", "writeback_bytes", "write_through_bytes");

  public static final int COUNTERS = 16;

  private final long[] values = new long[TrafficClass.COUNT * COUNTERS];

  void add(int trafficClass, int counter, long amount) {
    values[trafficClass * COUNTERS + counter] += amount;
  }

  /** One counter of one class. */
  public long get(int trafficClass, int counter) {
    return values[trafficClass * COUNTERS + counter];
  }

  /** One counter summed over classes. */
  public long total(int counter) {
    long sum = 0;
    for (int c = 0; c < TrafficClass.COUNT; c++) {
      sum += values[c * COUNTERS + counter];
    }
    return sum;
  }

  public static String counterName(int counter) {
    return NAMES.get(counter);
  }

  /**
   * Adds {@code <prefix>.<class>.<counter>} for every class and counter and
   * {@code <prefix>.total.<counter>} for the sums.
   */
  public void exportTo(String prefix, Map<String, Number> out) {
    for (int c = 0; c < TrafficClass.COUNT; c++) {
      String p = prefix + "." + TrafficClass.name(c) + ".";
      for (int k = 0; k < COUNTERS; k++) {
        out.put(p + NAMES.get(k), values[c * COUNTERS + k]);
      }
    }
    for (int k = 0; k < COUNTERS; k++) {
      out.put(prefix + ".total." + NAMES.get(k), total(k));
    }
  }

  public void reset() {
    Arrays.fill(values, 0);
  }
}
