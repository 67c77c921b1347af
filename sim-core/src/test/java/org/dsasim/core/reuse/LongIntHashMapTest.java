package org.dsasim.core.reuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongIntHashMapTest {
  /** Random puts, gets and removes over a small key range agree with java.util.HashMap. */
  @Test
  void agreesWithHashMapUnderRandomOperations() {
    agreesWithHashMap(new LongIntHashMap(0, -1));
    // keys 0..299 of the 500 small tokens are held in the direct range
    agreesWithHashMap(new LongIntHashMap(0, -1, 300));
  }

  private static void agreesWithHashMap(LongIntHashMap map) {
    SplittableRandom rnd = new SplittableRandom(7);
    Map<Long, Integer> ref = new HashMap<>();
    long[] specials = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1};
    for (int op = 0; op < 200_000; op++) {
      long key =
          rnd.nextInt(10) == 0
              ? specials[rnd.nextInt(specials.length)]
              // keys that collide in the low bits as packed (seq, layer, token) keys do
              : ((long) rnd.nextInt(4) << 48) | ((long) rnd.nextInt(3) << 32) | rnd.nextInt(500);
      switch (rnd.nextInt(3)) {
        case 0 -> {
          int v = rnd.nextInt() & Integer.MAX_VALUE; // direct keys cannot hold the missing -1
          assertEquals(ref.getOrDefault(key, -1), map.put(key, v));
          ref.put(key, v);
        }
        case 1 -> assertEquals(ref.getOrDefault(key, -1), map.get(key));
        default -> {
          Integer old = ref.remove(key);
          assertEquals(old == null ? -1 : old, map.remove(key));
        }
      }
      assertEquals(ref.size(), map.size());
    }
    Map<Long, Integer> seen = new HashMap<>();
    map.forEach((k, v) -> assertEquals(null, seen.put(k, v)));
    assertEquals(ref, seen);
    map.replaceAll((k, v) -> v / 2);
    ref.replaceAll((k, v) -> v / 2);
    for (Map.Entry<Long, Integer> e : ref.entrySet()) {
      assertEquals(e.getValue(), map.get(e.getKey()));
    }
    map.clear();
    assertEquals(0, map.size());
    for (long k : ref.keySet()) {
      assertFalse(map.containsKey(k));
    }
  }

  @Test
  void directKeysCannotHoldTheMissingValue() {
    LongIntHashMap map = new LongIntHashMap(0, -1, 10);
    assertThrows(IllegalArgumentException.class, () -> map.put(3, -1));
    map.put(13, -1); // outside the direct range it is an ordinary value
    assertTrue(map.containsKey(13));
    assertEquals(1, map.size());
  }

  @Test
  void slotApiProbesOnceAndInsertsAtTheProbedPlace() {
    LongIntHashMap map = new LongIntHashMap(4, 0);
    for (long key : new long[] {5, Long.MIN_VALUE, 1L << 40}) {
      int slot = map.find(key);
      assertTrue(slot < 0);
      map.insertAt(slot, key, 11);
      slot = map.find(key);
      assertTrue(slot >= 0);
      assertEquals(11, map.valueAt(slot));
      map.setValueAt(slot, 12);
      assertEquals(12, map.get(key));
    }
    assertEquals(0, map.get(6));
    assertFalse(map.containsKey(6));
    map.replaceAll((k, v) -> v + (int) (k & 1));
    assertEquals(13, map.get(5));
    assertEquals(12, map.get(Long.MIN_VALUE));
    map.clear();
    assertEquals(0, map.size());
    assertFalse(map.containsKey(Long.MIN_VALUE));
    assertFalse(map.containsKey(5));
  }

  /** Growing through many sizes keeps every key (rehashing moves the MIN_VALUE slot's value). */
  @Test
  void growsWithoutLosingKeys() {
    LongIntHashMap map = new LongIntHashMap();
    map.put(Long.MIN_VALUE, -7);
    for (int i = 0; i < 100_000; i++) {
      map.put(i * 0x10000L, i);
    }
    assertEquals(100_001, map.size());
    assertEquals(-7, map.get(Long.MIN_VALUE));
    for (int i = 0; i < 100_000; i += 997) {
      assertEquals(i, map.get(i * 0x10000L));
    }
  }
}
