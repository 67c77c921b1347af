package org.dsasim.mem.llc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.dsasim.core.UserInputException;
import org.dsasim.mem.reservation.Retention;
import org.junit.jupiter.api.Test;

class LlcBindingTest {
  @Test
  void defaultsAreTheH200LikeLlcWithoutReservation() {
    LlcBinding.Bound b = LlcBinding.bind(Map.of(), "defaults");
    assertEquals(LlcParams.h200(), b.llc());
    assertEquals("none", b.scheme().baseline());
    assertNull(b.scheme().reservation());
    assertEquals(96 * 256 * 20 * 128L, b.llc().capacityBytes());
  }

  @Test
  void bindsUnitsBaselinesAndOverrides() {
    LlcBinding.Bound b = LlcBinding.bind(Map.of(
        "llc.capacity", "32MiB",
        "llc.slices", "64",
        "llc.ways", "16",
        "llc.hit_latency", "200cycles",
        "llc.tag_latency", "5ns",
        "llc.memory_path_bandwidth", "unlimited",
        "llc.reservation.baseline", "prev-topk",
        "llc.reservation.ratio", "0.25",
        "llc.reservation.sharing", "per-layer",
        "llc.reservation.lend", "true"), "study.yaml");
    assertEquals(32L << 20, b.llc().capacityBytes());
    assertEquals(Math.round(200 * 1e12 / 1.98e9), b.llc().hitLatencyPs());
    assertEquals(5_000, b.llc().tagLatencyPs());
    assertTrue(Double.isInfinite(b.llc().memoryPathBandwidth()));
    assertEquals(8L << 20, b.scheme().reservation().sizeBytes());
    assertEquals(Retention.PREVIOUS_STEP, b.scheme().reservation().retention());
    assertEquals("per-layer", b.scheme().reservation().sharing());
    assertTrue(b.scheme().reservation().lend());

    LlcBinding.Bound page = LlcBinding.bind(
        Map.of("llc.reservation.baseline", "page", "llc.reservation.size", "20MiB"), "s");
    assertEquals(64, page.scheme().reservation().unitTokens());
    assertEquals(20L << 20, page.scheme().reservation().sizeBytes());

    LlcBinding.Bound window = LlcBinding.bind(Map.of("llc.reservation.baseline", "window",
        "llc.reservation.size", "37.5MiB", "llc.window.bytes", "75MiB"), "s");
    assertEquals(0.5, window.scheme().window().hitRatio(), 1e-12);
    assertEquals(0.11, window.scheme().window().streamingPenalty());
  }

  @Test
  void mistakesNameTheSourceAndTheKey() {
    assertMessage(Map.of("llc.capacity", "60MB/s"), "f.yaml: key 'llc.capacity'");
    assertMessage(Map.of("llc.ways", "99"), "llc.ways must be in [1, 64]");
    assertMessage(Map.of("llc.wayz", "8"), "unknown key 'llc.wayz'");
    assertMessage(Map.of("llc.reservation.baseline", "token-lru", "llc.reservation.admission",
        "sometimes"), "llc.reservation.admission");
    assertMessage(Map.of("llc.reservation.baseline", "belady"), "llc.reservation.baseline");
    assertMessage(Map.of("llc.reservation.baseline", "window", "llc.reservation.ratio", "0.7"),
        "exceeds 0.625");
    assertMessage(Map.of("llc.reservation.baseline", "token-lru", "llc.reservation.ratio", "0.99"),
        "no normal way");
    assertMessage(Map.of("llc.reservation.baseline", "page", "llc.reservation.ratio", "0.5",
        "llc.reservation.size", "1MiB"), "not both");
    assertMessage(Map.of("llc.reservation.baseline", "token-lru", "llc.reservation.lend", "yes"),
        "'yes' is not true or false");
    assertMessage(Map.of("llc.reservation.lend", "true"),
        "does not apply to llc.reservation.baseline=none");
    assertMessage(Map.of("llc.reservation.baseline", "window", "llc.reservation.sharing", "pool"),
        "does not apply to llc.reservation.baseline=window");
    assertMessage(Map.of("llc.reservation.baseline", "page", "llc.window.hit_ratio", "1"),
        "does not apply to llc.reservation.baseline=page");
    assertMessage(Map.of("kv.entry_bytes", "0B"), "kv.entry_bytes must be >= 1");
    assertMessage(Map.of("interconnect.groups", "2.5"), "expected a whole number");
    assertMessage(Map.of("energy.hbm_activate_pj", "-1"), "energy.*");
  }

  private static void assertMessage(Map<String, String> values, String expected) {
    UserInputException e = assertThrows(UserInputException.class,
        () -> LlcBinding.bind(values, "f.yaml"));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().startsWith("f.yaml: "), e.getMessage());
  }
}
