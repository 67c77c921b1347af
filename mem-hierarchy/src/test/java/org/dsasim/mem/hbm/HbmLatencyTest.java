package org.dsasim.mem.hbm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dsasim.core.event.Simulator;
import org.dsasim.core.time.ClockDomain;
import org.dsasim.mem.hbm.ControllerParams.PagePolicy;
import org.dsasim.mem.hbm.ControllerParams.RefreshMode;
import org.junit.jupiter.api.Test;

/**
 * Idle read latency against the timing sums: row hit tCL + nBL, closed bank tRCD + tCL + nBL,
 * row conflict tRP + tRCD + tCL + nBL, each plus the frontend latency.
 */
class HbmLatencyTest {
  private static final long FRONTEND_PS = 20_000;

  private static HbmConfig config(String preset, PagePolicy page) {
    HbmConfig c = HbmConfig.preset(preset);
    return c.withController(c.controller().withRefresh(RefreshMode.NONE).withPagePolicy(page)
        .withFrontendLatencyPs(FRONTEND_PS));
  }

  private static void checkIdleLatencies(String preset) {
    HbmConfig cfg = config(preset, PagePolicy.OPEN);
    HbmTiming t = cfg.timing();
    ClockDomain ck = t.clock();
    int cl = t.get(TimingParam.CL);
    int rcd = t.get(TimingParam.RCD_RD);
    int rp = t.get(TimingParam.RP);
    int bl = t.burst();

    Simulator sim = new Simulator();
    Probe probe = new Probe(sim, cfg);
    AddressMapping map = probe.hbm.mapping();
    long a = 0;
    // same pseudo-channel, bank and row as a, next column: the next 32 B
    long sameRow = 32;
    // same pseudo-channel and bank, another row: search upwards
    long otherRow = a + map.contiguousBytes();
    while (map.pseudoChannel(otherRow) != map.pseudoChannel(a) || map.bank(otherRow) != map.bank(a)
        || map.row(otherRow) == map.row(a)) {
      otherRow += map.contiguousBytes();
    }
    assertEquals(map.row(a), map.row(sameRow));

    assertEquals(rcd + cl + bl, probe.readCycles(a, ck, FRONTEND_PS), preset + ": closed bank");
    assertEquals(cl + bl, probe.readCycles(sameRow, ck, FRONTEND_PS), preset + ": row hit");
    assertEquals(rp + rcd + cl + bl, probe.readCycles(otherRow, ck, FRONTEND_PS),
        preset + ": row conflict");
  }

  @Test
  void idleReadLatencyEqualsTimingSumsHbm3() {
    checkIdleLatencies("hbm3");
  }

  @Test
  void idleReadLatencyEqualsTimingSumsH200() {
    checkIdleLatencies("h200");
  }

  @Test
  void idleReadLatencyEqualsTimingSumsWithAFractionalClockPeriod() {
    checkIdleLatencies("hbm3e"); // tCK = 416.67 ps: edges are rounded to the picosecond
  }

  @Test
  void closedPagePolicyMakesEveryIdleReadAMiss() {
    HbmConfig cfg = config("hbm3", PagePolicy.CLOSED);
    HbmTiming t = cfg.timing();
    ClockDomain ck = t.clock();
    Simulator sim = new Simulator();
    Probe probe = new Probe(sim, cfg);
    int miss = t.get(TimingParam.RCD_RD) + t.get(TimingParam.CL) + t.burst();
    assertEquals(miss, probe.readCycles(0, ck, FRONTEND_PS));
    // the same row again: precharged meanwhile, so a miss, not a hit
    assertEquals(miss, probe.readCycles(32, ck, FRONTEND_PS));
  }

  @Test
  void requestBetweenClockEdgesWaitsForTheNextEdge() {
    HbmConfig cfg = config("h200", PagePolicy.OPEN);
    HbmTiming t = cfg.timing();
    ClockDomain ck = t.clock();
    Simulator sim = new Simulator();
    Probe probe = new Probe(sim, cfg);
    long at = ck.ticks(1000) + 1; // 1 ps after an edge: the controller acts at the next edge
    int miss = t.get(TimingParam.RCD_RD) + t.get(TimingParam.CL) + t.burst();
    assertEquals(ck.ticks(1001 + miss) + FRONTEND_PS - at, probe.readAt(0, at));
  }
}
