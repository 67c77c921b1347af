package org.dsasim.accel.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.dsasim.accel.TestConfigs;
import org.dsasim.mem.reservation.KvLayout;
import org.dsasim.accel.kernel.TrafficClass;
import org.dsasim.core.config.Config;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Link;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
import org.junit.jupiter.api.Test;

/**
 * The KV reservation of the fast memory model: gathers issued one at a time (so the order of
 * accesses does not depend on timing), at growing reservation sizes, and with each sharing and
 * admission policy against an independent LRU model.
 */
class ReservationHitRateTest {
  private static final int ENTRY = 656;

  /**
   * Issues the next gather when the previous one has returned, and ends a decode step every
   * {@code perStep} gathers.
   */
  private static final class Requester extends Component {
    final Port port;
    final long[] addrs;
    final Messages messages;
    final MemorySystem mem;
    final int perStep;
    int next;

    Requester(Simulator sim, Messages messages, long[] addrs, MemorySystem mem, int perStep) {
      super(sim, "requester");
      this.messages = messages;
      this.addrs = addrs;
      this.mem = mem;
      this.perStep = perStep;
      this.port = addPort("mem", (p, m) -> {
        messages.release(m);
        issue();
      });
    }

    void issue() {
      if (next > 0 && next % perStep == 0) {
        mem.endDecodeStep();
      }
      if (next < addrs.length) {
        port.send(messages.acquire(addrs[next++], ENTRY, Messages.READ, TrafficClass.KV_GATHER, 0,
            0, sim.now()));
      }
    }
  }

  private static double reservedHitRate(long reservedBytes, long[] addrs, KvLayout kv) {
    return gather(reservedBytes, addrs, kv, addrs.length).reservedHitRate();
  }

  /** Gathers {@code addrs} one at a time, {@code perStep} to a decode step. */
  private static MemoryStats gather(long reservedBytes, long[] addrs, KvLayout kv, int perStep,
      String... settings) {
    Config cfg = TestConfigs.with(settings);
    Simulator sim = new Simulator();
    Messages messages = new Messages();
    PartitionedLlcMemory mem =
        new PartitionedLlcMemory(sim, "mem", messages, 1, cfg, 0, reservedBytes, ENTRY);
    mem.setKvLayout(kv);
    Requester r = new Requester(sim, messages, addrs, mem, perStep);
    Link.connect(sim, messages, r.port, mem.smSide(0), 0, Double.POSITIVE_INFINITY);
    Link.connect(sim, messages, mem.smSide(0), r.port, 0, Double.POSITIVE_INFINITY);
    r.issue();
    sim.run();
    return mem.stats();
  }

