package org.dsasim.mem.hbm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dsasim.core.event.Simulator;
import org.dsasim.core.time.ClockDomain;
import org.dsasim.mem.hbm.ControllerParams.PagePolicy;
import org.dsasim.mem.hbm.ControllerParams.RefreshMode;
import org.junit.jupiter.api.Test;

/**
 * Refresh of an idle device: issued lazily, when the next request arrives, yet at the cycles the
 * event-driven schedule gives, so a request that arrives during tRFC still waits for it. Every
 * {@code sim.run()} here returns by itself: an idle device schedules no events.
 */
class HbmRefreshTest {
  private static final long FRONTEND_PS = 20_000;

  private static HbmConfig config(RefreshMode refresh) {
    HbmConfig c = HbmConfig.preset("hbm3");
    return c.withController(c.controller().withRefresh(refresh).withPagePolicy(PagePolicy.OPEN)
        .withFrontendLatencyPs(FRONTEND_PS));
  }

  /** The first address of pseudo-channel 0 in {@code bank}. */
  private static long addressInBank(AddressMapping map, int bank) {
    long a = 0;
    while (map.pseudoChannel(a) != 0 || map.bank(a) != bank) {
      a += map.contiguousBytes();
    }
    return a;
  }

  /** Latency of a read to a closed bank whose ACT can issue at cycle {@code act}. */
  private static long missLatency(HbmTiming t, long act, long arrivalPs) {
    ClockDomain ck = t.clock();
    long done = act + t.get(TimingParam.RCD_RD) + t.get(TimingParam.CL) + t.burst();
    return ck.ticks(done) + FRONTEND_PS - arrivalPs;
  }

  @Test
  void allBankRefreshDelaysAReadArrivingDuringTrfc() {
    HbmConfig cfg = config(RefreshMode.ALL_BANK);
    HbmTiming t = cfg.timing();
    ClockDomain ck = t.clock();
    long refi = t.get(TimingParam.REFI);
    long rfc = t.get(TimingParam.RFC_AB);
    Simulator sim = new Simulator();
    Probe probe = new Probe(sim, cfg);
    // the first REFab issues at cycle tREFI (every controller starts its timer at 0)
    long arrival = ck.ticks(refi + 5);
    assertEquals(missLatency(t, refi + rfc, arrival), probe.readAt(0, arrival));
    assertEquals(0, sim.pending(), "an idle device leaves no events behind");
    assertEquals(cfg.organization().pseudoChannels(), probe.hbm.stats().refreshes(),
        "one REFab per pseudo-channel so far");
    // after tRFC the bank is free again: a plain miss (the row is open now, so use another bank)
    long later = ck.ticks(refi + rfc + 200);
    long other = addressInBank(probe.hbm.mapping(), 1);
    assertEquals(missLatency(t, ck.cyclesAt(later), later), probe.readAt(other, later));
  }

  @Test
  void perBankRefreshDelaysOnlyItsBank() {
    HbmConfig cfg = config(RefreshMode.PER_BANK);
    HbmTiming t = cfg.timing();
    ClockDomain ck = t.clock();
    long interval = t.perBankRefreshInterval(cfg.organization());
    long rfcPb = t.get(TimingParam.RFC_PB);
    long rrefd = t.get(TimingParam.RREFD);
    Simulator sim = new Simulator();
    Probe probe = new Probe(sim, cfg);
    AddressMapping map = probe.hbm.mapping();
    // the first REFpb issues at one interval, to the lowest closed bank: bank 0
    long arrival = ck.ticks(interval + 3);
    assertEquals(missLatency(t, interval + rfcPb, arrival),
        probe.readAt(addressInBank(map, 0), arrival));

    // another device, same moment, a bank not being refreshed: only tRREFD (REFpb -> ACT)
    Simulator sim2 = new Simulator();
    Probe probe2 = new Probe(sim2, cfg);
    assertEquals(missLatency(t, interval + rrefd, arrival),
        probe2.readAt(addressInBank(map, 1), arrival));
  }

  /**
   * After a long idle stretch the refreshes are issued in a batch; the read that arrives just
   * after bank j's refresh waits tRFCpb all the same, and the device counts every refresh due.
   * Idle and with all banks closed, the refreshes go round the banks in order: the i-th (from 0)
   * at cycle (i + 1) x interval to bank i mod banks.
   */
  @Test
  void aLongIdleStretchStillRefreshesOnScheduleWithOrWithoutACommandLog() {
    HbmConfig cfg = config(RefreshMode.PER_BANK);
    HbmTiming t = cfg.timing();
    ClockDomain ck = t.clock();
    int banks = cfg.organization().banksPerPseudoChannel();
    long interval = t.perBankRefreshInterval(cfg.organization());
    long i = 10L * banks + 5;
    long due = (i + 1) * interval;
    long arrival = ck.ticks(due + 3);
    long expected = missLatency(t, due + t.get(TimingParam.RFC_PB), arrival);
    for (boolean logged : new boolean[] {false, true}) {
      Simulator sim = new Simulator();
      Probe probe = new Probe(sim, cfg);
      CommandLog log = new CommandLog();
      if (logged) {
        probe.hbm.setCommandObserver(log);
      }
      long bank = i % banks;
      assertEquals(expected, probe.readAt(addressInBank(probe.hbm.mapping(), (int) bank),
          arrival), "logged " + logged);
      // every refresh due before now has issued, on every pseudo-channel (the statistics bring
      // the idle ones up to date)
      long refreshes = probe.hbm.stats().refreshes();
      long now = ck.cyclesAt(sim.now());
      long upTo = ck.ticks(now) < sim.now() ? now + 1 : now;
      long duePerChannel = (upTo - 1) / interval;
      assertEquals(duePerChannel * cfg.organization().pseudoChannels(), refreshes,
          "logged " + logged);
      if (logged) {
        // the first pseudo-channel's log: REFpb at every due cycle, banks in order
        int seen = 0;
        for (int k = 0; k < log.size; k++) {
          if (log.command[k] == HbmCommand.REFB && log.channel[k] == 0 && log.pc[k] == 0) {
            assertEquals(ck.ticks((seen + 1) * interval), log.time[k]);
            int flat = (log.sid[k] * cfg.organization().bankGroups() + log.bankGroup[k])
                * cfg.organization().banksPerGroup() + log.bank[k];
            assertEquals(seen % banks, flat);
            seen++;
          }
        }
        assertEquals(duePerChannel, seen);
      }
    }
  }
}
