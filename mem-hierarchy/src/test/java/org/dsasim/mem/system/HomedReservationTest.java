package org.dsasim.mem.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsasim.core.UserInputException;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Messages;
import org.dsasim.mem.hbm.HbmConfig;
import org.dsasim.mem.llc.LinePlacement;
import org.dsasim.mem.llc.LlcStats;
import org.dsasim.mem.llc.TrafficClass;
import org.dsasim.mem.reservation.KvLayout;
import org.dsasim.mem.reservation.TokenReservation;
import org.dsasim.mem.testing.Requester;
import org.junit.jupiter.api.Test;

/**
 * A KV reservation split over two LLC partitions keeps each token entry in its home partition
 * only: one LRU pool per home, whichever partition's requesters gather the entry.
 */
class HomedReservationTest {
  private static final int ENTRY = 256;
  private static final int TOKENS = 64;
  private static final long KV_BASE = 1L << 20;
  /** 8 KiB of reservation over two partitions: 4 KiB, 16 entries of 256 B, per home. */
  private static final int UNITS_PER_HOME = 16;

  /** 32 KiB in 4 slices of 8 ways, a token-LRU reservation of 8 KiB over 64 entries of 256 B. */
  private static HierarchyParams params(int partitions, String homeInterleave) {
    Map<String, String> v = MemoryHierarchyTest.values(partitions, "32KiB", 8, 16, 2);
    v.put("llc.reservation.baseline", "token-lru");
    v.put("llc.reservation.size", "8KiB");
    v.put("kv.base", Long.toString(KV_BASE));
    v.put("kv.sequences", "1");
    v.put("kv.layers", "1");
    v.put("kv.context", Integer.toString(TOKENS));
    v.put("kv.entry_bytes", Integer.toString(ENTRY));
    if (homeInterleave != null) {
      v.put("llc.home_interleave", homeInterleave);
    }
    return HierarchyParams.bind(v, HbmConfig.preset("hbm3"), "test", "small");
  }

  /**
   * Random entries gathered (both lines) from random ports of both partitions, one at a time.
   * A gather from the other partition passes through it uncached, so every gather reaches the
   * entry's home and its reservation: each home is an LRU stack of 16 entries over the gathers of
   * the entries it homes, and a gather hits (both lines) iff its entry is in that stack, computed
   * here on its own. No partition's shared part serves a KV line.
   */
  @Test
  void eachEntryIsReservedOnceInItsHomeAndHitsAsPerHomeLruStacks() {
    Simulator sim = new Simulator();
    Messages messages = new Messages();
    MemoryHierarchy memory = new MemoryHierarchy(sim, messages, "m", params(2, "256B"), 2);
    Requester[] ports = new Requester[2];
    for (int i = 0; i < 2; i++) {
      ports[i] = new Requester(sim, "cu" + i, messages, 100 + i);
      memory.connectPort(i, ports[i].port());
      ports[i].useCredits(memory.credits(i));
    }
    KvLayout layout = memory.params().cache().kv();
    @SuppressWarnings("unchecked")
    LinkedHashMap<Integer, Boolean>[] stacks = new LinkedHashMap[2];
    for (int h = 0; h < 2; h++) {
      stacks[h] = new LinkedHashMap<>(16, 0.75f, true);
    }
    SplittableRandom random = new SplittableRandom(5);
    long expectedHits = 0;
    int gathers = 1000;
    int[] fromOtherSide = new int[2];
    for (int g = 0; g < gathers; g++) {
      int token = random.nextInt(TOKENS);
      int port = random.nextInt(2);
      long address = layout.address(0, 0, token);
      int home = memory.homeOf(address);
      assertEquals(home, memory.homeOf(address + ENTRY - 1), "an entry's lines share a home");
      if (memory.partitionOfPort(port) != home) {
        fromOtherSide[home]++;
      }
      LinkedHashMap<Integer, Boolean> stack = stacks[home];
      if (stack.get(token) != null) {
        expectedHits += ENTRY / 128;
      } else {
        stack.put(token, Boolean.TRUE);
        if (stack.size() > UNITS_PER_HOME) {
          stack.remove(stack.keySet().iterator().next());
        }
      }
      for (int off = 0; off < ENTRY; off += 128) {
        ports[port].read(address + off, 128, TrafficClass.KV_GATHER);
      }
      sim.run();
    }
    assertTrue(fromOtherSide[0] > 30 && fromOtherSide[1] > 30,
        "both homes' entries are gathered from the other partition's port too");

    long reservedHits = 0;
    int resident = 0;
    for (int p = 0; p < 2; p++) {
      TokenReservation r = memory.partition(p).llc().reservation();
      assertEquals(UNITS_PER_HOME, r.capacityUnits());
      reservedHits += memory.partition(p).llc().stats().get(TrafficClass.KV_GATHER,
          LlcStats.RESERVED_HITS);
      resident += r.occupancyUnits();
      assertEquals(0, memory.partition(p).llc().stats().get(TrafficClass.KV_GATHER,
          LlcStats.SHARED_HITS), "partition " + p + " kept no copy of a KV line");
      for (int token = 0; token < TOKENS; token++) {
        boolean held = r.lookup(KvLayout.key(0, 0, token)) >= 0;
        int home = memory.homeOf(layout.address(0, 0, token));
        assertEquals(home == p && stacks[p].containsKey(token), held,
            "token " + token + " (home " + home + ") in partition " + p + "'s reservation");
      }
    }
    assertEquals(stacks[0].size() + stacks[1].size(), resident, "no entry reserved twice");
    assertEquals(expectedHits, reservedHits);
    assertTrue(expectedHits > gathers / 4, "the workload re-reads reserved entries");
  }

