package org.dsasim.mem.hbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Units;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HbmConfigTest {
  private static Path repoRoot() {
    return Path.of(System.getProperty("dsasim.repo.root"));
  }

  @Test
  void everyPresetFileIsListedAndLoads() throws IOException {
    TreeSet<String> files = new TreeSet<>();
    try (Stream<Path> s = Files.list(repoRoot().resolve("configs/memory"))) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .forEach(n -> files.add(n.substring(0, n.length() - 5)));
    }
    assertEquals(files, new TreeSet<>(HbmConfig.PRESETS));
    for (String name : HbmConfig.PRESETS) {
      HbmConfig c = HbmConfig.preset(name);
      assertEquals(name, c.name());
      assertTrue(!c.description().isEmpty(), name + " has a description");
    }
  }

  /** Peak = pseudo-channels x 32 pins x per-pin rate / 8, with the per-pin rates stated. */
  @Test
  void peakBandwidthsMatchTheSpecifications() {
    assertEquals(4.8e12, HbmConfig.preset("h200").peakBytesPerSecond(), 0.0);
    assertEquals(3.35e12, HbmConfig.preset("h100").peakBytesPerSecond(), 0.0);
    assertEquals(8e12, HbmConfig.preset("b200").peakBytesPerSecond(), 0.0);
    assertEquals(5.3e12, HbmConfig.preset("mi300x").peakBytesPerSecond(), 0.0);
    assertEquals(1024 * 6.4e9 / 8, HbmConfig.preset("hbm3").peakBytesPerSecond(), 0.0);
    assertEquals(1024 * 9.6e9 / 8, HbmConfig.preset("hbm3e").peakBytesPerSecond(), 0.0);
    HbmOrganization h200 = HbmConfig.preset("h200").organization();
    assertEquals(6 * 16 * 2, h200.pseudoChannels());
    assertEquals(6 * 16 * 2 * 32, h200.pseudoChannels() * h200.widthBits(), "6144 data pins");
    assertEquals(1.5625e9, h200.clockHz(), 0.0);
    // one burst of 32 B per pseudo-channel every nBL cycles is the same peak
    HbmTiming t = HbmConfig.preset("h200").timing();
    double perBurst = t.clock().ticks(t.burst()) / 1e12;
    assertEquals(4.8e12, h200.pseudoChannels() * h200.accessBytes() / perBurst, 1.0);
  }

  @Test
  void capacitiesMatchTheStacks() {
    long gib = 1L << 30;
    assertEquals(16 * gib, HbmConfig.preset("hbm3").organization().capacityBytes());
    assertEquals(24 * gib, HbmConfig.preset("hbm3e").organization().capacityBytes());
    assertEquals(6 * 24 * gib, HbmConfig.preset("h200").organization().capacityBytes());
    assertEquals(5 * 16 * gib, HbmConfig.preset("h100").organization().capacityBytes());
    assertEquals(8 * 24 * gib, HbmConfig.preset("b200").organization().capacityBytes());
    assertEquals(8 * 24 * gib, HbmConfig.preset("mi300x").organization().capacityBytes());
  }

  /** Ramulator 2 HBM3_6400Mbps (python/ramulator/dram/hbm3.py), in cycles of 625 ps. */
  @Test
  void hbm3ResolvesToRamulator2Hbm3_6400Cycles() {
    HbmTiming t = HbmConfig.preset("hbm3").timing();
    assertEquals(625.0, t.clock().periodPs(), 0.0);
    assertEquals(2, t.burst());
    assertCycles(t, Map.ofEntries(
        Map.entry(TimingParam.CL, 20), Map.entry(TimingParam.RCD_RD, 31),
        Map.entry(TimingParam.RCD_WR, 15), Map.entry(TimingParam.RP, 26),
        Map.entry(TimingParam.RAS, 45), Map.entry(TimingParam.RC, 72),
        Map.entry(TimingParam.WR, 33), Map.entry(TimingParam.RTP, 9),
        Map.entry(TimingParam.CWL, 10), Map.entry(TimingParam.CCD_S, 2),
        Map.entry(TimingParam.CCD_L, 4), Map.entry(TimingParam.CCD_R, 3),
        Map.entry(TimingParam.RRD_S, 4), Map.entry(TimingParam.RRD_L, 5),
        Map.entry(TimingParam.FAW, 24), Map.entry(TimingParam.WTR_S, 7),
        Map.entry(TimingParam.WTR_L, 10), Map.entry(TimingParam.RTW, 20),
        Map.entry(TimingParam.RFC_PB, 320), Map.entry(TimingParam.RREFD, 8),
        Map.entry(TimingParam.REFI, 6240), Map.entry(TimingParam.PPD, 2),
        // _resolve_nRFC: 350 ns for an 8 Gb channel density
        Map.entry(TimingParam.RFC_AB, 560)));
  }

  /**
   * Ramulator 2 HBM3_9600Mbps (same file), which scales the 6400 values in ns: the hbm3e preset
   * keeps the ns values and must land on the same cycle counts at 2.4 GHz.
   */
  @Test
  void hbm3eResolvesToRamulator2Hbm3_9600Cycles() {
    HbmTiming t = HbmConfig.preset("hbm3e").timing();
    assertCycles(t, Map.ofEntries(
        Map.entry(TimingParam.CL, 30), Map.entry(TimingParam.RCD_RD, 47),
        Map.entry(TimingParam.RCD_WR, 23), Map.entry(TimingParam.RP, 39),
        Map.entry(TimingParam.RAS, 68), Map.entry(TimingParam.RC, 108),
        Map.entry(TimingParam.WR, 50), Map.entry(TimingParam.RTP, 14),
        Map.entry(TimingParam.CWL, 15), Map.entry(TimingParam.CCD_S, 2),
        Map.entry(TimingParam.CCD_L, 6), Map.entry(TimingParam.CCD_R, 5),
        Map.entry(TimingParam.RRD_S, 6), Map.entry(TimingParam.RRD_L, 8),
        Map.entry(TimingParam.FAW, 36), Map.entry(TimingParam.WTR_S, 11),
        Map.entry(TimingParam.WTR_L, 15), Map.entry(TimingParam.RTW, 30),
        Map.entry(TimingParam.RFC_PB, 480), Map.entry(TimingParam.RREFD, 8),
        Map.entry(TimingParam.REFI, 9360), Map.entry(TimingParam.PPD, 2)));
  }

  private static void assertCycles(HbmTiming t, Map<TimingParam, Integer> expected) {
    for (Map.Entry<TimingParam, Integer> e : expected.entrySet()) {
      assertEquals(e.getValue(), t.get(e.getKey()), e.getKey().key());
    }
  }

  @Test
  void timesRoundUpToWholeCycles() {
    HbmConfig c = HbmConfig.preset("h200"); // tCK = 640 ps
    HbmTiming t = c.timing();
    assertEquals(20, t.get(TimingParam.CL), "12.5 ns / 0.64 ns = 19.53 -> 20");
    assertEquals(31, t.get(TimingParam.RCD_RD), "19.375 / 0.64 = 30.27 -> 31");
    HbmTiming exact = c.withTimingSpec(c.timingSpec().with(TimingParam.CL, Units.parseTime("12.8ns")))
        .timing();
    assertEquals(20, exact.get(TimingParam.CL), "12.8 ns is exactly 20 cycles");
  }

  @Test
  void fileCanExtendAPresetAndOverrideOneKey(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("slow.yaml");
    Files.writeString(f, "extends: h200\ntiming:\n  tFAW: 30ns\ncontroller:\n  scheduler: fcfs\n");
    HbmConfig c = HbmConfig.load(f);
    assertEquals("slow", c.name());
    assertEquals(47, c.timing().get(TimingParam.FAW), "30 ns / 0.64 ns = 46.9 -> 47");
    assertEquals("fcfs", c.controller().scheduler());
    assertEquals(4.8e12, c.peakBytesPerSecond(), 0.0);
    assertEquals(HbmConfig.preset("h200").timing().get(TimingParam.RP),
        c.timing().get(TimingParam.RP));
  }

  private static String loadError(Path dir, String yaml) throws IOException {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, yaml);
    return assertThrows(UserInputException.class, () -> HbmConfig.load(f)).getMessage();
  }

  @Test
  void badInputNamesTheFileTheKeyAndWhatWasExpected(@TempDir Path dir) throws IOException {
    String m = loadError(dir, "extends: hbm3\ntiming:\n  tCL: 12.5nanos\n");
    assertTrue(m.contains("bad.yaml") && m.contains("timing.tCL") && m.contains("12.5nanos"), m);

    m = loadError(dir, "extends: hbm3\ntiming:\n  tCLL: 12ns\n");
    assertTrue(m.contains("bad.yaml") && m.contains("timing.tCLL") && m.contains("tCL"), m);

    m = loadError(dir, "extends: hbm3\norganization:\n  stacks: six\n");
    assertTrue(m.contains("organization.stacks") && m.contains("whole number"), m);

    m = loadError(dir, "extends: hbm3\norganization:\n  pin_rate: 6.4GB/s\n");
    assertTrue(m.contains("organization.pin_rate") && m.contains("6.4Gb/s"), m);

    m = loadError(dir, "extends: hbm3\ncontroller:\n  scheduler: fastest\n");
    assertTrue(m.contains("controller.scheduler") && m.contains("frfcfs"), m);

    m = loadError(dir, "extends: hbm3\ncontroller:\n  address_mapping: RoCo\n");
    assertTrue(m.contains("controller.address_mapping") && m.contains("RoBaCoBgChPc"), m);

    m = loadError(dir, "extends: hbm3\ncontroller:\n  write_low_watermark: 60\n");
    assertTrue(m.contains("bad.yaml") && m.contains("write_low_watermark"), m);

    m = loadError(dir, "extends: hbm3\ncontroller:\n  interleave: 96B\n");
    assertTrue(m.contains("interleave"), m);

    m = loadError(dir, "extends: hbm3\ncontroller:\n  read_queue: 4\n");
    assertTrue(m.contains("read_queue") && m.contains("largest request"), m);

    m = loadError(dir, "extends: nosuchpreset\n");
    assertTrue(m.contains("nosuchpreset") && m.contains("h200"), m);

    m = loadError(dir, "organization:\n  stacks: 1\n");
    assertTrue(m.contains("bad.yaml") && m.contains("missing"), m);

    m = loadError(dir, "extends: hbm3\ncontroller: [1, 2]\n");
    assertTrue(m.contains("controller"), m);

    m = loadError(dir, "extends: hbm3\ntiming: {tCL: 12.5ns\n");
    assertTrue(m.contains("bad.yaml") && m.contains("YAML"), m);

    m = assertThrows(UserInputException.class, () -> HbmConfig.preset("h201")).getMessage();
    assertTrue(m.contains("h201") && m.contains("h200"), m);
  }

  @Test
  void valueErrorsInABaseFileNameThatFile(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("base.yaml"),
        "extends: hbm3\ntiming:\n  tRP: sixteen\n");
    Path top = dir.resolve("top.yaml");
    Files.writeString(top, "extends: base.yaml\n");
    String m = assertThrows(UserInputException.class, () -> HbmConfig.load(top)).getMessage();
    assertTrue(m.contains("base.yaml") && m.contains("timing.tRP"), m);
  }
}
