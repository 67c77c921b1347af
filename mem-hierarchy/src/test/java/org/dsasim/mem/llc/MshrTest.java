package org.dsasim.mem.llc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.event.Simulator.StopAt;
import org.dsasim.core.port.Link;
import org.dsasim.core.port.Messages;
import org.dsasim.mem.interconnect.CrossbarParams;
import org.dsasim.mem.testing.Requester;
import org.dsasim.mem.testing.Rig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Miss merging, MSHR and target limits, back-pressure to the requester, no lost responses. */
class MshrTest {
  static final long MEMORY_PS = 100_000;

  @Test
  void secondaryMissesToTheSameSectorMergeIntoOneFetch() {
    Rig rig = Rig.simple(Rig.small(1, 4, 4), LlcScheme.none(), null, MEMORY_PS);
    int[] ids = new int[4];
    for (int i = 0; i < 4; i++) {
      ids[i] = rig.cu().read(64 + 8 * i, 8, TrafficClass.WEIGHTS); // all in sector 2
    }
    rig.drain();
    assertEquals(1, rig.total(LlcStats.MISSES));
    assertEquals(3, rig.total(LlcStats.MERGED_MISSES));
    assertEquals(1, rig.memory.reads());
    assertEquals(32, rig.memory.readBytes());
    // every waiter answers when the one fill arrives
    for (int i = 1; i < 4; i++) {
      assertEquals(rig.cu().answeredAt(ids[0]), rig.cu().answeredAt(ids[i]));
    }
    assertEquals(0, rig.messages.live());
  }

  @Test
  void otherSectorsOfALineInFlightAreSectorMissesWithTheirOwnFetch() {
    Rig rig = Rig.simple(Rig.small(1, 4, 4), LlcScheme.none(), null, MEMORY_PS);
    rig.cu().read(0, 32, TrafficClass.KV_GATHER); // sector 0: miss
    rig.cu().read(32, 64, TrafficClass.KV_GATHER); // sectors 1-2: sector miss, one fetch
    rig.cu().read(16, 32, TrafficClass.KV_GATHER); // sectors 0-1, both in flight: merged
    rig.cu().read(96, 32, TrafficClass.KV_GATHER); // sector 3: sector miss
    rig.drain();
    assertEquals(1, rig.total(LlcStats.MISSES));
    assertEquals(2, rig.total(LlcStats.SECTOR_MISSES));
    assertEquals(1, rig.total(LlcStats.MERGED_MISSES));
    assertEquals(3, rig.memory.reads());
    assertEquals(128, rig.memory.readBytes());
    rig.readNow(0, 128, TrafficClass.KV_GATHER);
    assertEquals(1, rig.total(LlcStats.HITS));
  }

  @ParameterizedTest
  @CsvSource({"2, 2, 2, 2", "1, 1, 1, 1", "4, 3, 8, 3"})
  void fullMshrsBackPressureTheRequesterWhichIsCalledBackAndLosesNothing(
      int mshrs, int targets, int queue, int groupBuffer) {
    LlcParams p = Rig.small(1, 8, 4).withMshrs(mshrs, targets, queue);
    CrossbarParams xbar = new CrossbarParams(1, 1_000, 1_000, 0, Double.POSITIVE_INFINITY,
        Double.POSITIVE_INFINITY, groupBuffer);
    Rig rig = new Rig(p, LlcScheme.none(), null, xbar, MEMORY_PS, Double.POSITIVE_INFINITY,
        0, Integer.MAX_VALUE);
    Requester cu = rig.cu();
    SplittableRandom r = new SplittableRandom(mshrs);
    int n = 300;
    for (int i = 0; i < n; i++) {
      // a few hot lines (merges up to the target limit) among many cold ones
      long line = r.nextInt(3) == 0 ? r.nextInt(3) : 100 + r.nextInt(400);
      if (r.nextInt(5) == 0) {
        cu.write(line * 128 + r.nextInt(4) * 32, 32, TrafficClass.OTHER);
      } else {
        cu.read(line * 128 + r.nextInt(4) * 32, 32, TrafficClass.OTHER);
      }
    }
    int maxMshrs = 0;
    while (rig.sim.pending() > 0) {
      rig.sim.run(StopAt.events(1));
      maxMshrs = Math.max(maxMshrs, rig.llc.mshrsInUse());
    }
    assertEquals(n, cu.sent());
    assertEquals(n, cu.answered(), "every request answered exactly once");
    assertEquals(mshrs, maxMshrs, "the MSHRs fill up and never overflow");
    assertTrue(cu.creditWaits > 0, "the requester ran out of credits");
    assertEquals(cu.creditWaits, cu.wakeups, "and was called back each time");
    assertTrue(rig.total(LlcStats.STALLS) > 0);
    assertEquals(n, rig.total(LlcStats.ACCESSES));
    assertEquals(0, rig.llc.mshrsInUse());
    assertEquals(0, rig.messages.live(), "no message leaked");
    assertEquals(rig.memory.readBytes(), rig.total(LlcStats.FILL_BYTES));
  }