  @Test
  void homeGranulesKeepTheirBytesTogetherAndSplitRangesEvenly() {
    HomeMap homes = new HomeMap(2, 10);
    int[] count = new int[2];
    for (long granule = 0; granule < 1024; granule++) {
      int home = homes.homeOf(granule << 10);
      count[home]++;
      assertEquals(home, homes.homeOf((granule << 10) + 1023));
      assertTrue(home != homes.homeOf((granule ^ 1) << 10), "a pair has one granule per home");
    }
    assertEquals(512, count[0]);
  }

  /** A partition's homed lines of a contiguous range fill each of its (slice, set)s equally. */
  @Test
  void balancedPlacementSpreadsAPartitionsHomedGranulesOverEverySet() {
    int slices = 4;
    int sets = 8;
    HomeMap homes = new HomeMap(2, 7 + 2); // granules of 4 lines
    LinePlacement placement = LinePlacement.balanced(slices, sets, homes.groupBits(), 2);
    int[][] count = new int[slices][sets];
    for (long line = 0; line < 2L * slices * sets * 4; line++) {
      if (homes.homeOf(line << 7) == 0) {
        count[placement.sliceOf(line)][placement.setInSlice(line)]++;
      }
    }
    for (int[] slice : count) {
      for (int c : slice) {
        assertEquals(4, c);
      }
    }
  }

  @Test
  void homeInterleaveMustBeAPowerOfTwoOfAtLeastALine() {
    UserInputException odd = assertThrows(UserInputException.class, () -> params(2, "768B"));
    assertTrue(odd.getMessage().contains("llc.home_interleave")
        && odd.getMessage().contains("power of two"), odd.getMessage());
    UserInputException small = assertThrows(UserInputException.class, () -> params(2, "64B"));
    assertTrue(small.getMessage().contains("llc.home_interleave")
        && small.getMessage().contains("128 B"), small.getMessage());
    assertEquals(128, params(2, null).cache().homeInterleaveBytes());
    // "entry": the KV entry of 256 B, a power of two above the 128-B line
    assertEquals(ENTRY, params(2, "entry").cache().homeInterleaveBytes());
  }
}
