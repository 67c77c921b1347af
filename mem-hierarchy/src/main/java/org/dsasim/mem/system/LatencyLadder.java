package org.dsasim.mem.system;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dsasim.core.UserInputException;
import org.dsasim.core.io.CsvTable;

/**
 * The load-to-use latency ladder: a pointer chase ({@link Membench.Pattern#CHASE}, 8 B reads)
 * per footprint, optionally against measured values in the format of
 * {@code calibration/h200/latency.csv} ({@code footprint_mib,stride_bytes,hops,measured_ns_per_hop}).
 *
 * <p>Warm-up per footprint: one pass over the footprint's lines when it fits the LLC (what the
 * chase needs to reach its steady state: every line visited once, at the reuse distance of the
 * cycle), otherwise as many hops as are timed. A cyclic chase over more lines than the LLC holds
 * keeps nothing between two visits of a line under LRU replacement (the near partition sees every
 * line, the far one half of them, each more than it holds), so there the warm-up only has to
 * settle DRAM rows and refresh; with another replacement policy warm such footprints with
 * {@link Membench} and its default warm-up.
 */
public final class LatencyLadder {
  private LatencyLadder() {}

  /** Bytes per chase read, as the measured kernel's 8 B pointer loads. */
  public static final int READ_BYTES = 8;

  /** Footprints of the default ladder, in MiB. */
  public static final long[] DEFAULT_FOOTPRINTS_MIB = {
    1, 4, 16, 24, 28, 32, 40, 48, 56, 64, 96, 128, 512, 2048, 8192};

  /**
   * One footprint.
   *
   * @param footprintBytes the chase's footprint
   * @param measuredNs the measured ns per hop, or NaN when there is none
   */
  public record Rung(long footprintBytes, double measuredNs) {}

  /**
   * One simulated footprint.
   *
   * @param footprintBytes the chase's footprint
   * @param simulatedNs the mean simulated load-to-use latency
   * @param measuredNs the measured latency, or NaN
   * @param hops timed hops
   * @param warmupHops hops before timing
   */
  public record Result(
      long footprintBytes, double simulatedNs, double measuredNs, long hops, long warmupHops) {
    /** Relative error of the simulation against the measurement (NaN without one). */
    public double error() {
      return simulatedNs / measuredNs - 1;
    }
  }

  /** The default footprints, with no measurements. */
  public static List<Rung> defaultRungs() {
    List<Rung> rungs = new ArrayList<>();
    for (long mib : DEFAULT_FOOTPRINTS_MIB) {
      rungs.add(new Rung(mib << 20, Double.NaN));
    }
    return rungs;
  }

  /**
   * Reads a measured ladder: a header naming at least {@code footprint_mib} and
   * {@code measured_ns_per_hop}, then one row per footprint.
   *
   * @throws UserInputException naming the file, line and column of a mistake
   */
  public static List<Rung> readCsv(Path file) {
    List<Rung> rungs = new ArrayList<>();
    CsvTable table = CsvTable.read(file, "latency ladder").require(COLUMNS);
    for (CsvTable.Row row : table.rows()) {
      double mib = row.positive("footprint_mib");
      long bytes = Math.round(mib * (1 << 20));
      if (bytes % 128 != 0) {
        throw row.error("footprint_mib", "a multiple of 128 B");
      }
      rungs.add(new Rung(bytes, row.positive("measured_ns_per_hop")));
    }
    return rungs;
  }

  private static final List<String> COLUMNS = List.of("footprint_mib", "measured_ns_per_hop");

  /** The warm-up of a footprint (see the class description). */
  public static long warmupHops(HierarchyParams params, long footprintBytes, long hops) {
    long llc = params.cache().llc().capacityBytes();
    return footprintBytes <= llc ? footprintBytes / params.cache().llc().lineBytes() : hops;
  }

  /** Chases through one footprint: {@code hops} timed hops after the warm-up. */
  public static Result run(HierarchyParams params, Rung rung, long hops, long seed) {
    long warmup = warmupHops(params, rung.footprintBytes(), hops);
    Membench.Result r = Membench.run(params, new Membench.Spec(Membench.Pattern.CHASE, hops,
        READ_BYTES, rung.footprintBytes(), 1.0, seed, warmup));
    return new Result(rung.footprintBytes(), r.latencyMeanNs(), rung.measuredNs(), hops, warmup);
  }

  /** Runs every rung in order. */
  public static List<Result> run(HierarchyParams params, List<Rung> rungs, long hops, long seed) {
    List<Result> out = new ArrayList<>();
    for (Rung rung : rungs) {
      out.add(run(params, rung, hops, seed));
    }
    return out;
  }
}
