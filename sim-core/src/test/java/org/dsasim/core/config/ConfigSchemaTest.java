package org.dsasim.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Declarations: what a key accepts, and the mistakes a module can make declaring keys. */
class ConfigSchemaTest {
  enum Policy {
    TOKEN_LRU,
    PREV_TOPK
  }

  @Test
  void enumerationsUseLowerCaseWordsWithDashes() {
    ConfigKey<Policy> k =
        ConfigKey.enumeration("cache.policy", Policy.class)
            .defaultValue("token-lru")
            .meaning("policy");
    assertEquals(Policy.PREV_TOPK, k.parse("prev-topk"));
    assertEquals("prev-topk", k.type().format(Policy.PREV_TOPK));
    assertEquals("one of [token-lru, prev-topk]", k.allowed());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> k.parse("PREV_TOPK"))
            .getMessage()
            .contains("is not one of [token-lru, prev-topk]"));
  }

  @Test
  void allowedDescribesRangesOrTheExpectedForm() {
    assertEquals("0 to 1", ConfigKey.number("a").range("0", "1").allowed());
    assertEquals(">= 1KiB", ConfigKey.size("a").atLeast("1KiB").allowed());
    assertEquals("<= 8", ConfigKey.integer("a").atMost("8").allowed());
    assertEquals("> 0", ConfigKey.frequency("a").positive().allowed());
    assertEquals("a size such as 656B, 64KiB or 60MiB", ConfigKey.size("a").allowed());
    assertEquals("true or false", ConfigKey.bool("a").allowed());
    assertEquals("a list, each a whole number", ConfigKey.list("a", ConfigType.INT).allowed());
  }

  @Test
  void timeBoundsCompareOnlyLikeWithLikeExceptZero() {
    ConfigKey<Units.Time> k = ConfigKey.time("t").range("0", "100ns").meaning("t");
    assertEquals(new Units.Time(500, true), k.parse("500cycles"), "no clock to compare with");
    assertThrows(IllegalArgumentException.class, () -> k.parse("101ns"));
    assertThrows(IllegalArgumentException.class, () -> k.parse("-1cycles"));
  }

  @Test
  void aTimeIsNeverNegativeEvenWithoutARange() {
    ConfigKey<Units.Time> k = ConfigKey.time("llc.hit_latency").meaning("t");
    assertEquals(new Units.Time(0, true), k.parse("0cycles"));
    assertEquals("'-5cycles' is below 0",
        assertThrows(IllegalArgumentException.class, () -> k.parse("-5cycles")).getMessage());
    assertEquals("'-1ns' is below 0",
        assertThrows(IllegalArgumentException.class, () -> k.parse("-1ns")).getMessage());
  }

  @Test
  void minusZeroIsZeroForARangeFromZero() {
    ConfigKey<Double> share = ConfigKey.number("a").range("0", "1").meaning("a");
    ConfigKey<Double> bandwidth = ConfigKey.bandwidth("b").atLeast("0").meaning("b");
    ConfigKey<Units.Time> latency = ConfigKey.time("t").range("0", "1ms").meaning("t");
    assertTrue(share.parse("-0") == 0);
    assertTrue(share.parse("-0.0") == 0);
    assertTrue(bandwidth.parse("-0TB/s") == 0);
    assertTrue(latency.parse("-0ns").value() == 0);
    assertTrue(latency.parse("-0cycles").value() == 0);
    assertEquals("'-0' is not above 0",
        assertThrows(IllegalArgumentException.class,
            () -> ConfigKey.number("c").positive().meaning("c").parse("-0")).getMessage());
  }

  @Test
  void badDeclarationsFailWhenDeclared() {
    assertThrows(IllegalArgumentException.class, () -> ConfigKey.size("llc..capacity"));
    assertThrows(IllegalArgumentException.class, () -> ConfigKey.size("llc.capacity "));
    assertThrows(IllegalArgumentException.class, () -> ConfigKey.size("a").defaultValue("60XB"));
    assertThrows(IllegalArgumentException.class, () -> ConfigKey.bool("a").atLeast("0"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ConfigKey.integer("a").range("1", "9").defaultValue("0"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ConfigKey.size("a.b").defaultValue("1.5B"));
    assertTrue(e.getMessage().startsWith("bad declaration of key a.b: "), e.getMessage());
  }

  @Test
  void schemaRejectsDuplicatesClashesAndMissingMeanings() {
    ConfigKey<Long> capacity = ConfigKey.size("llc.capacity").meaning("capacity");
    assertThrows(
        IllegalArgumentException.class,
        () -> ConfigSchema.builder().add(capacity, ConfigKey.size("llc.capacity").meaning("x")));
    assertThrows(
        IllegalArgumentException.class,
        () -> ConfigSchema.builder().add(ConfigKey.size("llc.ways")).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ConfigSchema.builder().add(ConfigKey.string("include").meaning("x")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ConfigSchema.builder()
                .add(capacity, ConfigKey.integer("llc").meaning("clashes with llc.capacity"))
                .build());
    // A preset key may share its name with a group.
    ConfigSchema ok =
        ConfigSchema.builder()
            .add(
                ConfigKey.preset("workload").meaning("preset"),
                ConfigKey.integer("workload.batch").meaning("batch"),
                ConfigKey.integer("llc-x").meaning("sorts between llc and llc.capacity"),
                capacity)
            .build();
    assertEquals(List.of("workload"), ok.presetKeys().stream().map(ConfigKey::name).toList());
  }

  @Test
  void suggestionsFindTyposSwapsAndMissingPrefixes() {
    ConfigSchema s =
        ConfigSchema.builder()
            .add(
                ConfigKey.size("llc.capacity").meaning("c"),
                ConfigKey.number("llc.reservation.ratio").meaning("r"),
                ConfigKey.time("hbm.timing.tRCD").meaning("t"))
            .build();
    assertEquals(Optional.of("llc.capacity"), s.suggest("llc.capcaity"));
    assertEquals(Optional.of("llc.capacity"), s.suggest("llc.capacty"));
    assertEquals(Optional.of("llc.reservation.ratio"), s.suggest("llc.reservaton.ratio"));
    assertEquals(Optional.of("hbm.timing.tRCD"), s.suggest("timing.tRCD"));
    assertEquals(Optional.empty(), s.suggest("workload.batch"));
    assertEquals(1, ConfigSchema.editDistance("abcd", "abdc"));
    assertEquals(3, ConfigSchema.editDistance("kitten", "sitting"));
    assertEquals(0, ConfigSchema.editDistance("", ""));
  }
}
