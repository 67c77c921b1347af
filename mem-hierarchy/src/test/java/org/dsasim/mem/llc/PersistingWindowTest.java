package org.dsasim.mem.llc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dsasim.mem.reservation.KvLayout;
import org.dsasim.mem.testing.Rig;
import org.junit.jupiter.api.Test;

/** The persisting-L2 window baseline. */
class PersistingWindowTest {
  static final long HOT = 1L << 20;

  static WindowParams window(long setAside, long bytes, double hitRatio, double penalty) {
    return new WindowParams(setAside, HOT, bytes, hitRatio, 128, penalty, 0.625, 0);
  }

  static long pass(Rig rig, long base, int lines, int cls) {
    long before = rig.total(LlcStats.HITS);
    for (int i = 0; i < lines; i++) {
      rig.readNow(base + i * 128L, 128, cls);
    }
    return rig.total(LlcStats.HITS) - before;
  }

  @Test
  void setAsideIsCappedAtItsFractionOfTheLlc() {
    LlcParams p = Rig.small(1, 16, 8); // 16 KiB
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Rig.simple(p, LlcScheme.window(window(10_368, 4096, 1, 0)), null, 1_000));
    assertTrue(e.getMessage().contains("0.625"), e.getMessage());
    Rig.simple(p, LlcScheme.window(window(10_240, 4096, 1, 0)), null, 1_000); // 62.5 % is fine
  }

  @Test
  void persistingLinesSurviveAStreamThatFlushesTheRestOfTheCache() {
    LlcParams p = Rig.small(2, 16, 8); // 32 KiB
    for (boolean persist : new boolean[] {false, true}) {
      LlcScheme scheme = persist
          ? LlcScheme.window(window(16 << 10, 8 << 10, 1, 0)) : LlcScheme.none();
      Rig rig = Rig.simple(p, scheme, null, 1_000);
      pass(rig, HOT, 64, TrafficClass.KV_GATHER);
      pass(rig, 64L << 20, 2048, TrafficClass.WEIGHTS); // 256 KiB stream
      long hits = pass(rig, HOT, 64, TrafficClass.KV_GATHER);
      assertEquals(persist ? 64 : 0, hits);
      assertEquals(hits, rig.llc.stats().get(TrafficClass.KV_GATHER, LlcStats.RESERVED_HITS));
    }
  }

  @Test
  void normalLinesBorrowTheUnusedSetAsideAndLeaveItFirst() {
    LlcParams p = Rig.small(1, 16, 8); // 16 sets x 8 ways; set-aside: ways 4-7
    Rig rig = Rig.simple(p, LlcScheme.window(window(8 << 10, 8 << 10, 1, 0)), null, 1_000);
    long normal = 64L << 20;
    pass(rig, normal, 128, TrafficClass.WEIGHTS); // 8 lines per set: ways 0-3, then 4-7
    assertEquals(128, pass(rig, normal, 128, TrafficClass.WEIGHTS), "the whole LLC is usable");
    assertEquals(64, rig.llc.lentLines());
    pass(rig, HOT, 16, TrafficClass.KV_GATHER); // one persisting line per set
    Map<String, Number> stats = new LinkedHashMap<>();
    rig.llc.exportStats("llc", stats);
    assertEquals(16L, stats.get("llc.window.persisting_lines"));
    assertEquals(48L, stats.get("llc.window.lent_lines"));
    // the persisting lines took set-aside frames: the lines in the normal ways are all there
    assertEquals(64, pass(rig, normal, 64, TrafficClass.WEIGHTS));
  }

  @Test
  void hitRatioSelectsThatShareOfSegmentsDeterministically() {
    WindowParams w = window(1 << 20, 64L << 20, 0.3, 0);
    int persisting = 0;
    int segments = 200_000;
    for (int i = 0; i < segments; i++) {
      long a = HOT + i * 128L;
      boolean p = w.isPersisting(a);
      assertEquals(p, w.isPersisting(a + 127), "one answer per segment");
      persisting += p ? 1 : 0;
    }
    assertEquals(0.3, persisting / (double) segments, 0.005);
    assertTrue(!w.isPersisting(HOT - 1) && !w.isPersisting(HOT + (64L << 20)));
    assertTrue(window(1, 4096, 1, 0).isPersisting(HOT + 4095));
    assertTrue(!window(1, 4096, 0, 0).isPersisting(HOT));
  }

  @Test
  void aSetAsideSlowsMemoryTransfersByThePenalty() {
    double pathBandwidth = 100e9;
    LlcParams p = Rig.small(2, 64, 8).withMshrs(32, 4, 32).withMemoryPathBandwidth(pathBandwidth);
    for (double penalty : new double[] {0, 0.11}) {
      LlcScheme scheme = penalty == 0 ? LlcScheme.none()
          : LlcScheme.window(window(16 << 10, 1 << 20, 1, penalty));
      Rig rig = Rig.simple(p, scheme, null, 5_000);
      for (int i = 0; i < 4000; i++) {
        rig.cu().read((256L << 20) + i * 128L, 128, TrafficClass.WEIGHTS); // a streaming read
      }
      rig.drain();
      double bandwidth = rig.total(LlcStats.FILL_BYTES) / (rig.sim.now() / 1e12);
      assertEquals(pathBandwidth * (1 - penalty), bandwidth, pathBandwidth * 0.01);
    }
  }

  @Test
  void namedWindowBaselineCoversTheKvBuffer() {
    KvLayout layout = new KvLayout(1L << 30, 64, 61, 2048, 656);
    WindowParams w = LlcScheme.named("window", 39_321_600, layout).window();
    assertEquals(128L << 20, w.bytes());
    assertEquals(37.5 / 128, w.hitRatio(), 1e-12);
    assertEquals(layout.base(), w.base());
  }
}