  /**
   * Hits of an independent model: per group an LRU of {@code quota} entries (a LinkedHashMap in
   * access order); a miss enters if {@code admit} says so, evicting its group's least recent.
   */
  private static long naiveHits(long[] addrs, KvLayout kv, int groups, int quota,
      java.util.function.LongUnaryOperator groupOf, int perStep, NaiveAdmission admit) {
    List<LinkedHashMap<Long, Boolean>> lru = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      lru.add(new LinkedHashMap<>(16, 0.75f, true));
    }
    long hits = 0;
    for (int i = 0; i < addrs.length; i++) {
      long entry = addrs[i] / ENTRY;
      LinkedHashMap<Long, Boolean> set = lru.get((int) groupOf.applyAsLong(entry));
      if (set.get(entry) != null) {
        hits++;
      } else if (admit.admit(entry, i / perStep)) {
        if (set.size() == quota) {
          set.remove(set.keySet().iterator().next());
        }
        set.put(entry, true);
      }
    }
    return hits;
  }

  interface NaiveAdmission {
    boolean admit(long entry, long step);
  }

  /**
   * Half the gathers are of layer 0, each a token never gathered before; the others are of layers
   * 1 to 3 and reuse a set of 64 tokens that slowly changes.
   */
  private static long[] mixedWorkload(KvLayout kv, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    long[] addrs = new long[n];
    int[] recent = new int[64];
    for (int i = 0; i < recent.length; i++) {
      recent[i] = rng.nextInt(kv.contextTokens());
    }
    for (int i = 0; i < n; i++) {
      int seq = rng.nextInt(kv.sequences());
      if (rng.nextBoolean()) {
        addrs[i] = kv.address(seq, 0, i % kv.contextTokens());
        continue;
      }
      int slot = rng.nextInt(recent.length);
      if (rng.nextInt(16) == 0) {
        recent[slot] = rng.nextInt(kv.contextTokens());
      }
      addrs[i] = kv.address(seq, 1 + rng.nextInt(kv.layers() - 1), recent[slot]);
    }
    return addrs;
  }

  @Test
  void sharedPerLayerOrPerSequenceTheReservationIsAnLruPerGroup() {
    KvLayout kv = new KvLayout(0, 2, 4, 8192, ENTRY);
    long[] addrs = mixedWorkload(kv, 20_000, 5);
    // 600 entries, 150 per layer: a layer's 2 x 64 reused entries fit its quota, while in one
    // pool the 384 reused entries and layer 0's fresh ones, as many again, do not
    long bytes = 600L * ENTRY;
    int entries = 600;
    long ctx = kv.contextTokens();
    long layers = kv.layers();
    long perLayer = naiveHits(addrs, kv, 4, entries / 4, e -> (e / ctx) % layers, 1000,
        (e, step) -> true);
    long perSeq = naiveHits(addrs, kv, 2, entries / 2, e -> e / ctx / layers, 1000,
        (e, step) -> true);
    long pool = naiveHits(addrs, kv, 1, entries, e -> 0, 1000, (e, step) -> true);
    assertEquals(perLayer, gather(bytes, addrs, kv, 1000,
        "fastmem.llc.reservation_sharing=per-layer").reservedHits);
    assertEquals(perSeq, gather(bytes, addrs, kv, 1000,
        "fastmem.llc.reservation_sharing=per-sequence").reservedHits);
    assertEquals(pool, gather(bytes, addrs, kv, 1000).reservedHits);
    // layer 0's fresh tokens push the other layers' entries out of a shared pool only
    assertTrue(perLayer > pool, perLayer + " hits per layer, " + pool + " pooled");
  }

  @Test
  void prevTopkKeepsOnlyTheEntriesOfThePreviousStep() {
    KvLayout kv = new KvLayout(0, 2, 4, 8192, ENTRY);
    long[] addrs = mixedWorkload(kv, 20_000, 11);
    int perStep = 400;
    int entries = 600;
    // independent: an LRU of 600 entries; at a step's end the entries not gathered in it leave
    LinkedHashMap<Long, Long> lastStep = new LinkedHashMap<>(16, 0.75f, true);
    long expected = 0;
    for (int i = 0; i < addrs.length; i++) {
      long step = i / perStep;
      if (i > 0 && i % perStep == 0) {
        lastStep.values().removeIf(s -> s < step - 1);
      }
      long entry = addrs[i] / ENTRY;
      if (lastStep.get(entry) != null) {
        expected++;
      } else if (lastStep.size() == entries) {
        lastStep.remove(lastStep.keySet().iterator().next());
      }
      lastStep.put(entry, step);
    }
    assertEquals(expected, gather((long) entries * ENTRY, addrs, kv, perStep,
        "fastmem.llc.reservation_kind=prev-topk").reservedHits);
    assertTrue(expected > 0);
  }

  @Test
  void pagesHoldSixtyFourTokensButHitOnlyOnEntriesGatheredBefore() {
    KvLayout kv = new KvLayout(0, 2, 4, 8192, ENTRY);
    long[] addrs = mixedWorkload(kv, 20_000, 13);
    int pages = 40; // 2,560 entries of capacity
    // independent: an LRU of 40 pages (64 tokens of one sequence and layer), each with the set
    // of its entries fetched so far
    LinkedHashMap<Long, java.util.Set<Long>> lru = new LinkedHashMap<>(16, 0.75f, true);
    long expected = 0;
    for (long a : addrs) {
      long entry = a / ENTRY;
      long page = entry / kv.contextTokens() * 1000 + entry % kv.contextTokens() / 64;
      java.util.Set<Long> fetched = lru.get(page);
      if (fetched == null) {
        if (lru.size() == pages) {
          lru.remove(lru.keySet().iterator().next());
        }
        fetched = new java.util.HashSet<>();
        lru.put(page, fetched);
      }
      if (!fetched.add(entry)) {
        expected++;
      }
    }
    long bytes = (long) pages * 64 * ENTRY;
    assertEquals(expected, gather(bytes, addrs, kv, 1000,
        "fastmem.llc.reservation_kind=page").reservedHits);
    // the same capacity in single entries holds more of the reused ones
    assertTrue(gather(bytes, addrs, kv, 1000).reservedHits > expected);
  }

  @Test
  void secondTouchAdmitsAnEntryGatheredAgainInALaterStep() {
    KvLayout kv = new KvLayout(0, 2, 4, 8192, ENTRY);
    long[] addrs = mixedWorkload(kv, 20_000, 7);
    long bytes = 2L << 20;
    int entries = (int) (bytes / ENTRY);
    int perStep = 500;
    for (int ghost : new int[] {0, 300}) {
      int remembered = ghost > 0 ? ghost : entries;
      // the policy's rule: the first touch is remembered (LRU of `remembered`); a touch in a
      // later step admits and forgets it, one in the same step only refreshes it
      LinkedHashMap<Long, Long> firstStep = new LinkedHashMap<>(16, 0.75f, true);
      long expected = naiveHits(addrs, kv, 1, entries, e -> 0, perStep, (e, step) -> {
        Long first = firstStep.get(e);
        if (first != null) {
          if (first < step) {
            firstStep.remove(e);
            return true;
          }
          return false;
        }
        if (firstStep.size() == remembered) {
          firstStep.remove(firstStep.keySet().iterator().next());
        }
        firstStep.put(e, step);
        return false;
      });
      MemoryStats s = gather(bytes, addrs, kv, perStep,
          "fastmem.llc.reservation_admission=second-touch",
          "fastmem.llc.reservation_ghost_entries=" + ghost);
      assertEquals(expected, s.reservedHits, "ghost " + ghost);
      assertTrue(expected > 0);
    }
    assertEquals(0, gather(bytes, addrs, kv, perStep,
        "fastmem.llc.reservation_admission=none").reservedHits);
  }

  @Test
  void moreReservationNeverLowersTheReservedHitRate() {
    KvLayout kv = new KvLayout(0, 2, 4, 8192, ENTRY);
    SplittableRandom rng = new SplittableRandom(3);
    long[] addrs = new long[30_000];
    int[] recent = new int[512];
    for (int i = 0; i < addrs.length; i++) {
      int token = rng.nextInt(3) == 0 ? rng.nextInt(8192) : recent[rng.nextInt(recent.length)];
      recent[i % recent.length] = token;
      addrs[i] = kv.address(rng.nextInt(2), rng.nextInt(4), token);
    }
    double previous = -1;
    for (long mib = 0; mib <= 24; mib += 4) {
      double rate = reservedHitRate(mib << 20, addrs, kv);
      assertTrue(rate >= previous, mib + " MiB: " + rate + " < " + previous);
      previous = rate;
    }
    assertTrue(previous > 0.3, "a reservation holding the working set hits often: " + previous);
  }
}
