package org.dsasim.mem.reservation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dsasim.mem.llc.LlcScheme;
import org.dsasim.mem.llc.LlcStats;
import org.dsasim.mem.llc.TrafficClass;
import org.dsasim.mem.testing.Rig;
import org.junit.jupiter.api.Test;

class TokenReservationTest {
  static final KvLayout LAYOUT = ReservationLruTest.LAYOUT;

  @Test
  void layoutMapsAddressesToTokensAndBack() {
    KvLayout l = new KvLayout(4096, 3, 5, 1000, 656);
    for (int s = 0; s < 3; s++) {
      for (int layer = 0; layer < 5; layer++) {
        for (int t : new int[] {0, 1, 63, 64, 999}) {
          long a = l.address(s, layer, t);
          for (long inside : new long[] {a, a + 655}) {
            long k = l.keyOf(inside);
            assertEquals(s, KvLayout.sequenceOf(k));
            assertEquals(layer, KvLayout.layerOf(k));
            assertEquals(t, KvLayout.tokenOf(k));
          }
          long page = l.unitKeyOf(a, 64);
          assertEquals(t / 64, KvLayout.tokenOf(page));
          assertEquals(l.address(s, layer, t / 64 * 64), l.unitAddress(page, 64));
        }
      }
    }
    assertEquals(4096 + 3L * 5 * 1000 * 656, 4096 + l.totalBytes());
    assertTrue(l.contains(4096) && !l.contains(4095) && !l.contains(4096 + l.totalBytes()));
    assertEquals((1000 - 960) * 656, l.unitBytes(l.unitKeyOf(l.address(0, 0, 999), 64), 64));
  }

  @Test
  void badParametersNameTheirKey() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new KvLayout(0, 0, 1, 1, 656)).getMessage().contains("kv.sequences"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ReservationParams.tokenLru(1 << 20).withAdmission("third-touch"))
        .getMessage().contains("llc.reservation.admission"));
    // 1 KiB reserved holds 1 unit: too few for a quota for each of 3 layers
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Rig.simple(Rig.small(1, 4, 8),
        LlcScheme.reservation("t", ReservationParams.tokenLru(1024).withSharing("per-layer")),
        LAYOUT, 1_000)).getMessage().contains("per-layer"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Rig.simple(Rig.small(1, 4, 8),
        LlcScheme.reservation("t", ReservationParams.tokenLru(1024)),
        new KvLayout(16, 1, 1, 10, 656), 1_000)).getMessage().contains("kv.base"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Rig.simple(Rig.small(1, 4, 8),
        LlcScheme.reservation("t", ReservationParams.tokenLru(4096)), LAYOUT, 1_000))
        .getMessage().contains("no normal way"));
  }

  @Test
  void writesUpdateResidentEntriesWhichAreWrittenBackWhenEvicted() {
    Rig rig = Rig.simple(ReservationLruTest.LLC, LlcScheme.reservation("t",
        ReservationParams.tokenLru(ReservationLruTest.RESERVED)), LAYOUT, 10_000);
    rig.readNow(LAYOUT.base(), 16, TrafficClass.KV_GATHER); // admit token 0
    long start = LAYOUT.base();
    for (long a = start; a < start + 656; ) { // rewrite the whole entry, line by line
      int bytes = (int) (Math.min(start + 656, (a / 128 + 1) * 128) - a);
      rig.writeNow(a, bytes, TrafficClass.KV_GATHER);
      a += bytes;
    }
    assertEquals(6, rig.total(LlcStats.RESERVED_HITS)); // the admitting read missed
    assertEquals(0, rig.memory.writes());
    // a write to an absent token does not enter the reservation
    rig.writeNow(LAYOUT.base() + 5 * 656, 32, TrafficClass.KV_GATHER);
    assertEquals(1, rig.llc.reservation().occupancyUnits());
    // push token 0 out: its 21 dirty sectors go back as one run per line (4+4+4+4+4+1)
    for (int t = 1; t <= ReservationLruTest.CAPACITY; t++) {
      rig.readNow(LAYOUT.base() + t * 656L, 16, TrafficClass.KV_GATHER);
    }
    assertEquals(21 * 32, rig.memory.writeBytes());
    assertEquals(6, rig.memory.writes());
    assertEquals(6, rig.llc.stats().get(TrafficClass.KV_GATHER, LlcStats.WRITEBACKS));
    assertEquals(0, rig.messages.live());
  }

  @Test
  void groupedLruKeepsOrderPerGroupAndReusesFreedSlotsFirst() {
    GroupedLru lru = new GroupedLru(4, 2);
    int a = lru.insert(10, 0);
    int b = lru.insert(11, 0);
    int c = lru.insert(20, 1);
    assertEquals(a, lru.lru(0));
    lru.touch(a);
    assertEquals(b, lru.lru(0));
    assertEquals(c, lru.lru(1));
    lru.remove(b);
    assertEquals(-1, lru.find(11));
    assertEquals(b, lru.insert(12, 1), "the freed slot comes back first");
    assertEquals(c, lru.lru(1));
    lru.rekey(c, 21, 0);
    assertEquals(b, lru.lru(1));
    assertEquals(c, lru.find(21));
    assertEquals(2, lru.count(0));
    assertEquals(1, lru.count(1));
    List<Integer> order = new ArrayList<>();
    for (int s; (s = lru.lru(0)) >= 0; ) {
      order.add(s);
      lru.remove(s);
    }
    assertEquals(List.of(a, c), order);
    assertEquals(1, lru.size());
  }
}
