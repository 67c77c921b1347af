package org.dsasim.mem.reservation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.dsasim.mem.llc.LlcParams;
import org.dsasim.mem.llc.LlcScheme;
import org.dsasim.mem.llc.LlcStats;
import org.dsasim.mem.llc.TrafficClass;
import org.dsasim.mem.testing.Rig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reservation inside the timed LLC, checked access by access against models written here:
 * an LRU stack (a token hits iff its stack distance is at most the capacity in entries), per-group
 * stacks for quotas, a ghost list for second-touch admission, the previous step's set for
 * prev-topk, and page-granular LRU with per-sector validity.
 */
class ReservationLruTest {
  static final int ENTRY = 656;
  static final KvLayout LAYOUT = new KvLayout(1L << 20, 2, 3, 512, ENTRY);
  /** 4 slices x 16 sets x 8 ways x 128 B = 64 KiB. */
  static final LlcParams LLC = Rig.small(4, 16, 8);
  static final long RESERVED = 16 << 10;
  /** 128 frames x 4 sectors, in slots of ceil((32 - gcd(656, 32) + 656) / 32) = 21 sectors. */
  static final int CAPACITY = (int) (RESERVED / 128 * 4 / 21);

  static Rig rig(ReservationParams params) {
    return Rig.simple(LLC, LlcScheme.reservation("test", params), LAYOUT, 20_000);
  }

  static long key(int token) {
    int seq = token / (3 * 512);
    int layer = token / 512 % 3;
    return KvLayout.key(seq, layer, token % 512);
  }

  /** Reads the first 16 B of a token's entry (token numbered over the whole buffer). */
  static boolean touch(Rig rig, int token) {
    long before = rig.total(LlcStats.RESERVED_HITS);
    rig.readNow(LAYOUT.base() + (long) token * ENTRY, 16, TrafficClass.KV_GATHER);
    return rig.total(LlcStats.RESERVED_HITS) > before;
  }

  /** An LRU stack: hit iff distance <= capacity. */
  static final class Stack {
    final List<Long> keys = new ArrayList<>();
    final int capacity;

    Stack(int capacity) {
      this.capacity = capacity;
    }

    boolean access(long key) {
      int at = keys.indexOf(key);
      keys.remove(key);
      keys.add(0, key);
      return at >= 0 && at + 1 <= capacity;
    }
  }

  static void assertSameAsModel(Rig rig, int[] tokens, IntFunction<Boolean> model) {
    List<String> mismatches = new ArrayList<>();
    int hits = 0;
    for (int i = 0; i < tokens.length; i++) {
      boolean expected = model.apply(tokens[i]);
      boolean got = touch(rig, tokens[i]);
      hits += expected ? 1 : 0;
      if (expected != got && mismatches.size() < 5) {
        mismatches.add("access " + i + " token " + tokens[i] + ": expected "
            + (expected ? "hit" : "miss"));
      }
    }
    assertEquals(List.of(), mismatches);
    assertEquals(hits, rig.total(LlcStats.RESERVED_HITS));
    assertEquals(0, rig.messages.live());
  }

