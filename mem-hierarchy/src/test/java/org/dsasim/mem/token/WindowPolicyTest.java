package org.dsasim.mem.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WindowPolicyTest {
  // 2 sequences x 1 layer x 8 tokens x 100 B: seq 0's row is [0, 800), seq 1's [800, 1600)
  static final TokenSpace SPACE = new TokenSpace(1, 2, 4, 4, 100, 8);

  @Test
  void onlyTheWindowPersistsAndPersistingEntriesCompeteLru() {
    // window over seq 1's row only, every segment persisting, set-aside of 2 entries
    WindowPolicy w = new WindowPolicy(2, SPACE, new WindowPolicy.Window(800, 800, 1.0, 128, 0));
    assertFalse(w.access(0, 0, 3)); // outside the window
    assertFalse(w.access(0, 0, 3));
    assertFalse(w.access(1, 0, 3)); // cold
    assertTrue(w.access(1, 0, 3));
    assertFalse(w.access(1, 0, 4));
    assertFalse(w.access(1, 0, 5)); // evicts token 3, the least recently used
    assertFalse(w.access(1, 0, 3));
    assertTrue(w.access(1, 0, 5));
    assertFalse(w.access(1, 0, 8)); // beyond the context: not in the buffer
    assertFalse(w.access(1, 0, 8));
  }

  @Test
  void aFullWindowWithHitRatioOneIsTokenLruAndHitRatioZeroNeverHits() {
    TestTrace t = TestTrace.drifting(new TokenSpace(2, 3, 8, 4, 656, 60), 30, 0.5, 8);
    long buffer = WindowPolicy.bufferBytes(t.space);
    for (int c : new int[] {1, 10, 50, 200}) {
      var all = new WindowPolicy.Window(0, buffer, 1.0, 128, 0);
      assertEquals(
          t.hits(new TokenLruPolicy(c, t.space)), t.hits(new WindowPolicy(c, t.space, all)));
      var none = new WindowPolicy.Window(0, buffer, 0.0, 128, 0);
      assertEquals(0, t.hits(new WindowPolicy(c, t.space, none)));
    }
  }

  @Test
  void aboutHitRatioOfTheSegmentsPersistAndEachSegmentDecidesForAllItsEntries() {
    TokenSpace space = new TokenSpace(4, 4, 64, 64, 128, 10_000); // one entry per 128-B segment
    var window = new WindowPolicy.Window(0, WindowPolicy.bufferBytes(space), 0.3, 128, 42);
    WindowPolicy w = new WindowPolicy(1, space, window);
    int persisting = 0;
    for (int s = 0; s < 4; s++) {
      for (int l = 0; l < 4; l++) {
        for (int t = 0; t < 10_000; t++) {
          persisting += w.persists(s, l, t) ? 1 : 0;
        }
      }
    }
    // 160000 independent coin flips of p = 0.3: the standard deviation is 183
    assertEquals(0.3 * 160_000, persisting, 1500);

    // segments of a whole row (10000 entries x 128 B): a row persists entirely or not at all
    var rows = new WindowPolicy.Window(0, WindowPolicy.bufferBytes(space), 0.5, 10_000 * 128, 7);
    WindowPolicy r = new WindowPolicy(1, space, rows);
    int rowsPersisting = 0;
    for (int s = 0; s < 4; s++) {
      for (int l = 0; l < 4; l++) {
        boolean first = r.persists(s, l, 0);
        for (int t = 1; t < 10_000; t++) {
          assertEquals(first, r.persists(s, l, t));
        }
        rowsPersisting += first ? 1 : 0;
      }
    }
    assertTrue(rowsPersisting > 0 && rowsPersisting < 16, "16 rows, hit ratio 0.5");
  }

  @Test
  void defaultWindowIsCappedAtTheHardwareMaximumAndItsHitRatioFitsTheSetAside() {
    TokenSpace big = new TokenSpace(61, 4, 2048, 64, 656, 131_072); // 20 GB of KV
    var w = WindowPolicy.defaultWindow(31_968, big); // a 20 MiB set-aside
    assertEquals(128L << 20, w.sizeBytes());
    assertEquals(31_968 * 656.0 / (128 << 20), w.hitRatio(), 1e-12);
    TokenSpace small = new TokenSpace(1, 1, 4, 4, 100, 8); // 800 B of KV
    var s = WindowPolicy.defaultWindow(100, small);
    assertEquals(800, s.sizeBytes());
    assertEquals(1.0, s.hitRatio());
  }
}