  @Test
  void aMemoryWithReservedQueueSpaceIsNeverOverfilledNorSentCrossingRequests() {
    LlcParams p = Rig.small(2, 8, 4).withMshrs(8, 4, 8);
    Simulator sim = new Simulator();
    Messages messages = new Messages();
    LlcSystem system = new LlcSystem(sim, messages, "fc", p, LlcScheme.none(), null,
        Rig.idealCrossbar(1));
    FixedLatencyMemory memory =
        new FixedLatencyMemory(sim, "fc.mem", messages, MEMORY_PS, 50e9, 32, 3);
    system.connectMemoryRequests(memory.port(), memory, 1_000, Double.POSITIVE_INFINITY);
    Link.connect(sim, messages, memory.port(), system.llc().memSide(), 1_000,
        Double.POSITIVE_INFINITY);
    Requester cu = new Requester(sim, "fc.cu", messages, 0);
    system.connectGroup(0, cu.port());
    cu.useCredits(system.credits(0));
    for (int i = 0; i < 300; i++) {
      cu.read(i % 90 * 128L, 128, TrafficClass.WEIGHTS); // whole lines: 4 sectors, 4 requests
      cu.write((500 + i) * 128L + 16, 96, TrafficClass.WEIGHTS); // dirty, written back later
    }
    sim.run();
    assertEquals(600, cu.answered());
    assertEquals(3, memory.peakOutstanding());
    assertEquals(memory.readBytes(), system.llc().stats().total(LlcStats.FILL_BYTES));
    assertEquals(memory.writeBytes(), system.llc().stats().total(LlcStats.WRITEBACK_BYTES));
    assertEquals(memory.readBytes() / 32, memory.reads(), "one request per 32-B block");
    assertTrue(memory.writes() > 0);
    assertEquals(0, messages.live());
  }

  @Test
  void aMemoryThatLimitsRequestsInFlightBackPressuresTheLlc() {
    LlcParams p = Rig.small(2, 8, 4).withMshrs(8, 4, 8);
    long wire = 50_000;
    Rig rig = new Rig(p, LlcScheme.none(), null, Rig.idealCrossbar(1), MEMORY_PS,
        Double.POSITIVE_INFINITY, wire, 2);
    for (int i = 0; i < 200; i++) {
      rig.cu().read(i * 128L, 64, TrafficClass.WEIGHTS);
      rig.cu().write((1000 + i) * 128L, 64, TrafficClass.WEIGHTS); // dirty lines to write back
    }
    rig.drain();
    assertEquals(400, rig.cu().answered());
    assertEquals(200, rig.memory.reads());
    assertTrue(rig.memory.writes() > 0);
    assertEquals(rig.memory.writeBytes(), rig.total(LlcStats.WRITEBACK_BYTES));
    // at most two requests on the 50-ns wire at a time (the link refuses more)
    long requests = rig.memory.reads() + rig.memory.writes();
    assertTrue(rig.sim.now() >= requests / 2 * wire, "memory in-flight limit respected");
    assertEquals(0, rig.messages.live());
  }
}
