package org.dsasim.accel.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LineCacheTest {
  /**
   * Two caches see the same lookups, fills, dirty lines and streams; one also has sets loaded
   * ahead (as a gather list does): every answer and every write-back must be the same.
   */
  @Test
  void loadingSetsAheadChangesNoAnswer() {
    List<Long> writtenPlain = new ArrayList<>();
    List<Long> writtenLoaded = new ArrayList<>();
    LineCache plain = new LineCache(64, 4, (line, sectors) -> writtenPlain.add(line));
    LineCache loaded = new LineCache(64, 4, (line, sectors) -> writtenLoaded.add(line));
    SplittableRandom rng = new SplittableRandom(7);
    int hits = 0;
    for (int i = 0; i < 5000; i++) {
      long line = rng.nextInt(120);
      if (i % 97 == 0) {
        plain.stream(6);
        loaded.stream(6);
      }
      for (int k = 0; k < 4; k++) {
        loaded.loadSet(rng.nextInt(120));
      }
      loaded.loadSet(line);
      int slot = plain.find(line);
      assertEquals(slot, loaded.find(line));
      if (slot >= 0) {
        hits++;
        plain.touch(slot);
        loaded.touch(slot);
        continue;
      }
      slot = plain.allocate(line, false, 0, false);
      assertEquals(slot, loaded.allocate(line, false, 0, false));
      if (rng.nextBoolean()) {
        plain.addDirty(slot, 0x3);
        loaded.addDirty(slot, 0x3);
      }
    }
    assertNotEquals(0, hits);
    assertNotEquals(0, writtenPlain.size());
    assertEquals(writtenPlain, writtenLoaded);
  }
}