  static int[] randomTokens(long seed, int n, int range) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      // half re-references of a recent token, half uniform: a spread of stack distances
      t[i] = i > 0 && r.nextBoolean() ? t[Math.max(0, i - 1 - r.nextInt(2 * CAPACITY))]
          : r.nextInt(range);
    }
    return t;
  }

  static int[] cyclic(int distinct, int rounds) {
    int[] t = new int[distinct * rounds];
    for (int i = 0; i < t.length; i++) {
      t[i] = (i % distinct) * 7;
    }
    return t;
  }

  static int[] sawtooth(int distinct, int rounds) {
    int[] t = new int[distinct * rounds];
    for (int i = 0; i < t.length; i++) {
      int k = i % (2 * distinct);
      t[i] = k < distinct ? k : 2 * distinct - 1 - k;
    }
    return t;
  }

  @Test
  void capacityInEntriesIsTheCarvedSpaceOverTheSlotSize() {
    Rig rig = rig(ReservationParams.tokenLru(RESERVED));
    assertEquals(CAPACITY, rig.llc.reservation().capacityUnits());
    assertEquals(21, rig.llc.reservation().slotSectors());
    assertEquals(RESERVED / 128, rig.llc.reservation().frames());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void tokenLruHitsExactlyWhenStackDistanceFitsRandom(long seed) {
    Rig rig = rig(ReservationParams.tokenLru(RESERVED));
    Stack stack = new Stack(CAPACITY);
    assertSameAsModel(rig, randomTokens(seed, 3000, 3 * CAPACITY), t -> stack.access(key(t)));
    assertEquals(0, rig.llc.stats().get(TrafficClass.KV_GATHER, LlcStats.SHARED_HITS));
  }

  @Test
  void tokenLruAdversarialSequences() {
    int c = CAPACITY;
    for (int[] tokens : List.of(cyclic(c, 5), cyclic(c + 1, 5), cyclic(c - 1, 5),
        sawtooth(c + 3, 4), sawtooth(2 * c, 3), cyclic(1, 20))) {
      Rig rig = rig(ReservationParams.tokenLru(RESERVED));
      Stack stack = new Stack(c);
      assertSameAsModel(rig, tokens, t -> stack.access(key(t)));
    }
    // the classic LRU pathology, stated plainly: C + 1 tokens in a cycle never hit
    Rig rig = rig(ReservationParams.tokenLru(RESERVED));
    for (int t : cyclic(c + 1, 4)) {
      touch(rig, t);
    }
    assertEquals(0, rig.total(LlcStats.RESERVED_HITS));
  }

  @Test
  void perLayerQuotasKeepIndependentLayerStacks() {
    Rig rig = rig(ReservationParams.tokenLru(RESERVED).withSharing("per-layer"));
    Map<Integer, Stack> stacks = new HashMap<>();
    assertSameAsModel(rig, randomTokens(7, 3000, 6 * 512), t -> stacks
        .computeIfAbsent(KvLayout.layerOf(key(t)), l -> new Stack(CAPACITY / 3))
        .access(key(t)));
  }

  @Test
  void perSequenceQuotasKeepIndependentSequenceStacks() {
    Rig rig = rig(ReservationParams.tokenLru(RESERVED).withSharing("per-sequence"));
    Map<Integer, Stack> stacks = new HashMap<>();
    SplittableRandom r = new SplittableRandom(11);
    int[] tokens = new int[2500];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = r.nextInt(2) * 1536 + r.nextInt(CAPACITY); // two sequences
    }
    assertSameAsModel(rig, tokens, t -> stacks
        .computeIfAbsent(KvLayout.sequenceOf(key(t)), s -> new Stack(CAPACITY / 2))
        .access(key(t)));
  }

  @Test
  void noAdmissionNeverHitsTheReservation() {
    Rig rig = rig(ReservationParams.tokenLru(RESERVED).withAdmission("none"));
    for (int t : cyclic(4, 10)) {
      touch(rig, t);
    }
    assertEquals(0, rig.total(LlcStats.RESERVED_HITS));
    assertEquals(0, rig.llc.reservation().occupancyUnits());
    assertEquals(36, rig.total(LlcStats.SHARED_HITS)); // the shared part caches them instead
  }

  @Test
  void secondTouchAdmitsOnATouchInALaterStep() {
    int ghost = 10;
    Rig rig = rig(ReservationParams.tokenLru(RESERVED).withAdmission("second-touch")
        .withGhostUnits(ghost));
    // models: resident LRU of CAPACITY, ghost LRU of `ghost` keys with their first step
    LinkedHashMap<Long, Long> resident = new LinkedHashMap<>(16, 0.75f, true);
    LinkedHashMap<Long, Long> ghosts = new LinkedHashMap<>(16, 0.75f, true);
    long[] step = {0};
    IntFunction<Boolean> model = t -> {
      long k = key(t);
      if (resident.containsKey(k)) {
        resident.get(k);
        return true;
      }
      Long first = ghosts.get(k);
      if (first != null && first < step[0]) {
        ghosts.remove(k);
        if (resident.size() == CAPACITY) {
          Iterator<Long> it = resident.keySet().iterator();
          it.next();
          it.remove();
        }
        resident.put(k, 0L);
      } else if (first == null) {
        if (ghosts.size() == ghost) {
          Iterator<Long> it = ghosts.keySet().iterator();
          it.next();
          it.remove();
        }
        ghosts.put(k, step[0]);
      }
      return false;
    };
    SplittableRandom r = new SplittableRandom(5);
    List<String> mismatches = new ArrayList<>();
    int expectedHits = 0;
    for (int s = 0; s < 60; s++) {
      for (int i = 0; i < 30; i++) {
        int t = r.nextInt(40);
        boolean expected = model.apply(t);
        expectedHits += expected ? 1 : 0;
        if (touch(rig, t) != expected && mismatches.size() < 5) {
          mismatches.add("step " + s + " token " + t + " expected " + expected);
        }
        if (i % 10 == 0) {
          touch(rig, t); // a second touch in the same step must not admit
          expectedHits += model.apply(t) ? 1 : 0;
        }
      }
      rig.llc.endDecodeStep();
      step[0]++;
    }
    assertEquals(List.of(), mismatches);
    assertEquals(expectedHits, rig.total(LlcStats.RESERVED_HITS));
    assertTrue(expectedHits > 100, "the test exercises admissions: " + expectedHits);
  }

  @Test
  void previousStepRetentionKeepsOnlyTheLastStepsTokens() {
    Rig rig = rig(ReservationParams.tokenLru(RESERVED).withRetention(Retention.PREVIOUS_STEP));
    LinkedHashMap<Long, Long> resident = new LinkedHashMap<>(16, 0.75f, true);
    SplittableRandom r = new SplittableRandom(9);
    List<String> mismatches = new ArrayList<>();
    int expectedHits = 0;
    for (int step = 0; step < 40; step++) {
      int n = 5 + r.nextInt(CAPACITY + 5); // some steps overflow the capacity
      for (int i = 0; i < n; i++) {
        int t = r.nextInt(2 * CAPACITY);
        long k = key(t);
        boolean expected = resident.containsKey(k);
        if (!expected && resident.size() == CAPACITY) {
          Iterator<Long> it = resident.keySet().iterator();
          it.next();
          it.remove();
        }
        resident.put(k, (long) step);
        expectedHits += expected ? 1 : 0;
        if (touch(rig, t) != expected && mismatches.size() < 5) {
          mismatches.add("step " + step + " token " + t + " expected " + expected);
        }
      }
      final int current = step;
      resident.values().removeIf(last -> last < current);
      rig.llc.endDecodeStep();
      assertEquals(resident.size(), rig.llc.reservation().occupancyUnits());
    }
    assertEquals(List.of(), mismatches);
    assertEquals(expectedHits, rig.total(LlcStats.RESERVED_HITS));
  }

  @Test
  void pagesAreTheUnitAndFillSectorBySector() {
    // 8 slices x 64 sets x 16 ways = 1 MiB; 672 KiB reserved = 5376 frames = 16 pages of 1312
    LlcParams llc = Rig.small(8, 64, 16);
    long reserved = 672 << 10;
    int pages = (int) (reserved / 128 * 4 / (64 * ENTRY / 32));
    Rig rig = Rig.simple(llc, LlcScheme.named("page", reserved, LAYOUT), LAYOUT, 20_000);
    assertEquals(16, pages);
    assertEquals(pages, rig.llc.reservation().capacityUnits());
    LinkedHashMap<Long, Set<Integer>> resident = new LinkedHashMap<>(16, 0.75f, true);
    SplittableRandom r = new SplittableRandom(3);
    List<String> mismatches = new ArrayList<>();
    int expectedHits = 0;
    for (int i = 0; i < 3000; i++) {
      // a hot range of a few pages, and the whole buffer to push pages out
      int token = r.nextInt(10) < 7 ? r.nextInt(400) : r.nextInt(3 * 512 * 2);
      long page = KvLayout.key(token / 1536, token / 512 % 3, token % 512 / 64);
      Set<Integer> touched = resident.get(page);
      boolean expected = touched != null && touched.contains(token);
      if (touched == null) {
        if (resident.size() == pages) {
          Iterator<Long> it = resident.keySet().iterator();
          it.next();
          it.remove();
        }
        touched = new HashSet<>();
        resident.put(page, touched);
      }
      touched.add(token);
      expectedHits += expected ? 1 : 0;
      if (touch(rig, token) != expected && mismatches.size() < 5) {
        mismatches.add("access " + i + " token " + token + " expected " + expected);
      }
    }
    assertEquals(List.of(), mismatches);
    assertEquals(expectedHits, rig.total(LlcStats.RESERVED_HITS));
    assertTrue(expectedHits > 300);
  }

  @Test
  void anEntryLivesAndLeavesAsAWhole() {
    Rig rig = rig(ReservationParams.tokenLru(RESERVED));
    int c = CAPACITY;
    for (int round = 0; round < 3; round++) {
      for (int t = 0; t <= c; t++) { // C + 1 tokens: each is evicted before it comes back
        gatherWhole(rig, t);
      }
    }
    for (int t = c; t >= 0; t--) { // reversed: the C most recent hit entirely, the oldest not
      long before = rig.total(LlcStats.RESERVED_HITS);
      int chunks = gatherWhole(rig, t);
      long hits = rig.total(LlcStats.RESERVED_HITS) - before;
      assertEquals(t == 0 ? 0 : chunks, hits, "token " + t);
    }
    assertEquals(0, rig.messages.live());
  }

  /** Gathers a whole entry, one request per line it touches; returns the request count. */
  static int gatherWhole(Rig rig, int token) {
    long start = LAYOUT.base() + (long) token * ENTRY;
    long end = start + ENTRY;
    int n = 0;
    for (long a = start; a < end; n++) {
      long lineEnd = (a / 128 + 1) * 128;
      int bytes = (int) (Math.min(end, lineEnd) - a);
      rig.cu().read(a, bytes, TrafficClass.KV_GATHER);
      a += bytes;
    }
    rig.drain();
    return n;
  }
}
