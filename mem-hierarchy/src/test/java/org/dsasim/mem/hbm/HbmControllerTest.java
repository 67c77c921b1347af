package org.dsasim.mem.hbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Link;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
import org.dsasim.core.time.ClockDomain;
import org.dsasim.core.time.Time;
import org.dsasim.mem.hbm.ControllerParams.RefreshMode;
import org.junit.jupiter.api.Test;

/** Scheduling policy, flow control, write draining and determinism of the controllers. */
class HbmControllerTest {
  private static HbmConfig noRefresh(String preset, String scheduler) {
    HbmConfig c = HbmConfig.preset(preset);
    return c.withController(c.controller().withRefresh(RefreshMode.NONE).withScheduler(scheduler)
        .withFrontendLatencyPs(0));
  }

  /** Two addresses in the same bank and pseudo-channel as {@code a}, in other rows. */
  private static long otherRow(AddressMapping m, long a) {
    long b = a + m.contiguousBytes();
    while (m.pseudoChannel(b) != m.pseudoChannel(a) || m.bank(b) != m.bank(a)
        || m.row(b) == m.row(a)) {
      b += m.contiguousBytes();
    }
    return b;
  }

  /**
   * Row A open in a bank; an older request to row B of that bank and a younger one to row A
   * arrive together. FR-FCFS serves the younger hit first, at the idle hit latency; FCFS serves
   * them in order.
   */
  private static List<long[]> hitAfterConflict(String scheduler) {
    HbmConfig cfg = noRefresh("hbm3", scheduler);
    Simulator sim = new Simulator();
    Probe p = new Probe(sim, cfg);
    AddressMapping m = p.hbm.mapping();
    ClockDomain ck = cfg.timing().clock();
    long rowA = 0;
    long rowB = otherRow(m, rowA);
    p.read(rowA, 0, ck.ticks(100)); // opens row A
    p.read(rowB, 1, ck.ticks(1000)); // older: conflict
    p.read(rowA + 32, 2, ck.ticks(1000)); // younger: hit
    sim.run();
    return p.done;
  }

  @Test
  void frFcfsServesRowHitsBeforeOlderConflicts() {
    HbmTiming t = noRefresh("hbm3", "frfcfs").timing();
    List<long[]> fr = hitAfterConflict("frfcfs");
    assertEquals(3, fr.size());
    assertEquals(2, fr.get(1)[0], "the hit comes back first");
    assertEquals(1, fr.get(2)[0]);
    long hitLatency = fr.get(1)[1] - t.clock().ticks(1000);
    assertEquals(t.clock().ticks(1000 + t.readDataCycles()) - t.clock().ticks(1000), hitLatency,
        "the hit is served at the idle row-hit latency");

    List<long[]> inOrder = hitAfterConflict("fcfs");
    assertEquals(1, inOrder.get(1)[0], "fcfs serves the older conflict first");
    assertEquals(2, inOrder.get(2)[0]);
  }

  @Test
  void queuesAreBoundedAndRequestersWaitForSpace() {
    HbmConfig base = noRefresh("hbm3", "frfcfs");
    HbmConfig cfg = base.withController(base.controller().withQueues(16, 16, 12, 4));
    Traffic t = new Traffic(cfg);
    AddressMapping m = t.hbm.mapping();
    // everything to pseudo-channel 0, far more requests in flight than its queue holds
    List<Long> pc0 = new ArrayList<>();
    for (long a = 0; pc0.size() < 4096; a += 64) {
      if (m.pseudoChannel(a) == 0) {
        pc0.add(a);
      }
    }
    Requester r = t.add(n -> pc0.get((int) (n * 7919 % pc0.size())), 64, 3000, 500, 4);
    t.run(Time.MS);
    HbmStats s = t.hbm.stats();
    assertTrue(r.refusals > 0, "the requester was pushed back");
    assertTrue(s.peakReadQueue() <= 16 && s.peakWriteQueue() <= 16, s.toString());
    assertEquals(16, s.peakReadQueue(), "the read queue filled up");
    assertEquals(3000 - 3000 / 4, s.readRequests());
    assertEquals(3000 / 4, s.writeRequests());
  }

  /** A component with one output port, to push single messages into the device. */
  private static final class Source extends Component {
    final Port out;

    Source(Simulator sim, Messages messages, HbmMemory hbm) {
      super(sim, "source");
      out = addPort("out", (at, m) -> {});
      Link.connect(sim, messages, out, hbm.port("req"), 0, Double.POSITIVE_INFINITY);
    }
  }

