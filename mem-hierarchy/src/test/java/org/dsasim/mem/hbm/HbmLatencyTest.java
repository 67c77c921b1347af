package org.dsasim.mem.hbm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Link;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
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

  /** Sends single requests at chosen times and records each response's latency. */
  private static final class Probe extends Component {
    final Messages messages = new Messages();
    final HbmMemory hbm;
    final Port out;
    long lastLatency = -1;

    Probe(Simulator sim, HbmConfig config) {
      super(sim, "probe");
      hbm = new HbmMemory(sim, messages, "hbm", config);
      out = addPort("out", (at, m) -> {});
      Port in = addPort("in", (at, m) -> {
        lastLatency = sim.now() - messages.created(m);
        messages.release(m);
      });
      Link.connect(sim, messages, out, hbm.port("req"), 0, Double.POSITIVE_INFINITY);
      hbm.connectRequester(0, in, 0, Double.POSITIVE_INFINITY);
    }

    /** Reads 32 B at {@code addr} at time {@code at} and returns the latency once it is back. */
    long readAt(long addr, long at) {
      sim.scheduleAt(at, 0, (k, a) -> {
        if (!hbm.tryReserve(addr, 32, false)) {
          throw new AssertionError("idle device refused a request");
        }
        out.send(messages.acquire(addr, 32, Messages.READ, 0, 0, 0, sim.now()));
      }, 0, 0);
      lastLatency = -1;
      sim.run();
      return lastLatency;
    }

    /**
     * Reads at the clock edge 1000 cycles after the last activity (so that no earlier command
     * constrains it) and returns the latency minus the frontend latency, in cycles.
     */
    long readCycles(long addr, ClockDomain ck) {
      long start = ck.cyclesAt(sim.now()) + 1000;
      long latency = readAt(addr, ck.ticks(start)) - FRONTEND_PS;
      long end = ck.cyclesAt(ck.ticks(start) + latency);
      assertEquals(ck.ticks(end), ck.ticks(start) + latency, "responses leave on a clock edge");
      return end - start;
    }
  }

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

    assertEquals(rcd + cl + bl, probe.readCycles(a, ck), preset + ": closed bank");
    assertEquals(cl + bl, probe.readCycles(sameRow, ck), preset + ": row hit");
    assertEquals(rp + rcd + cl + bl, probe.readCycles(otherRow, ck), preset + ": row conflict");
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
    assertEquals(miss, probe.readCycles(0, ck));
    // the same row again: precharged meanwhile, so a miss, not a hit
    assertEquals(miss, probe.readCycles(32, ck));
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
