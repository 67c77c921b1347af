package org.dsasim.mem.llc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsasim.core.time.ClockDomain;
import org.dsasim.mem.interconnect.CrossbarParams;
import org.dsasim.mem.reservation.KvLayout;
import org.dsasim.mem.reservation.ReservationParams;
import org.dsasim.mem.testing.Requester;
import org.dsasim.mem.testing.Rig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Idle latencies equal the configured sums; slice bandwidth bounds hit and miss throughput;
 * determinism.
 */
class LlcTimingTest {
  static final long HIT = 80_000;
  static final long TAG = 9_000;
  static final long FILL = 7_000;
  static final long MEMORY = 350_000;
  static final long REQUEST = 20_000;
  static final long RESPONSE = 25_000;
  static final long CROSSING = 62_000;
  static final double GROUP_BW = 32e9; // 64 B in 2000 ps
  static final double SLICE_BW = 128e9; // 64 B in 500 ps

  static Rig rig(int groups) {
    LlcParams p = Rig.small(4, 16, 4).withLatencies(HIT, TAG, FILL);
    CrossbarParams x = new CrossbarParams(groups, REQUEST, RESPONSE, CROSSING, GROUP_BW, SLICE_BW,
        8);
    return new Rig(p, LlcScheme.none(), null, x, MEMORY, Double.POSITIVE_INFINITY,
        0, Integer.MAX_VALUE);
  }

  /** ceil(bytes / bandwidth) in ps, as one link hop serialises a message. */
  static long hop(int bytes, double bandwidth) {
    return (long) Math.ceil(bytes * (1e12 / bandwidth));
  }

  /** An address of the given partition (4 slices: 0-1 near group 0, 2-3 near group 1). */
  static long addressIn(Rig rig, int partition, int nth) {
    int found = 0;
    for (long line = 0; ; line++) {
      if (rig.llc.partitionOfSlice(rig.llc.sliceOf(line * 128)) == partition && found++ == nth) {
        return line * 128;
      }
    }
  }

  @Test
  void idleHitAndMissLatenciesAreTheConfiguredSums() {
    for (int partition = 0; partition < 2; partition++) {
      Rig rig = rig(2);
      long addr = addressIn(rig, partition, 0);
      long far = partition == 0 ? 0 : 2 * CROSSING;
      long wires = REQUEST + RESPONSE + 2 * hop(64, GROUP_BW) + 2 * hop(64, SLICE_BW);
      int miss = rig.readNow(addr, 64, TrafficClass.KV_GATHER);
      assertEquals(wires + far + TAG + MEMORY + FILL, rig.cu().latency(miss),
          "idle miss, partition " + partition);
      int hit = rig.readNow(addr, 64, TrafficClass.KV_GATHER);
      assertEquals(wires + far + HIT, rig.cu().latency(hit), "idle hit, partition " + partition);
    }
  }

  @Test
  void eachGroupIsNearItsOwnHalf() {
    Rig rig = rig(2);
    long inPartition1 = addressIn(rig, 1, 3);
    rig.readNow(inPartition1, 32, TrafficClass.OTHER); // warm
    int fromGroup0 = rig.requesters[0].read(inPartition1, 32, TrafficClass.OTHER);
    rig.drain();
    int fromGroup1 = rig.requesters[1].read(inPartition1, 32, TrafficClass.OTHER);
    rig.drain();
    assertEquals(2 * CROSSING,
        rig.requesters[0].latency(fromGroup0) - rig.requesters[1].latency(fromGroup1));
    assertEquals(1, rig.crossbar.partitionOfGroup(1));
  }

  @ParameterizedTest
  @CsvSource({"1, 64, 32", "1, 64, 128", "1, 48, 100", "4, 32, 64", "3, 64, 96"})
  void sliceBandwidthBoundsHitThroughput(int slices, int bytesPerCycle, int requestBytes) {
    LlcParams p = Rig.small(slices, 64, 16).withSliceBandwidth(bytesPerCycle)
        .withMshrs(16, 8, 8);
    Rig rig = new Rig(p, LlcScheme.none(), null, Rig.idealCrossbar(1), 1_000,
        Double.POSITIVE_INFINITY, 0, Integer.MAX_VALUE);
    int perSlice = 200;
    List<Long> addresses = linesPerSlice(rig, perSlice);
    for (long a : addresses) { // warm: every line present
      rig.cu().read(a, 128, TrafficClass.WEIGHTS);
    }
    rig.drain();
    long misses = rig.total(LlcStats.MISSES);
    int first = rig.cu().queued();
    for (long a : addresses) {
      rig.cu().read(a, requestBytes, TrafficClass.WEIGHTS);
    }
    long start = rig.sim.now();
    rig.drain();
    assertEquals(misses, rig.total(LlcStats.MISSES), "all hits");
    long last = 0;
    for (int id = first; id < rig.cu().queued(); id++) {
      last = Math.max(last, rig.cu().answeredAt(id));
    }
    // per slice: one request per ceil(bytes / bytesPerCycle) cycles of the 1.98 GHz clock
    long cycles = (requestBytes + bytesPerCycle - 1) / bytesPerCycle;
    long interval = new ClockDomain("check", 1.98e9).duration(cycles);
    assertEquals(p.hitLatencyPs() + (perSlice - 1) * interval, last - start);
    double bytesPerSecond = (double) perSlice * slices * requestBytes / ((last - start
        - p.hitLatencyPs() + interval) / 1e12);
    double formula = slices * requestBytes / (cycles / 1.98e9);
    assertEquals(formula, bytesPerSecond, formula * 1e-3);
  }

