package org.dsasim.workloads.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FenwickStackDistanceTest {
  @Test
  void matchesANaiveLruStackAcrossCompactions() {
    SplittableRandom rnd = new SplittableRandom(11);
    Map<Long, Integer> timestamps = new HashMap<>();
    FenwickStackDistance engine =
        new FenwickStackDistance(4, f -> timestamps.replaceAll((k, t) -> f.applyAsInt(t)));
    ArrayList<Long> stack = new ArrayList<>(); // most recent last
    for (int i = 0; i < 30_000; i++) {
      // a hot set and a long tail, so that distances are both short and long
      long key = rnd.nextInt(4) == 0 ? rnd.nextInt(1500) * 7919L : rnd.nextInt(40) - 20L;
      int pos = stack.lastIndexOf(key);
      int expected = pos < 0 ? FenwickStackDistance.COLD : stack.size() - pos;
      if (pos >= 0) {
        stack.remove(pos);
      }
      stack.add(key);
      int previous = timestamps.getOrDefault(key, FenwickStackDistance.NO_TIMESTAMP);
      assertEquals(expected, engine.access(previous), "access " + i);
      timestamps.put(key, engine.lastTimestamp());
    }
    assertEquals(stack.size(), engine.distinctKeys());
    assertEquals(30_000, engine.accesses());
  }
}
