package org.dsasim.mem.llc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Messages;
import org.dsasim.core.time.ClockDomain;
import org.dsasim.mem.hbm.AddressMapping;
import org.dsasim.mem.hbm.HbmConfig;
import org.dsasim.mem.hbm.HbmMemory;
import org.dsasim.mem.hbm.HbmStats;
import org.dsasim.mem.hbm.HbmTiming;
import org.dsasim.mem.hbm.TimingParam;
import org.dsasim.mem.testing.Requester;
import org.dsasim.mem.testing.Rig;
import org.junit.jupiter.api.Test;

/**
 * The HBM model as the LLC's memory, through its reserved-queue-space flow control, with refresh
 * on: runs end by themselves when the work is done.
 */
class LlcOverHbmTest {
  private static final long LINK_PS = 1_000;
  private static final long FRONTEND_PS = 20_000;

  /** An LLC over the hbm3 preset (per-bank refresh, open page), with a 20 ns frontend. */
  private static final class Setup {
    final Simulator sim = new Simulator();
    final Messages messages = new Messages();
    final LlcParams params = Rig.small(2, 8, 4).withMshrs(8, 4, 8);
    final LlcSystem system = new LlcSystem(sim, messages, "h", params, LlcScheme.none(), null,
        Rig.idealCrossbar(1));
    final HbmConfig config;
    final HbmMemory hbm;
    final Requester cu = new Requester(sim, "h.cu", messages, 0);

    Setup() {
      HbmConfig base = HbmConfig.preset("hbm3");
      config = base.withController(base.controller().withFrontendLatencyPs(FRONTEND_PS));
      hbm = new HbmMemory(sim, messages, "h.hbm", config);
      system.connectMemoryRequests(hbm.port("req"), hbm, LINK_PS, Double.POSITIVE_INFINITY);
      hbm.connectRequester(params.memorySourceId(), system.llc().memSide(), LINK_PS,
          Double.POSITIVE_INFINITY);
      system.connectGroup(0, cu.port());
      cu.useCredits(system.credits(0));
    }

    /** Reads {@code bytes} at {@code addr} at time {@code at}, runs to the end, the latency. */
    long readAt(long at, long addr, int bytes) {
      sim.run(Simulator.StopAt.time(at));
      int id = cu.read(addr, bytes, TrafficClass.WEIGHTS);
      assertEquals(Simulator.RunResult.DRAINED, sim.run());
      assertEquals(at, cu.sentAt(id));
      return cu.latency(id);
    }
  }

  /**
   * A miss costs the LLC's tag lookup, the link each way, the HBM read from the next clock edge
   * (row hit tCL + nBL, closed bank + tRCD, row conflict + tRP) plus its frontend, and the fill.
   */
  @Test
  void missLatencyIsTheLlcMissPathPlusTheHbmTimingSum() {
    Setup s = new Setup();
    HbmTiming t = s.config.timing();
    ClockDomain ck = t.clock();
    int cl = t.get(TimingParam.CL);
    int rcd = t.get(TimingParam.RCD_RD);
    int rp = t.get(TimingParam.RP);
    int bl = t.burst();
    long interval = t.perBankRefreshInterval(s.config.organization());
    AddressMapping map = s.hbm.mapping();
    long line = 128;
    // two lines in one bank of pseudo-channel 0, in different rows
    long a = 0;
    long b = a + line;
    while (map.pseudoChannel(b) != map.pseudoChannel(a) || map.bank(b) != map.bank(a)
        || map.row(b) == map.row(a)) {
      b += line;
    }
    // each read starts 20 cycles after a refresh falls due, at least a round after its bank's
    // (bank 0's first refresh is the first of all, at one interval), and is done before the next
    // refresh is due, so no refresh is in its way
    long[] starts = new long[4];
    for (int k = 0; k < starts.length; k++) {
      starts[k] = ck.ticks((k + 3) * interval + 20);
    }
    long closed = rcd + cl + bl;
    long hit = cl + bl;
    long conflict = rp + rcd + cl + bl;
    assertEquals(expectedMiss(s, ck, starts[0], closed), s.readAt(starts[0], a, 32),
        "closed bank");
    assertEquals(expectedMiss(s, ck, starts[1], hit), s.readAt(starts[1], a + 32, 32),
        "next sector of the line: the row is open");
    assertEquals(s.params.hitLatencyPs(), s.readAt(starts[2], a, 32), "LLC hit");
    assertEquals(expectedMiss(s, ck, starts[3], conflict), s.readAt(starts[3], b, 32),
        "another row of the bank");
    assertEquals(0, s.sim.pending());
    assertEquals(0, s.messages.live());
  }

  private static long expectedMiss(Setup s, ClockDomain ck, long start, long dramCycles) {
    long atHbm = start + s.params.tagLatencyPs() + LINK_PS;
    long edge = ck.cyclesAt(atHbm);
    if (ck.ticks(edge) < atHbm) {
      edge++;
    }
    long dataBack = ck.ticks(edge + dramCycles) + FRONTEND_PS + LINK_PS;
    return dataBack + s.params.fillLatencyPs() - start;
  }

  @Test
  void everyFillAndWriteBackReachesTheHbmAndEveryRequestIsAnswered() {
    Setup s = new Setup();
    for (int i = 0; i < 300; i++) {
      s.cu.read(i % 90 * 128L, 128, TrafficClass.WEIGHTS);
      s.cu.write((500 + i) * 128L + 16, 96, TrafficClass.WEIGHTS); // dirty, written back later
    }
    assertEquals(Simulator.RunResult.DRAINED, s.sim.run());
    assertEquals(600, s.cu.answered());
    HbmStats h = s.hbm.stats();
    LlcStats llc = s.system.llc().stats();
    assertEquals(llc.total(LlcStats.FILL_BYTES), h.readBursts() * s.hbm.accessBytes());
    assertEquals(llc.total(LlcStats.WRITEBACK_BYTES), h.writeBursts() * s.hbm.accessBytes());
    assertTrue(h.writeBursts() > 0);
    assertTrue(h.refreshes() > 0, "refresh ran while the traffic did");
    assertEquals(0, s.messages.live());
  }
}
