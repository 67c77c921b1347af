package org.dsasim.mem.llc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Messages;
import org.dsasim.mem.hbm.HbmConfig;
import org.dsasim.mem.hbm.HbmMemory;
import org.dsasim.mem.hbm.HbmStats;
import org.dsasim.mem.testing.Requester;
import org.dsasim.mem.testing.Rig;
import org.junit.jupiter.api.Test;

/** The HBM model as the LLC's memory, through its reserved-queue-space flow control. */
class LlcOverHbmTest {
  @Test
  void everyFillAndWriteBackReachesTheHbmAndEveryRequestIsAnswered() {
    LlcParams p = Rig.small(2, 8, 4).withMshrs(8, 4, 8);
    Simulator sim = new Simulator();
    Messages messages = new Messages();
    LlcSystem system = new LlcSystem(sim, messages, "h", p, LlcScheme.none(), null,
        Rig.idealCrossbar(1));
    HbmMemory hbm = new HbmMemory(sim, messages, "h.hbm", HbmConfig.preset("h200"));
    system.connectMemoryRequests(hbm.port("req"), hbm, 1_000, Double.POSITIVE_INFINITY);
    hbm.connectRequester(p.memorySourceId(), system.llc().memSide(), 1_000,
        Double.POSITIVE_INFINITY);
    Requester cu = new Requester(sim, "h.cu", messages, 0);
    system.connectGroup(0, cu.port());
    cu.useCredits(system.credits(0));
    for (int i = 0; i < 300; i++) {
      cu.read(i % 90 * 128L, 128, TrafficClass.WEIGHTS);
      cu.write((500 + i) * 128L + 16, 96, TrafficClass.WEIGHTS); // dirty, written back later
    }
    sim.run();
    assertEquals(600, cu.answered());
    HbmStats s = hbm.stats();
    LlcStats llc = system.llc().stats();
    assertEquals(llc.total(LlcStats.FILL_BYTES), s.readBursts() * hbm.accessBytes());
    assertEquals(llc.total(LlcStats.WRITEBACK_BYTES), s.writeBursts() * hbm.accessBytes());
    assertTrue(s.writeBursts() > 0);
    assertEquals(0, messages.live());
  }
}
