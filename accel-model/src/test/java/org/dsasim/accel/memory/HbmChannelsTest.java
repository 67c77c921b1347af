package org.dsasim.accel.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.dsasim.accel.TestConfigs;
import org.dsasim.core.config.Config;
import org.junit.jupiter.api.Test;

class HbmChannelsTest {
  private static final long NS = 1000;
  private static final long INTERVAL = 3900 * NS;
  private static final long REFRESH = 200 * NS;
  private static final long ROW_MISS = 30 * NS;

  /**
   * Banks refresh one at a time, each for {@code REFRESH} once every {@code INTERVAL} from its own
   * offset. With a bus of 1 ps per byte, a first access (a row miss) is done at
   * {@code t + wait + row miss + bytes}: for each address (a bank of some channel), the waits over
   * two intervals of arrivals must be those of one refresh window, {@code max(0, REFRESH -
   * floorMod(t - start, INTERVAL))}, its start read off the first arrival that waits; and the
   * banks seen must refresh at different times.
   */
  @Test
  void anAccessMeetingItsBanksRefreshWaitsForItsEnd() {
    Config c = TestConfigs.with("fastmem.hbm.channels=3", "fastmem.hbm.banks_per_channel=4",
        "fastmem.hbm.peak_bandwidth=3TB/s", "fastmem.hbm.efficiency=1",
        "fastmem.hbm.refresh_interval=" + INTERVAL / NS + "ns",
        "fastmem.hbm.refresh_busy=" + REFRESH / NS + "ns",
        "fastmem.hbm.row_miss_latency=" + ROW_MISS / NS + "ns");
    Set<Long> starts = new TreeSet<>();
    for (long addr = 0; addr < 64 * 4096; addr += 4096 + 256) {
      long start = -1;
      for (long t = 5 * INTERVAL; t < 7 * INTERVAL; t += 3 * NS + 7) {
        long wait = new HbmChannels(c, 1).access(addr, 64, t, false) - t - ROW_MISS - 64;
        if (start < 0 && wait > 0) {
          start = Math.floorMod(t + wait - REFRESH, INTERVAL);
          starts.add(start);
        }
        long expected = start < 0 ? 0 : Math.max(0, REFRESH - Math.floorMod(t - start, INTERVAL));
        assertEquals(expected, wait, "address " + addr + ", arrival " + t);
      }
      assertTrue(start >= 0, "address " + addr + " never met a refresh");
    }
    assertTrue(starts.size() >= 8, "refresh windows seen: " + starts);
  }

  /**
   * One bank of one channel, a bus of 1 ps per byte, 1 KiB rows, arrivals clear of refreshes: a
   * read of the open row takes its bus time only; any other opens its row (30 ns) once the bank's
   * last activation is a row cycle (45 ns) old.
   */
  @Test
  void openRowsHitAndOtherRowsWaitForTheBanksRowCycle() {
    HbmChannels hbm = new HbmChannels(TestConfigs.with("fastmem.hbm.channels=1",
        "fastmem.hbm.banks_per_channel=1", "fastmem.hbm.peak_bandwidth=1TB/s",
        "fastmem.hbm.efficiency=1", "fastmem.hbm.row=1KiB", "fastmem.hbm.row_cycle=45ns",
        "fastmem.hbm.row_miss_latency=" + ROW_MISS / NS + "ns"), 1);
    long t1 = 1000 * NS;
    assertEquals(t1 + ROW_MISS + 64, hbm.access(0, 64, t1, false), "first access: a row miss");
    long t2 = 1200 * NS;
    assertEquals(t2 + 64, hbm.access(64, 64, t2, false), "same row: a hit");
    long t3 = 1210 * NS;
    assertEquals(t3 + ROW_MISS + 64, hbm.access(4096, 64, t3, false),
        "another row, the bank's last activation 210 ns old");
    long t4 = 1220 * NS;
    assertEquals(t3 + 45 * NS + ROW_MISS + 64, hbm.access(0, 64, t4, false),
        "back to the first row, 10 ns after the last activation: waits out the row cycle");
    long t5 = 1300 * NS;
    assertEquals(t5 + 128, hbm.access(8, 128, t5, false), "the first row is open again");
    assertEquals(3, hbm.activations);
    assertEquals(64 * 4 + 128, hbm.readBytes);
  }

  /**
   * A transfer of a range is one access per granule in address order: two models see the same
   * stream of entries (some crossing rows, some arriving during refreshes, some writes), one as
   * ranges and the other granule by granule, and must agree on every time and statistic.
   */
  @Test
  void aTransferEqualsOneAccessPerGranule() {
    Config c = TestConfigs.with("fastmem.hbm.channels=6", "fastmem.hbm.banks_per_channel=4",
        "fastmem.hbm.row=1KiB", "fastmem.hbm.interleave=256B");
    HbmChannels ranges = new HbmChannels(c, 1);
    HbmChannels granules = new HbmChannels(c, 1);
    long granule = granules.interleaveBytes();
    long rowSpan = 6 * 1024;
    SplittableRandom rng = new SplittableRandom(11);
    int[] bytes = new int[64];
    int crossing = 0;
    long arrive = 0;
    for (int i = 0; i < 20_000; i++) {
      long base = rng.nextLong(1L << 24) & -32L;
      long end = base + 32 * (1 + rng.nextInt(80));
      boolean write = rng.nextInt(5) == 0;
      arrive += rng.nextLong(400 * NS);
      crossing += base / rowSpan != (end - 1) / rowSpan ? 1 : 0;
      long expected = 0;
      int k = 0;
      for (long g = base & -granule; g < end; g += granule, k++) {
        bytes[k] = 32 * (1 + rng.nextInt(8));
        expected = Math.max(expected,
            granules.access(Math.max(base, g), bytes[k], arrive, write));
      }
      assertEquals(expected, ranges.transfer(base, end, bytes, 0, arrive, write), "entry " + i);
    }
    assertTrue(crossing > 1000, "entries crossing a row: " + crossing);
    assertEquals(granules.readBytes, ranges.readBytes);
    assertEquals(granules.writeBytes, ranges.writeBytes);
    assertEquals(granules.activations, ranges.activations);
    assertEquals(granules.busyPs, ranges.busyPs);
  }
}
