package org.dsasim.mem.interconnect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.dsasim.mem.llc.LlcScheme;
import org.dsasim.mem.llc.TrafficClass;
import org.dsasim.mem.testing.Requester;
import org.dsasim.mem.testing.Rig;
import org.junit.jupiter.api.Test;

class CrossbarTest {
  @Test
  void routesEveryResponseBackToItsGroupAndCountsCrossings() {
    CrossbarParams x = new CrossbarParams(4, 2_000, 2_000, 30_000, 50e9, 100e9, 3);
    Rig rig = new Rig(Rig.small(6, 16, 4).withMshrs(2, 2, 2), LlcScheme.none(), null, x,
        40_000, Double.POSITIVE_INFINITY, 0, Integer.MAX_VALUE);
    SplittableRandom r = new SplittableRandom(4);
    long far = 0;
    long data = 0;
    for (int i = 0; i < 2000; i++) {
      int g = r.nextInt(4);
      long addr = r.nextInt(4096) * 128L + r.nextInt(4) * 32;
      boolean write = r.nextInt(3) == 0;
      rig.requesters[g].request(addr, 32, write ? 1 : 0, TrafficClass.OTHER);
      far += x.partitionOfGroup(g, 2) != rig.llc.partitionOfSlice(rig.llc.sliceOf(addr)) ? 1 : 0;
      data += 32;
    }
    rig.drain();
    for (Requester cu : rig.requesters) {
      assertEquals(cu.queued(), cu.answered()); // a misrouted response fails in the requester
      assertTrue(cu.creditWaits > 0 && cu.wakeups == cu.creditWaits);
    }
    Map<String, Number> stats = rig.statsMap();
    assertEquals(2000L, stats.get("system.xbar.requests"));
    assertEquals(far, stats.get("system.xbar.far_requests"));
    assertEquals(data, stats.get("system.xbar.data_bytes"));
    assertEquals(0, rig.messages.live());
  }

  @Test
  void groupsSplitEvenlyBetweenPartitions() {
    CrossbarParams x = new CrossbarParams(6, 0, 0, 0, 1, 1, 1);
    int[] expected = {0, 0, 0, 1, 1, 1};
    for (int g = 0; g < 6; g++) {
      assertEquals(expected[g], x.partitionOfGroup(g, 2));
    }
  }

  @Test
  void creditsCallBackOnceTheyComeBackAndRefuseOverdraw() {
    Credits c = new Credits("c", 2);
    int[] calls = {0};
    c.onAvailable(() -> calls[0]++);
    c.take();
    c.take();
    assertTrue(!c.available());
    assertThrows(IllegalStateException.class, c::take);
    c.give();
    assertEquals(1, calls[0]);
    c.give();
    assertEquals(1, calls[0], "only the return from zero calls back");
    assertThrows(IllegalStateException.class, c::give);
  }
}