  /** The first {@code perSlice} line addresses of every slice, in address order. */
  static List<Long> linesPerSlice(Rig rig, int perSlice) {
    int slices = rig.llc.slices();
    List<Long> addresses = new ArrayList<>();
    int[] count = new int[slices];
    for (long line = 0; addresses.size() < perSlice * slices; line++) {
      int s = rig.llc.sliceOf(line * 128);
      if (count[s] < perSlice) {
        count[s]++;
        addresses.add(line * 128);
      }
    }
    return addresses;
  }

  /**
   * A miss moves its bytes through the slice's data path once, when its fill is written and
   * forwarded; its lookup takes the tag stage for one cycle and no data-path time. So a slice
   * answers a stream of misses one fill occupancy apart, as it answers hits, and with fills
   * arriving faster than that (memory of unlimited bandwidth) its answers are exactly
   * {@code ceil(fill bytes / bytesPerCycle)} cycles apart.
   */
  @ParameterizedTest
  @CsvSource({"1, 64, 128", "1, 32, 128", "4, 64, 128", "2, 64, 64"})
  void sliceBandwidthBoundsMissThroughput(int slices, int bytesPerCycle, int requestBytes) {
    int perSlice = 200;
    LlcParams p = Rig.small(slices, 64, 16).withSliceBandwidth(bytesPerCycle)
        .withMshrs(perSlice, 8, 8);
    Rig rig = new Rig(p, LlcScheme.none(), null, Rig.idealCrossbar(1), 1_000,
        Double.POSITIVE_INFINITY, 0, Integer.MAX_VALUE);
    List<Long> addresses = linesPerSlice(rig, perSlice);
    for (long a : addresses) {
      rig.cu().read(a, requestBytes, TrafficClass.WEIGHTS);
    }
    rig.drain();
    assertEquals(addresses.size(), rig.total(LlcStats.MISSES), "all misses");
    long interval = new ClockDomain("check", 1.98e9)
        .duration((requestBytes + bytesPerCycle - 1) / bytesPerCycle);
    for (int s = 0; s < slices; s++) {
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (int id = 0; id < addresses.size(); id++) {
        if (rig.llc.sliceOf(addresses.get(id)) == s) {
          first = Math.min(first, rig.cu().answeredAt(id));
          last = Math.max(last, rig.cu().answeredAt(id));
        }
      }
      assertEquals((perSlice - 1) * interval, last - first, "slice " + s);
    }
  }

  /** A mixed multi-requester run with a reservation and random replacement. */
  static List<Object> mixedRun(long seed) {
    KvLayout layout = new KvLayout(1L << 24, 4, 4, 1024, 656);
    LlcParams p = Rig.small(4, 32, 8).withReplacement("random", seed).withMshrs(4, 2, 4);
    CrossbarParams x = new CrossbarParams(4, 3_000, 3_000, 5_000, 64e9, 128e9, 4);
    Rig rig = new Rig(p, LlcScheme.reservation("token-lru",
        ReservationParams.tokenLru(32 << 10).withLend(true)), layout, x, 40_000, 400e9, 2_000, 16);
    SplittableRandom r = new SplittableRandom(99);
    for (int i = 0; i < 3000; i++) {
      Requester cu = rig.requesters[r.nextInt(4)];
      if (r.nextBoolean()) {
        long a = layout.base() + (long) r.nextInt(4 * 4 * 64) * 656;
        cu.read(a, 16, TrafficClass.KV_GATHER);
      } else {
        cu.request(r.nextInt(1 << 14) * 128L, 32 * (1 + r.nextInt(4)), r.nextInt(2),
            TrafficClass.WEIGHTS);
      }
    }
    rig.drain();
    List<Object> result = new ArrayList<>();
    Map<String, Number> stats = rig.statsMap();
    result.add(stats);
    for (Requester cu : rig.requesters) {
      for (int id = 0; id < cu.queued(); id++) {
        result.add(cu.answeredAt(id));
      }
    }
    result.add(rig.sim.now());
    assertEquals(0, rig.messages.live());
    return result;
  }

  @Test
  void sameInputsAndSeedGiveIdenticalResults() {
    List<Object> a = mixedRun(1);
    assertEquals(a, mixedRun(1));
    assertNotEquals(a, mixedRun(2), "the seed matters (random replacement)");
  }
}
