package org.dsasim.accel.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dsasim.accel.TestConfigs;
import org.dsasim.accel.gpu.ComputeUnitTimingTest.ChainKernel;
import org.dsasim.accel.kernel.ComputeKernel;
import org.dsasim.accel.kernel.Kernel;
import org.dsasim.accel.kernel.StreamComputeKernel;
import org.dsasim.accel.kernel.TrafficClass;
import org.dsasim.accel.memory.MemoryStats;
import org.dsasim.accel.system.Accelerator;
import org.dsasim.accel.timeline.ActivityObserver;
import org.junit.jupiter.api.Test;

/**
 * Launch replay ({@link Gpu}): a launch that repeats an earlier one's work from an idle device is
 * not simulated but its recorded change applied. Each test runs the same launches with replay on
 * and off and requires the same figures.
 */
class LaunchReplayTest {
  private static final long MIB = 1 << 20;

  /** A weight-stream-like kernel over one range at {@code base} of {@code bytes}. */
  private static StreamComputeKernel stream(String phase, long base, long bytes, int chunk) {
    return new StreamComputeKernel(phase, phase, new long[] {base}, new long[] {bytes}, chunk, 2,
        8.0, false, TrafficClass.WEIGHTS, 132, 256, 32);
  }

  /** Runs {@code kernels} one after another on a fresh H200 with fast memory. */
  private static Accelerator run(boolean replay, Kernel... kernels) {
    Accelerator acc = Accelerator.withFastMemory(
        TestConfigs.with("kernels.replay=" + replay, "fastmem.hbm.refresh_busy=0ns"), 0);
    for (Kernel k : kernels) {
      acc.gpu().submit(k);
    }
    acc.drain();
    return acc;
  }

  private static long phasePs(Accelerator acc, String phase) {
    return acc.gpu().phaseTimes().get(phase);
  }

  @Test
  void aRepeatedStreamIsReplayedWithTheFiguresOfItsSimulation() {
    // the same sizes at other addresses: the same work
    Accelerator on = run(true, stream("first", 0, 96 * MIB, 256 << 10),
        stream("second", 1L << 32, 96 * MIB, 256 << 10));
    Accelerator off = run(false, stream("first", 0, 96 * MIB, 256 << 10),
        stream("second", 1L << 32, 96 * MIB, 256 << 10));
    assertEquals(1, on.gpu().kernelsReplayed());
    assertEquals(0, off.gpu().kernelsReplayed());
    assertEquals(2, on.gpu().kernelsRun());
    assertEquals(phasePs(off, "first"), phasePs(on, "first"));
    // the simulated second launch starts at another time than the recorded first: its times
    // round differently by at most a few ps
    assertEquals(phasePs(off, "second"), phasePs(on, "second"), 4);
    assertTrue(phasePs(on, "second") > 96 * MIB / 4.8e12 * 1e12, "bandwidth-bound");
    assertEquals(off.sim().now(), on.sim().now(), 4);

    MemoryStats a = on.memory().stats();
    MemoryStats b = off.memory().stats();
    assertEquals(b.readRequests, a.readRequests);
    assertEquals(b.readBytes, a.readBytes);
    assertEquals(b.hbmReadBytes, a.hbmReadBytes);
    assertEquals(b.hbmActivations, a.hbmActivations);
    assertEquals(b.hbmBusyPs, a.hbmBusyPs, 1);
    assertEquals(off.gpu().loads(), on.gpu().loads());
    for (StallCause c : StallCause.values()) {
      long sim = off.gpu().warpStallPs(c);
      assertEquals(sim, on.gpu().warpStallPs(c), 1e-6 * sim + 132 * 64, c.key());
    }
  }

  @Test
  void aRepeatedArithmeticPhaseIsReplayedWithTheFiguresOfItsSimulation() {
    Accelerator on = run(true, new ComputeKernel("first", "first", 264, 256, 5_000_000),
        new ComputeKernel("second", "second", 264, 256, 5_000_000),
        new ComputeKernel("other", "other", 264, 256, 4_000_000));
    Accelerator off = run(false, new ComputeKernel("first", "first", 264, 256, 5_000_000),
        new ComputeKernel("second", "second", 264, 256, 5_000_000),
        new ComputeKernel("other", "other", 264, 256, 4_000_000));
    assertEquals(1, on.gpu().kernelsReplayed());
    for (String phase : new String[] {"first", "second", "other"}) {
      assertEquals(phasePs(off, phase), phasePs(on, phase), 4, phase);
    }
    assertEquals(phasePs(on, "first"), phasePs(on, "second"));
    assertTrue(phasePs(on, "other") < phasePs(on, "first"));
  }

