package org.dsasim.core.reuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LruStackDistanceTest {
  /** The textbook LRU stack: a list with the most recently used key first. */
  private static final class NaiveStack {
    final List<Long> stack = new ArrayList<>();

    int access(long key) {
      int i = stack.indexOf(key);
      if (i >= 0) {
        stack.remove(i);
      }
      stack.add(0, key);
      return i >= 0 ? i + 1 : LruStackDistance.COLD;
    }
  }

  private static void assertSameDistances(long[] keys, int expectedKeys) {
    NaiveStack naive = new NaiveStack();
    int[] expected = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      expected[i] = naive.access(keys[i]);
    }
    int distinct = naive.stack.size();
    assertSameDistances(keys, expected, distinct, new LruStackDistance(expectedKeys));
    // the same with the keys 0..99 looked up directly
    assertSameDistances(keys, expected, distinct, new LruStackDistance(expectedKeys, 100));
  }

  private static void assertSameDistances(
      long[] keys, int[] expected, int distinct, LruStackDistance engine) {
    long[] histogram = new long[keys.length + 2];
    for (int i = 0; i < keys.length; i++) {
      assertEquals(expected[i], engine.access(keys[i]), "access " + i + " key " + keys[i]);
      if (expected[i] != LruStackDistance.COLD) {
        histogram[expected[i]]++;
      }
    }
    assertEquals(keys.length, engine.accesses());
    assertEquals(distinct, engine.distinctKeys());
    long hits = 0;
    for (int c = 0; c <= distinct + 1; c++) {
      hits += c > 0 ? histogram[c] : 0;
      assertEquals(hits, engine.hits(c), "capacity " + c);
      assertEquals(keys.length - hits, engine.misses(c));
      assertEquals(c > 0 ? histogram[c] : 0, engine.countAt(c));
    }
    assertEquals(hits, engine.hits(Long.MAX_VALUE));
  }

  @Test
  void randomKeysMatchTheNaiveStackAcrossManyCompactions() {
    SplittableRandom rnd = new SplittableRandom(42);
    for (int universe : new int[] {1, 3, 50, 700, 3000}) {
      long[] keys = new long[20_000];
      for (int i = 0; i < keys.length; i++) {
        // a skewed mix: a hot set plus a long tail, keys spread over the whole long range
        int k =
            rnd.nextInt(4) == 0 ? rnd.nextInt(universe) : rnd.nextInt(Math.max(1, universe / 10));
        // small keys as they are (some in the direct range), larger ones spread over all longs
        keys[i] = k < 150 ? k : k * 0x9E3779B97F4A7C15L;
      }
      assertSameDistances(keys, 0);
    }
  }

  @Test
  void cyclicSweepRepeatedKeyAndAlternatingSets() {
    long[] sweep = new long[10_000];
    for (int i = 0; i < sweep.length; i++) {
      sweep[i] = i % 129; // every re-access has distance 129
    }
    assertSameDistances(sweep, 0);
    LruStackDistance engine = new LruStackDistance();
    for (long k : sweep) {
      engine.access(k);
    }
    assertEquals(0, engine.hits(128));
    assertEquals(sweep.length - 129, engine.hits(129));

    long[] same = new long[5000];
    java.util.Arrays.fill(same, Long.MIN_VALUE);
    assertSameDistances(same, 0);

    long[] alternating = new long[12_000];
    for (int i = 0; i < alternating.length; i++) {
      int block = (i / 300) % 2; // 300 accesses over set A, then 300 over set B, ...
      alternating[i] = block * 1000 + (i % 300) % 37;
    }
    assertSameDistances(alternating, 2);
  }

  @Test
  void firstTouchesAreColdAndTheMostRecentKeyIsAtDistanceOne() {
    LruStackDistance engine = new LruStackDistance();
    assertEquals(LruStackDistance.COLD, engine.access(10));
    assertEquals(LruStackDistance.COLD, engine.access(20));
    assertEquals(1, engine.access(20));
    assertEquals(2, engine.access(10));
    assertEquals(LruStackDistance.COLD, engine.access(30));
    assertEquals(3, engine.access(20));
    assertEquals(3, engine.maxDistance());
    assertEquals(3, engine.distinctKeys());
    // distances 1, 2, 3: capacity 1 hits one access, 2 hits two, 3 or more hits three
    assertEquals(0, engine.hits(0));
    assertEquals(1, engine.hits(1));
    assertEquals(2, engine.hits(2));
    assertEquals(3, engine.hits(3));
    assertEquals(3, engine.hits(1_000_000));
    assertEquals(3, engine.misses(3));
  }
}
