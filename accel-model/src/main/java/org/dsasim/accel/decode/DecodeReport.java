package org.dsasim.accel.decode;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dsasim.accel.config.AccelKeys;
import org.dsasim.accel.memory.MemoryStats;
import org.dsasim.accel.memory.ServedBy;
import org.dsasim.core.config.Config;
import org.dsasim.core.stats.Percentiles;

/**
 * The numbers a decode run reports, derived from a {@link DecodeSimulation.Result}: step-time
 * percentiles, tokens per second, hit rates, HBM bandwidth, bytes per level, stalls in cycles and
 * energy. Plain maps (insertion-ordered) so that they print as a table and serialise as JSON.
 */
public final class DecodeReport {
  private DecodeReport() {}

  /** The summary of {@code r}; {@code wallSeconds} is the simulation's own run time. */
  public static Map<String, Object> summary(DecodeSimulation.Result r, Config cfg,
      double wallSeconds) {
    Map<String, Object> out = new LinkedHashMap<>();
    double[] sorted = r.stepUs().clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("p50", Percentiles.linear(sorted, n, 0.50));
    step.put("p90", Percentiles.linear(sorted, n, 0.90));
    step.put("p99", Percentiles.linear(sorted, n, 0.99));
    step.put("max", sorted[n - 1]);
    step.put("mean", Arrays.stream(sorted).average().orElse(0));
    out.put("model", r.model().name());
    out.put("batch", r.options().batch());
    out.put("context", r.options().context());
    out.put("mode", r.options().fused() ? "fused" : "graph");
    out.put("reservation_bytes", r.options().reservationBytes());
    out.put("measured_steps", n);
    out.put("decode_step_us", step);
    double meanUs = (double) step.get("mean");
    out.put("tokens_per_s", meanUs > 0 ? r.options().batch() * 1e6 / meanUs : 0);

    MemoryStats m = r.memory();
    Map<String, Object> hit = new LinkedHashMap<>();
    hit.put("reserved", m.reservedHitRate());
    hit.put("shared", m.sharedHitRate());
    out.put("llc_hit_rate", hit);
    double seconds = r.measuredPs() / 1e12;
    double hbmBytes = m.hbmReadBytes + m.hbmWriteBytes;
    out.put("hbm_bandwidth_bytes_per_s", seconds > 0 ? hbmBytes / seconds : 0);
    out.put("hbm_utilization", m.hbmUtilization(r.measuredPs()));
    out.put("gathered_token_entries", r.gatheredEntries());

    Map<String, Object> bytes = new LinkedHashMap<>();
    bytes.put("llc_near", m.bytesByLevel[ServedBy.LLC_NEAR]);
    bytes.put("llc_far", m.bytesByLevel[ServedBy.LLC_FAR]);
    bytes.put("llc_reserved", m.bytesByLevel[ServedBy.LLC_RESERVED]);
    bytes.put("hbm_read", m.hbmReadBytes);
    bytes.put("hbm_write", m.hbmWriteBytes);
    out.put("bytes", bytes);

    double cyclePs = 1e12 / cfg.get(AccelKeys.CLOCK);
    Map<String, Object> stalls = new LinkedHashMap<>();
    r.stallPs().forEach((k, v) -> stalls.put(k, Math.round(v / cyclePs)));
    out.put("stall_cycles", stalls);

    int layers = r.model().layersPerGpu();
    Map<String, Object> phases = new LinkedHashMap<>();
    Map<String, Object> perLayer = new LinkedHashMap<>();
    r.phaseUs().forEach((k, v) -> {
      phases.put(k, v);
      perLayer.put(k, v / layers);
    });
    out.put("phase_us_per_step", phases);
    out.put("phase_us_per_layer", perLayer);

    double llcBytes = m.bytesByLevel[ServedBy.LLC_NEAR] + m.bytesByLevel[ServedBy.LLC_FAR]
        + m.bytesByLevel[ServedBy.LLC_RESERVED];
    Map<String, Object> energy = new LinkedHashMap<>();
    double llcJ = llcBytes * cfg.get(AccelKeys.ENERGY_LLC) * 1e-12;
    double hbmJ = hbmBytes * cfg.get(AccelKeys.ENERGY_HBM) * 1e-12
        + m.hbmActivations * cfg.get(AccelKeys.ENERGY_ACTIVATE) * 1e-12;
    double computeJ = r.computeFlops() * cfg.get(AccelKeys.ENERGY_FLOP) * 1e-12;
    energy.put("llc", llcJ);
    energy.put("hbm", hbmJ);
    energy.put("compute", computeJ);
    energy.put("total", llcJ + hbmJ + computeJ);
    energy.put("per_token", (llcJ + hbmJ + computeJ) / Math.max(1, (long) n * r.options().batch()));
    out.put("energy_j", energy);
    out.put("memory", r.memoryDescription());
    Map<String, Object> launches = new LinkedHashMap<>();
    launches.put("simulated", r.launches() - r.replayedLaunches());
    launches.put("replayed", r.replayedLaunches());
    out.put("kernel_launches", launches);
    out.put("wall_time_s", wallSeconds);
    out.put("simulated_entries", r.simulatedEntries());
    out.put("simulated_entries_per_wall_s",
        wallSeconds > 0 ? r.simulatedEntries() / wallSeconds : 0);
    return out;
  }
}
