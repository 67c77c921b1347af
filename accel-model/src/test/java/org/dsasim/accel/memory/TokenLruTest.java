package org.dsasim.accel.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenLruTest {
  /** Hits of an access sequence in a reference LRU (a LinkedHashMap in access order). */
  private static int referenceHits(long[] keys, int capacity) {
    Map<Long, Boolean> lru = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Boolean> e) {
        return size() > capacity;
      }
    };
    int hits = 0;
    for (long k : keys) {
      if (lru.get(k) != null) {
        hits++;
      } else if (capacity > 0) {
        lru.put(k, true);
      }
    }
    return hits;
  }

  private static int hits(long[] keys, int capacity) {
    TokenLru lru = new TokenLru(capacity);
    int hits = 0;
    for (long k : keys) {
      int n = lru.find(k);
      if (n >= 0) {
        hits++;
        lru.touch(n);
      } else {
        lru.insert(k, 0);
      }
    }
    return hits;
  }

  private static long[] workload(long seed, int n, int universe) {
    SplittableRandom rng = new SplittableRandom(seed);
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      // a mix of recent re-use and fresh keys, like decode selections
      keys[i] = rng.nextInt(4) == 0 ? rng.nextInt(universe) : rng.nextInt(universe / 8);
    }
    return keys;
  }

  @Test
  void matchesAReferenceLru() {
    long[] keys = workload(7, 50_000, 20_000);
    for (int capacity : new int[] {0, 1, 17, 500, 2500, 30_000}) {
      assertEquals(referenceHits(keys, capacity), hits(keys, capacity), "capacity " + capacity);
    }
  }

  @Test
  void moreCapacityNeverLowersTheHitRate() {
    long[] keys = workload(11, 40_000, 10_000);
    int previous = -1;
    for (int capacity = 0; capacity <= 4_000; capacity += 250) {
      int h = hits(keys, capacity);
      assertTrue(h >= previous, "capacity " + capacity + ": " + h + " < " + previous);
      previous = h;
    }
  }
}