  @Test
  void reservationProtocolIsEnforced() {
    HbmConfig base = noRefresh("hbm3", "frfcfs");
    HbmConfig cfg = base.withController(base.controller().withQueues(8, 8, 6, 2));
    Simulator sim = new Simulator();
    Messages messages = new Messages();
    HbmMemory hbm = new HbmMemory(sim, messages, "hbm", cfg);
    Source src = new Source(sim, messages, hbm);
    assertTrue(hbm.tryReserve(0, 128, false), "4 bursts");
    assertTrue(hbm.tryReserve(0, 128, false), "8 bursts");
    assertFalse(hbm.tryReserve(0, 32, false), "full");
    assertFalse(hbm.tryReserve(64, 32, false), "same pseudo-channel, still full");
    assertTrue(hbm.tryReserve(0, 32, true), "the write queue is separate");

    long pc1 = 0;
    while (hbm.mapping().pseudoChannel(pc1) != 1) {
      pc1 += hbm.contiguousBytes();
    }
    assertTrue(hbm.tryReserve(pc1, 32, false), "other pseudo-channels have their own queues");

    long unreserved = pc1 + 32 * 2;
    src.out.send(messages.acquire(unreserved, 64, Messages.READ, 0, 0, 0, 0));
    String e = assertThrows(IllegalStateException.class, sim::run).getMessage();
    assertTrue(e.contains("tryReserve"), e);

    long blockEnd = hbm.contiguousBytes() - 32;
    src.out.send(messages.acquire(blockEnd, 64, Messages.READ, 0, 0, 0, sim.now()));
    e = assertThrows(IllegalArgumentException.class, sim::run).getMessage();
    assertTrue(e.contains(hbm.contiguousBytes() + " B"), e);
  }

  /**
   * Reads always waiting, writes arriving too: writes are served in batches from the high
   * watermark down to the low one, so every run of WR commands between reads is at least
   * high - low bursts long.
   */
  @Test
  void writesDrainInBatchesBetweenWatermarks() {
    for (int[] marks : new int[][] {{48, 16}, {24, 20}}) {
      HbmConfig base = noRefresh("hbm3", "frfcfs");
      HbmConfig cfg = base.withController(base.controller().withQueues(64, 64, marks[0],
          marks[1]));
      Traffic t = new Traffic(cfg);
      CommandLog log = new CommandLog();
      t.hbm.controller(0).setCommandObserver(log);
      AddressMapping m = t.hbm.mapping();
      List<Long> pc0 = new ArrayList<>();
      for (long a = 0; pc0.size() < 4096; a += 64) {
        if (m.pseudoChannel(a) == 0) {
          pc0.add(a);
        }
      }
      for (int r = 0; r < 4; r++) {
        long seed = r;
        t.add(n -> pc0.get((int) ((n * 7919 + seed * 104729) % pc0.size())), 64, 1500, 64, 2);
      }
      t.run(Time.MS);
      List<Integer> runs = new ArrayList<>();
      int run = 0;
      for (int i = 0; i < log.size; i++) {
        if (log.command[i] == HbmCommand.WR) {
          run++;
        } else if (log.command[i] == HbmCommand.RD && run > 0) {
          runs.add(run);
          run = 0;
        }
      }
      assertTrue(runs.size() > 5, "several write batches: " + runs);
      // the first batch may start below the high watermark (no reads queued yet)
      for (int k = 1; k < runs.size(); k++) {
        assertTrue(runs.get(k) >= marks[0] - marks[1],
            "watermarks " + marks[0] + "/" + marks[1] + ": write batches " + runs);
      }
    }
  }

  private static long runDigest(long seed) {
    HbmConfig cfg = HbmTimingComplianceTest.small("hbm3");
    Traffic t = new Traffic(cfg);
    CommandLog log = new CommandLog();
    t.hbm.setCommandObserver(log);
    for (int r = 0; r < 4; r++) {
      t.add(Traffic.random(seed + r, 1L << 24, 64), 64, 1000, 32, 3);
    }
    t.run(Time.MS);
    HbmStats s = t.hbm.stats();
    return log.digest() * 31 + s.hashCode() * 17L + t.sim.now();
  }

  @Test
  void runsAreDeterministic() {
    assertEquals(runDigest(5), runDigest(5));
    assertNotEquals(runDigest(5), runDigest(6));
  }
}
