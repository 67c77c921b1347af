package org.dsasim.mem.system;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The h200 preset against the H200 measurements: the load-to-use ladder of
 * {@code calibration/h200/latency.csv} within 10 % at every footprint.
 */
class H200LadderTest {
  /**
   * Timed hops per footprint: the means are steady to a fraction of a percent (the spread of a
   * hop's latency comes from the ~5 % of DRAM reads that wait for a refresh).
   */
  private static final long HOPS = 2_000;

  @Test
  void chaseReproducesTheMeasuredLadderWithinTenPercent() {
    Path csv = Path.of(System.getProperty("dsasim.repo.root", "."), "..", "shared",
        "calibration", "h200", "latency.csv");
    assumeTrue(Files.isReadable(csv), "no measured ladder at " + csv);
    HierarchyParams h200 = HierarchyParams.preset("h200");
    List<LatencyLadder.Rung> rungs = LatencyLadder.readCsv(csv);
    assertTrue(rungs.size() >= 10, "the measured ladder has " + rungs.size() + " rows");
    List<String> outside = new ArrayList<>();
    StringBuilder table = new StringBuilder();
    for (LatencyLadder.Rung rung : rungs) {
      LatencyLadder.Result r = LatencyLadder.run(h200, rung, HOPS, 1);
      table.append(String.format("%d MiB: simulated %.1f ns, measured %.1f ns (%+.1f%%)%n",
          rung.footprintBytes() >> 20, r.simulatedNs(), rung.measuredNs(), 100 * r.error()));
      if (Math.abs(r.simulatedNs() - rung.measuredNs()) > 0.10 * rung.measuredNs()) {
        outside.add((rung.footprintBytes() >> 20) + " MiB");
      }
    }
    assertTrue(outside.isEmpty(), "outside 10 %: " + outside + "\n" + table);
  }
}
