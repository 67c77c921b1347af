package org.dsasim.accel.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.dsasim.accel.TestConfigs;
import org.dsasim.accel.kernel.Kernel;
import org.dsasim.accel.kernel.TrafficClass;
import org.dsasim.accel.kernel.WarpContext;
import org.dsasim.accel.kernel.WarpProgram;
import org.dsasim.accel.system.Accelerator;
import org.dsasim.mem.reservation.KvLayout;
import org.junit.jupiter.api.Test;

/** Whole KV entries in the fast LLC: appended, gathered and written back. */
class KvEntryCachingTest {
  private static final int ENTRY = 4096;

  /** One warp that stores or gathers whole entries {@code 0 .. entries-1} of the KV buffer. */
  private static Kernel entries(boolean store, int entries) {
    return new Kernel(store ? "append" : "gather", store ? "append" : "gather", 1, 32, 32) {
      @Override
      public WarpProgram newProgram(int slots) {
        return new WarpProgram() {
          @Override
          public void start(int slot, int block, int warpInBlock) {}

          @Override
          public void step(int slot, WarpContext ctx) {
            if (done) {
              ctx.exit();
              return;
            }
            long[] addrs = new long[entries];
            for (int e = 0; e < entries; e++) {
              addrs[e] = (long) e * ENTRY;
              if (store) {
                ctx.store(addrs[e], ENTRY, TrafficClass.KV_APPEND);
              }
            }
            if (!store) {
              ctx.gather(addrs, 0, entries, ENTRY, TrafficClass.KV_GATHER, 0); // as the decode does
            }
            done = true;
            ctx.waitLoads(0);
          }

          private boolean done;
        };
      }
    };
  }

  @Test
  void aGatherFindsTheEntriesJustAppended() {
    Accelerator acc = Accelerator.withFastMemory(TestConfigs.with(), 0);
    PartitionedLlcMemory memory = (PartitionedLlcMemory) acc.memory();
    memory.setKvLayout(new KvLayout(0, 1, 1, 1024, ENTRY));
    acc.gpu().submit(entries(true, 8));
    acc.gpu().submit(entries(false, 8));
    acc.drain();
    MemoryStats s = memory.stats();
    assertEquals(8 * ENTRY, s.bytesByLevel[ServedBy.LLC_NEAR] + s.bytesByLevel[ServedBy.LLC_FAR]);
    assertEquals(0, s.bytesByLevel[ServedBy.HBM]);
    assertEquals(8 * 32, s.sharedHits); // an entry's lookup counts its lines
  }

  @Test
  void streamedLinesWriteBackEveryDirtyLineTheyEvict() {
    List<Long> written = new ArrayList<>();
    LineCache cache = new LineCache(16, 16, (line, sectors) -> written.add(line)); // one set
    for (long line = 0; line < 4; line++) {
      cache.addDirty(cache.allocate(line, false, 0, false), 0xf);
    }
    cache.allocate(4, false, 0, false); // clean
    cache.stream(16); // the whole set
    assertEquals(-1, cache.find(0));
    assertEquals(List.of(0L, 1L, 2L, 3L), written.stream().sorted().toList());
  }
}
