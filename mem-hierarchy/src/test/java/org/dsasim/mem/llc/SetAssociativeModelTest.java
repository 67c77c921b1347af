package org.dsasim.mem.llc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsasim.mem.testing.Rig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The timed LLC, fed one request at a time, against a per-set LinkedHashMap LRU model written
 * here: outcome of every access (hit, miss, sector miss), evictions and write-backs.
 */
class SetAssociativeModelTest {
  /** The independent model: per set, lines in access order with their valid and dirty sectors. */
  static final class Model {
    final int ways;
    final Map<Integer, LinkedHashMap<Long, int[]>> sets = new HashMap<>();
    long evictions;
    long writebacks;
    long writebackBytes;

    Model(int ways) {
      this.ways = ways;
    }

    /** Returns LlcStats.HITS, MISSES or SECTOR_MISSES. */
    int access(int set, long line, int sectors, boolean write) {
      LinkedHashMap<Long, int[]> lines =
          sets.computeIfAbsent(set, k -> new LinkedHashMap<>(16, 0.75f, true));
      int[] state = lines.get(line);
      if (state != null) {
        boolean all = (state[0] & sectors) == sectors;
        state[0] |= sectors;
        if (write) {
          state[1] |= sectors;
          return LlcStats.HITS;
        }
        return all ? LlcStats.HITS : LlcStats.SECTOR_MISSES;
      }
      if (lines.size() == ways) {
        Iterator<Map.Entry<Long, int[]>> it = lines.entrySet().iterator();
        int[] victim = it.next().getValue();
        it.remove();
        evictions++;
        if (victim[1] != 0) {
          writebacks++;
          writebackBytes += 32L * Integer.bitCount(victim[1]);
        }
      }
      lines.put(line, new int[] {sectors, write ? sectors : 0});
      return LlcStats.MISSES;
    }
  }

  @ParameterizedTest
  @CsvSource({"1, 8, 4, 0.0, 1", "4, 16, 8, 0.0, 2", "3, 8, 16, 0.3, 3", "2, 4, 2, 0.5, 4"})
  void matchesPerSetLruModel(int slices, int sets, int ways, double writeShare, long seed) {
    Rig rig = Rig.simple(Rig.small(slices, sets, ways), LlcScheme.none(), null, 50_000);
    Model model = new Model(ways);
    SplittableRandom random = new SplittableRandom(seed);
    int lines = slices * sets * ways * 2;
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      long line = random.nextInt(lines);
      int firstSector = random.nextInt(4);
      int sectorCount = 1 + random.nextInt(4 - firstSector);
      int sectors = ((1 << sectorCount) - 1) << firstSector;
      boolean write = random.nextDouble() < writeShare;
      long addr = line * 128 + firstSector * 32L;
      int bytes = sectorCount * 32 - (random.nextBoolean() ? 8 : 0);
      int cls = random.nextInt(TrafficClass.COUNT);
      long hits = rig.total(LlcStats.HITS);
      long misses = rig.total(LlcStats.MISSES);
      long sectorMisses = rig.total(LlcStats.SECTOR_MISSES);
      if (write) {
        rig.writeNow(addr, bytes, cls);
      } else {
        rig.readNow(addr, bytes, cls);
      }
      int expected = model.access(rig.llc.setOf(addr), line, sectors, write);
      int got = rig.total(LlcStats.HITS) > hits ? LlcStats.HITS
          : rig.total(LlcStats.MISSES) > misses ? LlcStats.MISSES
          : rig.total(LlcStats.SECTOR_MISSES) > sectorMisses ? LlcStats.SECTOR_MISSES : -1;
      if (got != expected && mismatches.size() < 5) {
        mismatches.add("access " + i + " line " + line + " write " + write + ": expected "
            + LlcStats.counterName(expected) + " got " + (got < 0 ? "?" : LlcStats.counterName(got)));
      }
    }
    assertEquals(List.of(), mismatches);
    assertEquals(model.evictions, rig.total(LlcStats.EVICTIONS));
    assertEquals(model.writebacks, rig.total(LlcStats.WRITEBACKS));
    assertEquals(model.writebackBytes, rig.total(LlcStats.WRITEBACK_BYTES));
    assertEquals(model.writebackBytes, rig.memory.writeBytes());
    assertEquals(rig.total(LlcStats.FILL_BYTES), rig.memory.readBytes());
    assertEquals(4000, rig.total(LlcStats.ACCESSES));
    assertEquals(0, rig.total(LlcStats.MERGED_MISSES));
    assertEquals(0, rig.messages.live());
  }

  @ParameterizedTest
  @CsvSource({"1, 4", "4, 8"})
  void noAllocateWritesGoToMemoryAndLeaveTheCache(int slices, int ways) {
    LlcParams p = Rig.small(slices, 4, ways).withWritePolicy(WritePolicy.NO_ALLOCATE);
    Rig rig = Rig.simple(p, LlcScheme.none(), null, 10_000);
    rig.writeNow(0, 64, TrafficClass.KV_GATHER);
    assertEquals(1, rig.total(LlcStats.MISSES));
    assertEquals(64, rig.memory.writeBytes());
    assertEquals(64, rig.total(LlcStats.WRITE_THROUGH_BYTES));
    rig.readNow(0, 64, TrafficClass.KV_GATHER); // not cached by the write
    assertEquals(2, rig.total(LlcStats.MISSES));
    rig.writeNow(0, 32, TrafficClass.KV_GATHER); // now a write hit, kept dirty
    assertEquals(1, rig.total(LlcStats.HITS));
    assertEquals(64, rig.memory.writeBytes());
    assertEquals(0, rig.messages.live());
  }
}
