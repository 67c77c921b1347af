package org.dsasim.mem.replacement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.dsasim.mem.llc.LlcScheme;
import org.dsasim.mem.llc.LlcStats;
import org.dsasim.mem.llc.TrafficClass;
import org.dsasim.mem.testing.Rig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReplacementPoliciesTest {
  @Test
  void registryKnowsTheBuiltInPoliciesAndRejectsOthers() {
    assertEquals(List.of("lru", "srrip", "random"), ReplacementPolicies.names());
    for (String name : ReplacementPolicies.names()) {
      assertEquals(name, ReplacementPolicies.create(name, 4, 8, 1).name());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReplacementPolicies.create("mru", 4, 8, 1));
    assertTrue(e.getMessage().contains("'mru'"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"lru", "srrip", "random"})
  void victimsAreAlwaysCandidates(String name) {
    ReplacementPolicy p = ReplacementPolicies.create(name, 8, 16, 5);
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 20_000; i++) {
      int set = r.nextInt(8);
      switch (r.nextInt(3)) {
        case 0 -> p.onFill(set, r.nextInt(16));
        case 1 -> p.onHit(set, r.nextInt(16));
        default -> {
          long candidates = r.nextLong() & 0xffff;
          if (candidates != 0) {
            int v = p.victim(set, candidates);
            assertTrue((candidates & (1L << v)) != 0, name + " chose way " + v);
          }
        }
      }
    }
  }

  @Test
  void lruEvictsTheLeastRecentlyUsedCandidate() {
    LruPolicy p = new LruPolicy(1, 4);
    for (int w = 0; w < 4; w++) {
      p.onFill(0, w);
    }
    p.onHit(0, 0);
    assertEquals(1, p.victim(0, 0b1111));
    assertEquals(2, p.victim(0, 0b1101));
    assertEquals(0, p.victim(0, 0b0001));
  }

  @Test
  void srripAgesCandidatesAndPrefersDistantOnes() {
    SrripPolicy p = new SrripPolicy(1, 4);
    for (int w = 0; w < 4; w++) {
      p.onFill(0, w); // RRPV 2
    }
    p.onHit(0, 0); // RRPV 0
    p.onHit(0, 1);
    assertEquals(2, p.victim(0, 0b1111)); // ages all by one: 1 1 3 3; lowest distant way
    assertEquals(3, p.rrpv(0, 3));
    assertEquals(1, p.rrpv(0, 0));
    p.onFill(0, 2); // a scan line: RRPV 2
    assertEquals(3, p.victim(0, 0b1111)); // way 3 already distant: no ageing
    assertEquals(1, p.rrpv(0, 0));
    p.onFill(0, 3);
    assertEquals(2, p.victim(0, 0b1111)); // 1 1 2 2 -> 2 2 3 3
    assertEquals(2, p.rrpv(0, 1));
  }

  /** Hot lines re-referenced between scans: SRRIP keeps them, LRU loses them. */
  @Test
  void srripResistsScansWhereLruDoesNot() {
    long lruHits = hotHits("lru");
    long srripHits = hotHits("srrip");
    assertEquals(0, lruHits, "lru: the 6-line scan pushes the 4 hot lines out of 8 ways");
    assertEquals(4 * 9, srripHits, "srrip: every hot line hits in each of the 9 later rounds");
  }

  private static long hotHits(String policy) {
    // one set of 8 ways: 4 hot lines, then rounds of (hot lines, 6-line scan)
    Rig rig = Rig.simple(Rig.small(1, 1, 8).withReplacement(policy, 1), LlcScheme.none(), null,
        1_000);
    long scan = 1000;
    for (int round = 0; round < 10; round++) {
      for (int h = 0; h < 4; h++) {
        rig.readNow(h * 128L, 128, TrafficClass.WEIGHTS);
      }
      if (round == 0) {
        for (int h = 0; h < 4; h++) {
          rig.readNow(h * 128L, 128, TrafficClass.WEIGHTS); // hot: reused
        }
      }
      for (int i = 0; i < 6; i++) {
        rig.readNow(scan++ * 128L, 128, TrafficClass.OTHER);
      }
    }
    return rig.llc.stats().get(TrafficClass.WEIGHTS, LlcStats.HITS) - 4;
  }

  @Test
  void randomIsSeededAndUniform() {
    List<Integer> a = picks(7);
    assertEquals(a, picks(7));
    assertNotEquals(a, picks(8));
    int[] counts = new int[8];
    for (int v : picks(3)) {
      counts[v]++;
    }
    // 80000 picks among the 8 candidate ways {0,2,...,14}: each ~10000
    for (int c : counts) {
      assertEquals(10_000, c, 400);
    }
  }

  private static List<Integer> picks(long seed) {
    RandomPolicy p = new RandomPolicy(seed);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < 80_000; i++) {
      out.add(p.victim(0, 0x5555) / 2);
    }
    return out;
  }
}
