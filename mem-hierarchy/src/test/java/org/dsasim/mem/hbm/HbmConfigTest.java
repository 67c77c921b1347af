package org.dsasim.mem.hbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Units;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  /** A bad file, and what its error message must name: the file, the key, what was expected. */
  static Stream<Arguments> badFiles() {
    return Stream.of(
        bad("extends: hbm3\ntiming:\n  tCL: 12.5nanos\n", "bad.yaml", "timing.tCL", "12.5nanos"),
        bad("extends: hbm3\ntiming:\n  tCLL: 12ns\n", "bad.yaml", "timing.tCLL", "tCL"),
        bad("extends: hbm3\norganization:\n  stacks: six\n", "organization.stacks",
            "whole number"),
        bad("extends: hbm3\norganization:\n  pin_rate: 6.4GB/s\n", "organization.pin_rate",
            "6.4Gb/s"),
        bad("extends: hbm3\ncontroller:\n  scheduler: fastest\n", "controller.scheduler",
            "frfcfs"),
        bad("extends: hbm3\ncontroller:\n  address_mapping: RoCo\n",
            "controller.address_mapping", "RoBaCoBgChPc"),
        bad("extends: hbm3\ncontroller:\n  write_low_watermark: 60\n", "bad.yaml",
            "write_low_watermark"),
        bad("extends: hbm3\ncontroller:\n  interleave: 96B\n", "interleave"),
        bad("extends: hbm3\ncontroller:\n  read_queue: 4\n", "read_queue", "largest request"),
        bad("extends: nosuchpreset\n", "nosuchpreset", "h200"),
        bad("organization:\n  stacks: 1\n", "bad.yaml", "missing"),
        bad("extends: hbm3\ncontroller: [1, 2]\n", "controller"),
        bad("extends: hbm3\ntiming: {tCL: 12.5ns\n", "bad.yaml", "YAML"));
  }

  private static Arguments bad(String yaml, String... named) {
    return Arguments.of(yaml, List.of(named));
  }

  @ParameterizedTest(name = "[{index}] names {1}")
  @MethodSource("badFiles")
  void badInputNamesTheFileTheKeyAndWhatWasExpected(
      String yaml, List<String> named, @TempDir Path dir) throws IOException {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, yaml);
    assertNames(assertThrows(UserInputException.class, () -> HbmConfig.load(f)).getMessage(),
        named);
  }

  @Test
  void unknownPresetNamesTheAvailableOnes() {
    String m = assertThrows(UserInputException.class, () -> HbmConfig.preset("h201")).getMessage();
    assertNames(m, List.of("h201", "h200"));
  }

  private static void assertNames(String message, List<String> named) {
    for (String part : named) {
      assertTrue(message.contains(part), "'" + part + "' in: " + message);
    }
  }

  @Test
  void valueErrorsInABaseFileNameThatFile(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("base.yaml"),
        "extends: hbm3\ntiming:\n  tRP: sixteen\n");
    Path top = dir.resolve("top.yaml");
    Files.writeString(top, "extends: base.yaml\n");
    assertNames(assertThrows(UserInputException.class, () -> HbmConfig.load(top)).getMessage(),
        List.of("base.yaml", "timing.tRP"));
  }
}