  /** An observer of every block and transfer sees every launch simulated. */
  @Test
  void watchedLaunchesAreSimulated() {
    long[] transfers = new long[2];
    for (int i = 0; i < 2; i++) {
      Accelerator acc = Accelerator.withFastMemory(TestConfigs.with("kernels.replay=true"), 0);
      int run = i;
      ActivityObserver watcher = new ActivityObserver() {
        @Override
        public void memoryLayout(int llcPartitions, int hbmChannels) {}

        @Override
        public void kernelStarted(Kernel kernel, long atPs) {}

        @Override
        public void kernelFinished(Kernel kernel, long atPs) {}

        @Override
        public void blockStarted(int unit, long atPs) {}

        @Override
        public void blockRetired(int unit, long atPs) {}

        @Override
        public void llcLookup(int partition, boolean hit, int bytes, long atPs) {}

        @Override
        public void hbmTransfer(int channel, long startPs, long endPs, long bytes) {
          transfers[run]++;
        }
      };
      if (i == 0) {
        acc.gpu().setActivityObserver(watcher);
      }
      acc.memory().setActivityObserver(watcher);
      acc.gpu().submit(stream("a", 0, 16 * MIB, 256 << 10));
      acc.gpu().submit(stream("b", 0, 16 * MIB, 256 << 10));
      acc.drain();
      assertEquals(0, acc.gpu().kernelsReplayed());
    }
    assertEquals(2 * 16 * 4, transfers[0]);
    assertEquals(transfers[0], transfers[1]);
  }

  @Test
  void otherWorkIsSimulated() {
    // another size, another chunk: nothing to replay
    assertEquals(0, run(true, stream("a", 0, 96 * MIB, 256 << 10),
        stream("b", 0, 64 * MIB, 256 << 10), stream("c", 0, 96 * MIB, 128 << 10))
        .gpu().kernelsReplayed());
  }

  @Test
  void aStreamOfLineSizedReadsGoesThroughTheLlcAndIsAlwaysSimulated() {
    assertEquals(0, run(true, stream("a", 0, 4 * MIB, 512), stream("b", 0, 4 * MIB, 512))
        .gpu().kernelsReplayed());
    // a range whose last chunk is line-sized (96 MiB + 1 KiB in 256 KiB chunks)
    long bytes = 96 * MIB + 1024;
    assertEquals(0, run(true, stream("a", 0, bytes, 256 << 10), stream("b", 0, bytes, 256 << 10))
        .gpu().kernelsReplayed());
  }

  /**
   * A bulk read's response is shrunk to one line by the memory side; an unaligned one then spans
   * two lines, and counting the response's lines instead of the request's gave back one
   * miss-status entry too many per read, so that each launch left the units more room than they
   * have. A gather kernel that fills the units' miss-status registers must wait for them as long
   * after thousands of unaligned bulk reads as on a fresh device (with the old count, 28 % less).
   */
  @Test
  void unalignedBulkReadsGiveBackExactlyTheirMissStatusRoom() {
    // two blocks of 32 warps per unit, each warp with a load of 1,920 B (15 lines) in flight: 960
    // lines wanted, 512 registers
    ChainKernel gather = new ChainKernel(264, 1024, 8, 1920, 0);
    Accelerator alone = run(false, gather);
    long unaligned = 112;
    Accelerator after = run(false, stream("stream", unaligned, 64 * MIB, 4096),
        new ChainKernel(264, 1024, 8, 1920, 0));
    long t = phasePs(alone, "chain");
    long full = alone.gpu().warpStallPs(StallCause.MSHR_FULL);
    assertTrue(full > 100 * t, "the registers are a limit");
    // the gather starts later on the second device: its times round differently (a few ps)
    assertEquals(t, phasePs(after, "chain"), 1e-5 * t);
    assertEquals(full, after.gpu().warpStallPs(StallCause.MSHR_FULL), 1e-4 * full);
  }
}
