package org.dsasim.mem.reservation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsasim.mem.llc.LlcScheme;
import org.dsasim.mem.llc.LlcStats;
import org.dsasim.mem.llc.TrafficClass;
import org.dsasim.mem.testing.Rig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Other traffic never evicts reserved entries; lent capacity is reclaimed when units need it. */
class ReservationIsolationTest {
  static final KvLayout LAYOUT = ReservationLruTest.LAYOUT;

  /** Reserved-hit outcome of each KV access of a fixed token sequence, with or without noise. */
  static boolean[] run(boolean lend, boolean noise) {
    Rig rig = Rig.simple(ReservationLruTest.LLC, LlcScheme.reservation("test",
        ReservationParams.tokenLru(ReservationLruTest.RESERVED).withLend(lend)), LAYOUT, 20_000);
    int[] tokens = ReservationLruTest.randomTokens(42, 1500, 3 * ReservationLruTest.CAPACITY);
    SplittableRandom r = new SplittableRandom(8);
    boolean[] hits = new boolean[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      if (noise) {
        // several non-KV requests (and KV-class requests outside the KV buffer) per KV access,
        // over a footprint 16 x the LLC, reads and writes, all in flight together
        for (int k = 0; k < 6; k++) {
          int cls = k == 5 ? TrafficClass.KV_GATHER : 1 + r.nextInt(3);
          long addr = (64L << 20) + r.nextInt(8192) * 128L + r.nextInt(4) * 32;
          rig.cu().request(addr, 32, r.nextInt(4) == 0 ? 1 : 0, cls);
        }
      }
      long before = rig.total(LlcStats.RESERVED_HITS);
      rig.readNow(LAYOUT.base() + (long) tokens[i] * 656, 16, TrafficClass.KV_GATHER);
      hits[i] = rig.total(LlcStats.RESERVED_HITS) > before;
    }
    if (noise) {
      assertTrue(rig.total(LlcStats.EVICTIONS) > 5000, "the noise churns the shared part");
      if (lend) {
        assertTrue(rig.llc.lentLines() > 0, "lending is exercised");
      }
    }
    assertEquals(0, rig.messages.live());
    return hits;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void nonKvTrafficNeverEvictsReservedEntries(boolean lend) {
    boolean[] quiet = run(lend, false);
    boolean[] noisy = run(lend, true);
    assertArrayEquals(quiet, noisy);
    int hits = 0;
    for (boolean h : quiet) {
      hits += h ? 1 : 0;
    }
    assertTrue(hits > 200, "the KV sequence hits the reservation: " + hits);
  }

  /** 1 slice, 4 sets, 8 ways; 2 KiB reserved = 16 frames = the top 4 ways of every set. */
  static Rig lendingRig(boolean lend, Retention retention) {
    return Rig.simple(Rig.small(1, 4, 8), LlcScheme.reservation("test",
        ReservationParams.tokenLru(2048).withLend(lend).withRetention(retention)), LAYOUT, 5_000);
  }

  static long weightsPass(Rig rig, boolean write) {
    long before = rig.total(LlcStats.HITS);
    for (int line = 0; line < 32; line++) { // 8 lines per set, 4 sets
      if (write) {
        rig.writeNow(line * 128L, 128, TrafficClass.WEIGHTS);
      } else {
        rig.readNow(line * 128L, 128, TrafficClass.WEIGHTS);
      }
    }
    return rig.total(LlcStats.HITS) - before;
  }

  @Test
  void withoutLendingOtherTrafficKeepsToTheSharedWays() {
    Rig rig = lendingRig(false, Retention.LRU);
    weightsPass(rig, false);
    assertEquals(0, weightsPass(rig, false), "8 lines cycling through 4 ways never hit");
    assertEquals(0, rig.llc.lentLines());
  }

  @Test
  void lentFramesServeOtherTrafficUntilUnitsReclaimThem() {
    Rig rig = lendingRig(true, Retention.PREVIOUS_STEP);
    assertEquals(3, rig.llc.reservation().capacityUnits()); // 16 x 4 sectors / 21
    weightsPass(rig, true); // dirty weights fill all 8 ways of every set
    assertEquals(32, weightsPass(rig, false));
    assertEquals(16, rig.llc.lentLines());

    // slot 0 spans carved sectors 0..20, frames 0..5; slot 1 frames 5..10; slot 2 frames 10..15
    long reclaimedBefore = rig.memory.writeBytes();
    rig.readNow(LAYOUT.base(), 16, TrafficClass.KV_GATHER);
    assertEquals(6, stat(rig, "system.llc.reservation.reclaimed_lines"));
    assertEquals(10, rig.llc.lentLines());
    assertEquals(6 * 128, rig.memory.writeBytes() - reclaimedBefore, "dirty lent lines written back");
    rig.readNow(LAYOUT.base() + 656, 16, TrafficClass.KV_GATHER);
    rig.readNow(LAYOUT.base() + 2 * 656, 16, TrafficClass.KV_GATHER);
    assertEquals(16, stat(rig, "system.llc.reservation.reclaimed_lines"));
    assertEquals(0, rig.llc.lentLines());
    assertEquals(16 * 128, rig.memory.writeBytes() - reclaimedBefore);
    assertEquals(16, weightsPass(rig, false), "weights are back to the 4 shared ways of each"
        + " set: the 4 lines per set still there hit, the 4 reclaimed ones miss");

    // the units expire (not touched for a step) and their frames may be lent again
    rig.llc.endDecodeStep();
    rig.llc.endDecodeStep();
    assertEquals(0, rig.llc.reservation().occupancyUnits());
    weightsPass(rig, false);
    assertEquals(32, weightsPass(rig, false));
    assertEquals(16, rig.llc.lentLines());
  }

  static long stat(Rig rig, String name) {
    Map<String, Number> out = new LinkedHashMap<>();
    rig.llc.exportStats("system.llc", out);
    return out.get(name).longValue();
  }
}
