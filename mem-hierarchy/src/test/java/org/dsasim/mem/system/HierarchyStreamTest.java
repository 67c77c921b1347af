package org.dsasim.mem.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dsasim.mem.hbm.HbmOrganization;
import org.junit.jupiter.api.Test;

/**
 * A sequential read stream through the whole h200 hierarchy (one requester port, its LLC
 * partition, the other partition for the lines it homes, the HBM) is limited by the HBM, not by
 * the path to it: it must reach nearly the bandwidth the HBM alone reaches (over 90 % of its peak,
 * {@code HbmBandwidthTest}).
 */
class HierarchyStreamTest {
  @Test
  void onePortStreamReachesNinetyPercentOfTheHbmPeak() {
    HierarchyParams params = HierarchyParams.preset("h200");
    // the peak from the organisation: every pseudo-channel's pins at the pin rate
    HbmOrganization org = params.hbm().organization();
    double pins = (double) org.stacks() * org.channelsPerStack() * org.pseudoChannelsPerChannel()
        * org.widthBits();
    double peak = pins * org.pinRateBitsPerSecond() / 8;
    assertEquals(4.8e12, peak, 1e6, "the h200 preset is the 4.8 TB/s part: 6144 pins x 6.25 Gb/s");

    // no warm-up: a cold LLC misses every line of the stream as a warm one does (its victims are
    // clean and cost nothing), and 200,000 reads of 128 B cover the HBM's loop many times over
    Membench.Result r = Membench.run(params, new Membench.Spec(Membench.Pattern.STREAM, 200_000,
        128, 256L << 20, 1.0, 1, 0));
    assertEquals(r.requests(), r.stats().get("system.p0.llc.total.misses").longValue(),
        "every read misses the LLC");
    double fraction = r.steadyBandwidthBytesPerSecond() / peak;
    String figures = String.format("steady %.3f TB/s = %.1f %% of %.2f TB/s; end to end %.3f TB/s,"
        + " read latency mean %.0f ns", r.steadyBandwidthBytesPerSecond() / 1e12, 100 * fraction,
        peak / 1e12, r.bandwidthBytesPerSecond() / 1e12, r.latencyMeanNs());
    assertTrue(fraction >= 0.90, figures);
    assertTrue(fraction <= 1.0, "above the peak: " + figures);
  }
}
