package org.dsasim.mem.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsasim.core.UserInputException;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Messages;
import org.dsasim.mem.hbm.HbmConfig;
import org.dsasim.mem.llc.LlcStats;
import org.dsasim.mem.llc.TrafficClass;
import org.dsasim.mem.testing.Requester;
import org.junit.jupiter.api.Test;

/** The builder's wiring: ports -> crossbar -> LLC partitions -> home partition or HBM. */
class MemoryHierarchyTest {
  /** 16 KiB in 4 slices of 8 sets x 4 ways over one HBM3 stack, split into partitions. */
  static HierarchyParams small(int partitions) {
    return sized(partitions, "16KiB", 4);
  }

  static HierarchyParams sized(int partitions, String capacity, int ways) {
    return HierarchyParams.bind(values(partitions, capacity, ways, 16, 2), HbmConfig.preset("hbm3"),
        "test", "small");
  }

  /** 4 slices over one HBM3 stack, with 30 + 10 ns of crossing and memory path. */
  static Map<String, String> values(int partitions, String capacity, int ways, int mshrs,
      int groups) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("llc.capacity", capacity);
    v.put("llc.slices", "4");
    v.put("llc.ways", String.valueOf(ways));
    v.put("llc.partitions", String.valueOf(partitions));
    v.put("llc.mshrs", String.valueOf(mshrs));
    v.put("interconnect.groups", String.valueOf(groups));
    v.put("interconnect.crossing_latency", "30ns");
    v.put("system.memory_latency", "10ns");
    return v;
  }

  static long stat(Map<String, Number> stats, String key) {
    Number n = stats.get(key);
    if (n == null) {
      throw new AssertionError("no statistic " + key + " in " + stats.keySet());
    }
    return n.longValue();
  }

  @Test
  void everyRequestIsAnsweredOnceAndWritesReachTheHbmOnePartition() {
    everyRequestIsAnsweredOnceAndWritesReachTheHbm(1);
  }

  /**
   * Each partition's misses of lines homed in the other hold its MSHRs until the other answers;
   * this run used to stall after 209 of the 1500 requests with every MSHR of both partitions held
   * so and each partition's requests from the other queued behind its own stalled head.
   */
  @Test
  void everyRequestIsAnsweredOnceAndWritesReachTheHbmTwoPartitions() {
    everyRequestIsAnsweredOnceAndWritesReachTheHbm(2);
  }

  /**
   * The worst case for the partitions' dependence on each other: every request of both ports is
   * for a line homed in the other partition, a third of them writes, over 8x the LLC, so nearly
   * all MSHRs of both wait on the other and the evicted dirty copies go back there.
   */
  @Test
  void bothPartitionsHammeringLinesHomedInTheOtherAllGetAnswered() {
    Simulator sim = new Simulator();
    Messages messages = new Messages();
    MemoryHierarchy memory = new MemoryHierarchy(sim, messages, "m", small(2), 2);
    Requester[] cus = new Requester[2];
    for (int i = 0; i < 2; i++) {
      cus[i] = new Requester(sim, "cu" + i, messages, 100 + i);
      memory.connectPort(i, cus[i].port());
      cus[i].useCredits(memory.credits(i));
    }
    SplittableRandom random = new SplittableRandom(11);
    int[] sent = new int[2];
    for (int i = 0; i < 3000; i++) {
      int port = i % 2;
      long address = random.nextLong(1024) * 128;
      if (memory.homeOf(address) == memory.partitionOfPort(port)) {
        continue;
      }
      sent[port]++;
      if (random.nextInt(3) == 0) {
        cus[port].write(address, 128, TrafficClass.OTHER);
      } else {
        cus[port].read(address, 128, TrafficClass.OTHER);
      }
    }
    sim.run();
    assertTrue(sent[0] > 500 && sent[1] > 500, "both ports send many far requests");
    assertEquals(sent[0], cus[0].answered());
    assertEquals(sent[1], cus[1].answered());
    sim.run(Simulator.StopAt.time(sim.now() + 20_000_000));
    assertEquals(0, messages.live(), "every memory request was answered and released");
    Map<String, Number> stats = new LinkedHashMap<>();
    memory.exportStats("m", stats);
    for (int p = 0; p < 2; p++) {
      assertTrue(stat(stats, "m.p" + p + ".remote_requests") > sent[p] / 4,
          "partition " + p + "'s misses and write-backs went to the other");
    }
    assertTrue(memory.hbm().stats().writeBursts() > 0, "write-backs reached the HBM");
  }

  /**
   * Four ports of partition 0 read lines homed in partition 1 once each (8x the LLC, so every
   * read crosses): the crossing carries the four ports' traffic, up to its own bandwidth, not one
   * port's. Bytes per second from the first request to the last answer.
   */
  @Test
  void farReadsCrossAtTheCrossingBandwidthNotOnePorts() {
    double port = 16e9; // 8 groups x 16 GB/s over 8 ports
    // by default the crossing is as wide as one partition's 4 ports together
    double wide = farReadBandwidth(null);
    assertTrue(wide > 0.8 * 4 * port && wide <= 4 * port * 1.001,
        wide + " B/s against 4 ports' " + 4 * port);
    double narrow = farReadBandwidth("8GB/s");
    assertTrue(narrow > 0.8 * 8e9 && narrow <= 8e9 * 1.001, narrow + " B/s against 8 GB/s");
  }

  private static double farReadBandwidth(String crossing) {
    Map<String, String> v = values(2, "16KiB", 4, 512, 8);
    v.put("interconnect.group_bandwidth", "16GB/s");
    if (crossing != null) {
      v.put("interconnect.crossing_bandwidth", crossing);
    }
    HierarchyParams params = HierarchyParams.bind(v, HbmConfig.preset("hbm3"), "test", "far");
    Simulator sim = new Simulator();
    Messages messages = new Messages();
    MemoryHierarchy memory = new MemoryHierarchy(sim, messages, "m", params, 8);
    Requester[] cus = new Requester[4];
    for (int i = 0; i < cus.length; i++) {
      int port = 2 * i; // ports alternate between the two partitions
      assertEquals(0, memory.partitionOfPort(port));
      cus[i] = new Requester(sim, "cu" + i, messages, 100 + i);
      memory.connectPort(port, cus[i].port());
      cus[i].useCredits(memory.credits(port));
    }
    int sent = 0;
    for (long line = 0; sent < 4 * 1024; line++) {
      long address = line * 128;
      if (memory.homeOf(address) == 1) {
        cus[sent % cus.length].read(address, 128, TrafficClass.OTHER);
        sent++;
      }
    }
    sim.run(Simulator.StopAt.when(() -> {
      int answered = 0;
      for (Requester cu : cus) {
        answered += cu.answered();
      }
      return answered == 4 * 1024;
    }));
    return 4 * 1024 * 128 / (sim.now() * 1e-12);
  }

  @Test
  void partitionsNeedAnMshrBeyondTheOnesKeptForRemoteRequests() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("llc.capacity", "16KiB");
    v.put("llc.slices", "4");
    v.put("llc.ways", "4");
    v.put("llc.partitions", "2");
    v.put("llc.mshrs", String.valueOf(MemoryHierarchy.REMOTE_MSHRS));
    HierarchyParams params = HierarchyParams.bind(v, HbmConfig.preset("hbm3"), "test", "small");
    UserInputException e = assertThrows(UserInputException.class,
        () -> new MemoryHierarchy(new Simulator(), new Messages(), "m", params, 2));
    assertTrue(e.getMessage().contains("llc.mshrs"), e.getMessage());
  }

  private static void everyRequestIsAnsweredOnceAndWritesReachTheHbm(int partitions) {
    {
      Simulator sim = new Simulator();
      Messages messages = new Messages();
      MemoryHierarchy memory = new MemoryHierarchy(sim, messages, "m", small(partitions), 2);
      Requester[] cus = new Requester[2];
      for (int i = 0; i < 2; i++) {
        cus[i] = new Requester(sim, "cu" + i, messages, 100 + i);
        memory.connectPort(i, cus[i].port());
        cus[i].useCredits(memory.credits(i));
      }
      SplittableRandom random = new SplittableRandom(7);
      for (int i = 0; i < 1500; i++) {
        Requester cu = cus[i % 2];
        long line = random.nextLong(1024); // 128 KiB: 8x the LLC, so dirty lines get evicted
        if (random.nextInt(3) == 0) {
          cu.write(line * 128, 128, TrafficClass.OTHER); // whole lines: whole HBM bursts
        } else {
          cu.read(line * 128, 128, TrafficClass.OTHER);
        }
      }
      sim.run();
      assertEquals(750, cus[0].answered());
      assertEquals(750, cus[1].answered());
      // let the posted write-backs land
      sim.run(Simulator.StopAt.time(sim.now() + 20_000_000));
      assertEquals(0, messages.live(), "every memory request was answered and released");
      Map<String, Number> stats = new LinkedHashMap<>();
      memory.exportStats("m", stats);
      long hbmWriteBytes = memory.hbm().stats().writeBursts() * memory.hbm().accessBytes();
      long writeBacks = 0;
      for (int p = 0; p < partitions; p++) {
        // write-backs, and writes that went on uncached (a bypass: every frame locked)
        writeBacks += stat(stats, "m.p" + p + ".llc.total.writeback_bytes")
            + stat(stats, "m.p" + p + ".llc.total.write_through_bytes");
      }
      assertTrue(hbmWriteBytes > 0, "writes reached the HBM");
      if (partitions == 1) {
        assertEquals(writeBacks, hbmWriteBytes);
      } else {
        // a partition's write-back of a line homed elsewhere lands in the home's LLC, not the HBM
        assertTrue(hbmWriteBytes <= writeBacks);
        assertTrue(stat(stats, "m.p0.remote_requests") > 0);
        assertTrue(stat(stats, "m.p1.remote_requests") > 0);
      }
    }
  }

  @Test
  void homesSplitContiguousLinesEvenly() {
    HomeMap homes = new HomeMap(2, 7);
    int[] count = new int[2];
    for (long line = 0; line < 4096; line++) {
      count[homes.homeOf(line * 128)]++;
      assertTrue(homes.homeOf(line * 128) != homes.homeOf((line ^ 1) * 128),
          "a pair of lines has one line in each partition");
    }
    assertEquals(2048, count[0]);
  }

  @Test
  void randomReadsHitInProportionToTheCapacity() {
    // uniform independent reads: any demand-fetch cache of C lines over F lines holds C / F of
    // the references. The near partition sees that stream; the far partition sees only the near
    // misses of its homed half, which are biased towards lines not used lately, so it must hit
    // less than the C / (F / 2) an independent stream over its lines would.
    // A reference to a line already being fetched (a merged miss) found it in the cache in that
    // model. Partitions of 1024 lines (128 KiB), so the ~128 requests in flight lock few frames.
    HierarchyParams p = sized(2, "256KiB", 8);
    long partitionLines = 1024;
    long footprint = 4 * partitionLines * 128;
    Membench.Result r = Membench.run(p, new Membench.Spec(Membench.Pattern.RANDOM, 60_000, 128,
        footprint, 1.0, 3));
    Map<String, Number> s = r.stats();
    double nearHit = found(s, "system.p0.llc.total.") / stat(s, "system.p0.llc.total.accesses");
    double farHit = found(s, "system.p1.llc.total.") / stat(s, "system.p1.llc.total.accesses");
    assertEquals(0.25, nearHit, 0.02);
    assertTrue(farHit > 0.1 && farHit < 0.5 - 0.03, "far partition hit ratio " + farHit);
    assertEquals(60_000, r.reads());
  }

  private static double found(Map<String, Number> s, String prefix) {
    return stat(s, prefix + "hits") + stat(s, prefix + "merged_misses");
  }

  @Test
  void aStreamThatFitsIsServedByTheNearPartitionAtItsBandwidth() {
    HierarchyParams p = small(2);
    Membench.Result r = Membench.run(p, new Membench.Spec(Membench.Pattern.STREAM, 20_000, 128,
        4096, 1.0, 1));
    Map<String, Number> s = r.stats();
    assertEquals(stat(s, "system.p0.llc.total.accesses"), stat(s, "system.p0.llc.total.hits"));
    // 2 slices x 64 B per cycle at 1.98 GHz; the one port carries 2 x 128 GB/s, less
    double limit = Math.min(2 * 64 * 1.98e9, 2 * 128e9);
    double bw = r.bandwidthBytesPerSecond();
    assertTrue(bw > 0.85 * limit && bw <= limit * 1.001, bw + " B/s against " + limit);
  }

  @Test
  void badSplitsAreUserErrors() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("llc.partitions", "3");
    v.put("llc.slices", "96");
    HierarchyParams p = HierarchyParams.bind(v, HbmConfig.preset("hbm3"), "test", "t");
    assertThrows(UserInputException.class,
        () -> new MemoryHierarchy(new Simulator(), new Messages(), "m", p, 1));
    Map<String, String> bad = Map.of("system.bogus", "1");
    assertThrows(UserInputException.class,
        () -> HierarchyParams.bind(bad, HbmConfig.preset("hbm3"), "test", "t"));
  }
}
