package org.dsasim.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.dsasim.core.UserInputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Layering, typed binding and every class of configuration error, on a schema shaped like the real
 * one (an LLC with a reservation, HBM timing) and presets in a temporary folder.
 */
class ConfigLoaderTest {
  static final ConfigKey<Long> CAPACITY =
      ConfigKey.size("llc.capacity")
          .defaultValue("60MiB")
          .range("1KiB", "1TiB")
          .meaning("LLC capacity");
  static final ConfigKey<Double> RATIO =
      ConfigKey.number("llc.reservation.ratio")
          .range("0", "1")
          .meaning("share of the LLC reserved for KV entries");
  static final ConfigKey<Long> RESERVED =
      ConfigKey.size("llc.reservation.size")
          .atLeast("0")
          .meaning("bytes of the LLC reserved for KV entries");
  static final ConfigKey<String> REPLACEMENT =
      ConfigKey.choice("llc.replacement", "lru", "random", "srrip")
          .defaultValue("lru")
          .meaning("replacement policy of the shared part");
  static final ConfigKey<Units.Time> TRCD =
      ConfigKey.time("hbm.timing.tRCD").defaultValue("14ns").atLeast("0").meaning("RAS to CAS");
  static final ConfigKey<Double> HBM_CLOCK =
      ConfigKey.frequency("hbm.clock").defaultValue("3.2GHz").positive().meaning("HBM clock");
  static final ConfigKey<Double> HBM_PEAK =
      ConfigKey.bandwidth("hbm.peak").defaultValue("4.8TB/s").positive().meaning("HBM peak");
  static final ConfigKey<List<Integer>> LAYERS =
      ConfigKey.list("workload.layers", ConfigType.INT)
          .defaultValue("0, 1")
          .range("0", "60")
          .meaning("layers to simulate");
  static final ConfigKey<Boolean> TRACE =
      ConfigKey.bool("sim.trace").defaultValue("false").meaning("write a timeline");

  static ConfigSchema schema() {
    ConfigSchema.Builder b = ConfigSchema.builder();
    new SimKeys().contribute(b);
    b.add(CAPACITY, RATIO, RESERVED, REPLACEMENT, TRCD, HBM_CLOCK, HBM_PEAK, LAYERS, TRACE);
    b.check(
        cfg -> {
          if (cfg.isSet(RATIO) && cfg.isSet(RESERVED)) {
            throw cfg.inconsistent(
                "give the reservation as a ratio or as a size, not both", RATIO, RESERVED);
          }
        });
    b.check(
        cfg -> {
          if (cfg.find(RESERVED).orElse(0L) > cfg.get(CAPACITY)) {
            throw cfg.inconsistent("the reservation is larger than the LLC", RESERVED, CAPACITY);
          }
        });
    return b.build();
  }

  @TempDir Path dir;
  Path configs;

  @BeforeEach
  void presets() throws IOException {
    configs = writePresets(dir);
  }

  /** Writes the presets of {@link #schema()} under {@code dir/configs} and returns that folder. */
  static Path writePresets(Path dir) throws IOException {
    write(
        dir,
        "configs/hardware/h200.yaml",
        "# an H200\nllc:\n  capacity: 50MiB\nhbm.timing.tRCD: 19cycles\n");
    write(dir, "configs/hardware/b200.yaml", "llc.capacity: 126MiB\n");
    write(dir, "configs/model/deepseek-v3.2.yaml", "workload:\n  layers: [0, 1, 2]\n");
    write(dir, "configs/workload/paper-fitted.yaml", "sim.stop.steps: 16\n");
    return dir.resolve("configs");
  }

  Path write(String name, String text) throws IOException {
    return write(dir, name, text);
  }

  private static Path write(Path dir, String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  ConfigLoader loader() {
    return new ConfigLoader(schema(), PresetLibrary.directory(configs));
  }

  String failure(ConfigLoader loader) {
    return assertThrows(UserInputException.class, loader::load).getMessage();
  }

  static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "expected '" + part + "' in:\n" + message);
    }
  }

  // ---------------------------------------------------------------- layering

  @Test
  void eachLayerOverridesTheOneBelow() throws IOException {
    Config presetOnly = loader().load();
    assertEquals(50L << 20, presetOnly.get(CAPACITY));
    assertEquals(
        new Origin(Origin.Kind.PRESET, "configs/hardware/h200.yaml", 3),
        presetOnly.origin(CAPACITY));
    assertTrue(presetOnly.isSet(CAPACITY));

    Path user = write("my.yaml", "# mine\n\nllc.capacity: 40MiB\n");
    Config withUser = loader().file(user).load();
    assertEquals(40L << 20, withUser.get(CAPACITY));
    assertEquals(new Origin(Origin.Kind.USER_FILE, user.toString(), 3), withUser.origin(CAPACITY));

    Config withSet = loader().file(user).set("llc.capacity=30MiB").load();
    assertEquals(30L << 20, withSet.get(CAPACITY));
    assertEquals(Origin.COMMAND_LINE, withSet.origin(CAPACITY));

    Config noPreset = loader().set("hardware=none").load();
    assertEquals(60L << 20, noPreset.get(CAPACITY));
    assertEquals(Origin.DEFAULT, noPreset.origin(CAPACITY));
    assertFalse(noPreset.isSet(CAPACITY));
  }

  @Test
  void laterFilesAndLaterOverridesWin() throws IOException {
    Path a = write("a.yaml", "llc.capacity: 10MiB\nllc.replacement: random\n");
    Path b = write("b.yaml", "llc.capacity: 20MiB\n");
    Config cfg = loader().file(a).file(b).set("sim.seed=5").set("sim.seed=7").load();
    assertEquals(20L << 20, cfg.get(CAPACITY));
    assertEquals("random", cfg.get(REPLACEMENT));
    assertEquals(a.toString(), cfg.origin(REPLACEMENT).file());
    assertEquals(7L, cfg.get(SimKeys.SEED));
  }

  @Test
  void presetKeysChooseThePresetFiles() throws IOException {
    Config defaults = loader().load();
    assertEquals("h200", defaults.get(SimKeys.HARDWARE));
    assertEquals(new Units.Time(19, true), defaults.get(TRCD));
    assertEquals(List.of(0, 1, 2), defaults.get(LAYERS));
    assertEquals(16, defaults.get(SimKeys.STOP_STEPS));

    Path user = write("my.yaml", "hardware: b200\n");
    Config b200 = loader().file(user).load();
    assertEquals(126L << 20, b200.get(CAPACITY));
    assertEquals(new Units.Time(14_000, false), b200.get(TRCD), "b200 leaves tRCD at the default");
    assertEquals("b200", loader().set("hardware=b200").load().get(SimKeys.HARDWARE));
  }

  @Test
  void includedFilesSitBelowTheFileThatIncludesThem() throws IOException {
    write("sub/base.yaml", "llc:\n  capacity: 8MiB\n  replacement: srrip\n");
    Path user = write("sub/my.yaml", "include: base.yaml\nllc.capacity: 16MiB\n");
    Config cfg = loader().file(user).load();
    assertEquals(16L << 20, cfg.get(CAPACITY));
    assertEquals("srrip", cfg.get(REPLACEMENT));
    Origin origin = cfg.origin(REPLACEMENT);
    assertEquals(Origin.Kind.USER_FILE, origin.kind());
    assertTrue(origin.file().endsWith("base.yaml"), origin.file());
    assertEquals(3, origin.line());
  }

  @Test
  void valuesOfEveryType() throws IOException {
    Path user =
        write(
            "my.yaml",
            String.join(
                "\n",
                "llc:",
                "  capacity: 1.5GB",
                "  reservation: {ratio: 0.25}",
                "hbm:",
                "  timing: {tRCD: 19.5ns}",
                "  clock: 1.98GHz",
                "  peak: 819GB/s",
                "workload.layers:",
                "  - 3",
                "  - 010",
                "sim:",
                "  trace: yes",
                "  seed: 0xff",
                ""));
    Config cfg = loader().file(user).load();
    assertEquals(1_500_000_000L, cfg.get(CAPACITY));
    assertEquals(0.25, cfg.get(RATIO));
    assertEquals(new Units.Time(19_500, false), cfg.get(TRCD));
    assertEquals(1.98e9, cfg.get(HBM_CLOCK));
    assertEquals(819e9, cfg.get(HBM_PEAK));
    assertEquals(List.of(3, 10), cfg.get(LAYERS), "010 is ten: values are read as written");
    assertEquals(true, cfg.get(TRACE));
    assertEquals(255L, cfg.get(SimKeys.SEED));
    assertEquals(8, cfg.origin(LAYERS).line());
    assertEquals(List.of(4, 5), loader().set("workload.layers=4,5").load().get(LAYERS));
  }

  @Test
  void keysWithoutDefaultStayUnsetUntilGiven() {
    Config cfg = loader().load();
    assertTrue(cfg.find(RATIO).isEmpty());
    assertThrows(IllegalStateException.class, () -> cfg.get(RATIO));
    assertEquals("", cfg.entries().stream().filter(e -> e.key() == RATIO).findFirst().get().text());
    assertFalse(cfg.values().containsKey("llc.reservation.ratio"));
    assertEquals("50MiB", cfg.values().get("llc.capacity"));
  }

  @Test
  void valuesMayReferToOtherKeys() throws IOException {
    Path user = write("my.yaml", "llc.reservation.size: ${llc.capacity}\n");
    Config cfg = loader().file(user).set("llc.capacity=32MiB").load();
    assertEquals(32L << 20, cfg.get(RESERVED));
    assertEquals(Origin.Kind.USER_FILE, cfg.origin(RESERVED).kind());
  }

  @Test
  void aKeyOfAnotherSchemaIsRefused() {
    Config cfg = loader().load();
    ConfigKey<Long> lookalike = ConfigKey.size("llc.capacity").meaning("another declaration");
    assertThrows(IllegalArgumentException.class, () -> cfg.get(lookalike));
  }

  // ---------------------------------------------------------------- errors

  /**
   * A bad line in a user file, the line's number, and what the message must say besides the file
   * and line: the key, what is wrong, what is allowed.
   */
  static Stream<Arguments> badFileLines() {
    return Stream.of(
        badLine("llc:\n  capacty: 50MiB\n", 2,
            "unknown key 'llc.capacty'", "did you mean 'llc.capacity'?"),
        badLine("llc: 50MiB\n", 1,
            "llc is a group of keys (llc.capacity, llc.replacement,", "not a key"),
        badLine("sim.seed: 3\nllc.capacity: 50MHz\n", 2,
            "llc.capacity", "'50MHz' is not a size unit", "allowed: 1KiB to 1TiB"),
        badLine("llc:\n  reservation:\n    ratio: 0.2.5\n", 3,
            "llc.reservation.ratio", "'0.2.5' is not a number", "allowed: 0 to 1"),
        badLine("llc.reservation.size: -1MiB\n", 1,
            "llc.reservation.size", "'-1MiB' is below 0", "allowed: >= 0"),
        badLine("\nllc.reservation.ratio: 1.5\n", 2,
            "llc.reservation.ratio", "'1.5' is above 1", "allowed: 0 to 1"),
        badLine("hardware: h100\n", 1, "hardware: no preset 'h100'", "configs/hardware/h100.yaml",
            "available: b200, h200, or none"),
        badLine("llc.reservation.size: ${llc.nothing}\n", 1,
            "llc.reservation.size", "refers to 'llc.nothing'"),
        badLine("llc:\n  capacity: 1MiB\nllc.capacity: 2MiB\n", 3,
            "llc.capacity is set twice in this file (also on line 2)"),
        badLine("llc.capacity:\n", 1, "llc.capacity has no value"),
        badLine("llc.capacity: [1MiB, 2MiB]\n", 1,
            "llc.capacity: expected a single value, found a list"),
        badLine("- llc.capacity: 1MiB\n", 1, "expected a mapping of keys to values"));
  }

  private static Arguments badLine(String yaml, int line, String... says) {
    return Arguments.of(yaml, line, List.of(says));
  }

  @ParameterizedTest(name = "[{index}] line {1}: {2}")
  @MethodSource("badFileLines")
  void badFileValueNamesFileLineKeyAndWhatIsAllowed(String yaml, int line, List<String> says)
      throws IOException {
    Path user = write("my.yaml", yaml);
    String msg = failure(loader().file(user));
    assertContains(msg, user + " line " + line);
    assertContains(msg, says.toArray(String[]::new));
  }

  /** A bad {@code --set}, and what the message must say besides where the value came from. */
  static Stream<Arguments> badOverrides() {
    return Stream.of(
        badSet("sim.sed=3", "unknown key 'sim.sed'", "did you mean 'sim.seed'?"),
        badSet("tRCD=3ns", "did you mean 'hbm.timing.tRCD'?"),
        badSet("hbm.peak=4.8TB",
            "hbm.peak", "'4.8TB' is not a bandwidth unit ending in /s", "allowed: > 0"),
        badSet("sim.warmup.time=300cycles",
            "sim.warmup.time", "in cycles, but this key has no clock"),
        badSet("sim.stop.steps=12x",
            "sim.stop.steps", "'12x' is not a whole number", "allowed: >= 1"),
        badSet("sim.stop.steps=3000000000", "too large for a 32-bit integer"),
        badSet("sim.trace=maybe", "'maybe' is not true or false"),
        badSet("llc.replacement=lfu",
            "'lfu' is not one of [lru, random, srrip]", "allowed: one of [lru, random, srrip]"),
        badSet("sim.warmup.steps=-3", "sim.warmup.steps", "'-3' is below 0", "allowed: >= 0"),
        badSet("hbm.timing.tRCD=-2cycles", "'-2cycles' is below 0"),
        badSet("hbm.clock=0GHz", "hbm.clock", "is not above 0", "allowed: > 0"),
        badSet("llc.capacity=2TiB", "'2TiB' is above 1TiB", "allowed: 1KiB to 1TiB"),
        badSet("workload.layers=1,61", "workload.layers", "'61' is above 60", "allowed: 0 to 60"),
        badSet("hardware=../model/deepseek-v3.2", "no preset '../model/deepseek-v3.2'"));
  }

  private static Arguments badSet(String override, String... says) {
    return Arguments.of(override, List.of(says));
  }

  @ParameterizedTest(name = "--set {0}")
  @MethodSource("badOverrides")
  void badOverrideNamesTheCommandLineKeyAndWhatIsAllowed(String override, List<String> says) {
    String msg = failure(loader().set(override));
    assertContains(msg, "--set on the command line");
    assertContains(msg, says.toArray(String[]::new));
  }

  @Test
  void anUnknownKeyWithNoCloseOnePointsToTheKeyList() {
    String noIdea = failure(loader().set("completely.different=1"));
    assertContains(noIdea, "unknown key 'completely.different'", "dsasim config keys");
    assertFalse(noIdea.contains("did you mean"), noIdea);
  }

  @Test
  void inconsistentCombinationsNameEveryKeyAndWhereItWasSet() throws IOException {
    Path user = write("my.yaml", "llc:\n  reservation:\n    ratio: 0.25\n");
    assertContains(
        failure(loader().file(user).set("llc.reservation.size=8MiB")),
        "inconsistent configuration: give the reservation as a ratio or as a size, not both",
        "llc.reservation.ratio = 0.25 from " + user + " line 3",
        "llc.reservation.size = 8MiB from --set on the command line");
    assertContains(
        failure(loader().set("llc.reservation.size=64MiB")),
        "the reservation is larger than the LLC",
        "llc.reservation.size = 64MiB from --set on the command line",
        "llc.capacity = 50MiB from preset configs/hardware/h200.yaml line 3");
    assertContains(
        failure(loader().set("sim.warmup.steps=2").set("sim.warmup.time=10us")),
        "warm-up in steps or as a time, not both",
        "sim.warmup.steps = 2",
        "sim.warmup.time = 10us");
  }

  @Test
  void malformedYamlNamesFileLineAndColumn() throws IOException {
    Path user = write("my.yaml", "llc:\n  capacity: 50MiB\n  replacement: lru: fifo\n");
    assertContains(failure(loader().file(user)), user + " line 3, column 19", "not valid YAML");
    Path unclosed = write("bad.yaml", "llc.capacity: [50MiB\nsim.seed: 1\n");
    assertContains(failure(loader().file(unclosed)), unclosed + " line ", "not valid YAML");
  }

  @Test
  void badlyShapedValuesAreRefused() throws IOException {
    Path dup = write("dup.yaml", "sim.seed: 1\nsim.seed: 2\n");
    assertContains(failure(loader().file(dup)), dup.toString(), "sim.seed");
    Path nested = write("nested.yaml", "workload.layers: [[1], 2]\n");
    assertContains(failure(loader().file(nested)), "list items must be single values");
    assertContains(
        assertThrows(UserInputException.class, () -> loader().set("llc.capacity")).getMessage(),
        "expected key=value");
  }

  @Test
  void yamlCannotConstructObjects() throws IOException {
    Path user =
        write("evil.yaml", "sim.seed: !!javax.script.ScriptEngineManager [!!java.net.URL [x]]\n");
    // snakeyaml's tag inspector refuses global tags while composing; ours refuses local ones.
    assertContains(failure(loader().file(user)), user + " line 1", "not allowed");
    Path custom = write("custom.yaml", "sim.seed: !seed 3\n");
    assertContains(failure(loader().file(custom)), "tag !seed is not allowed");
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'k'; c++) {
      String prev = String.valueOf((char) (c - 1));
      bomb.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        bomb.append(i == 0 ? "" : ", ").append('*').append(prev);
      }
      bomb.append("]\n");
    }
    Path laughs = write("laughs.yaml", bomb.toString());
    assertContains(failure(loader().file(laughs)), laughs.toString(), "not valid YAML");
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    Path missing = dir.resolve("nope.yaml");
    assertContains(failure(loader().file(missing)), missing + ": no such file");
    Path user = write("my.yaml", "\ninclude: [base.yaml]\n");
    assertContains(
        failure(loader().file(user)),
        "base.yaml: no such file",
        "(included from " + user + " line 2)");
    assertContains(failure(loader().file(dir)), ": cannot read it");
  }

  @Test
  void includeLoopsAreRefused() throws IOException {
    write("a.yaml", "include: b.yaml\n");
    write("b.yaml", "include: a.yaml\n");
    assertContains(
        failure(loader().file(dir.resolve("a.yaml"))), "the includes form a loop", "a.yaml");
    assertContains(
        assertThrows(UserInputException.class, () -> loader().set("include=x.yaml")).getMessage(),
        "only works inside a file");
  }

  @Test
  void presetsCannotChoosePresets() throws IOException {
    write("configs/hardware/odd.yaml", "model: none\n");
    assertContains(
        failure(loader().set("hardware=odd")),
        "preset configs/hardware/odd.yaml line 1",
        "model chooses a preset");
  }

  @Test
  void referenceLoopsAreReported() {
    assertContains(
        failure(
            loader()
                .set("llc.capacity=${llc.reservation.size}")
                .set("llc.reservation.size=${llc.capacity}")),
        "llc.capacity",
        "nfinite loop");
  }

  @Test
  void allProblemsAreListedInOneMessage() throws IOException {
    Path user = write("my.yaml", "llc.capacty: 1MiB\nsim.seed: x\n");
    String msg = failure(loader().file(user).set("sim.stop.steps=0"));
    assertContains(
        msg,
        "3 problems in the configuration:",
        "unknown key 'llc.capacty'",
        user + " line 2: sim.seed",
        "--set on the command line: sim.stop.steps");
  }

  @Test
  void customOverrideOriginsAreReported() {
    ConfigLoader l = loader().set("sim.seed", "x", "sweep point p0003");
    assertContains(failure(l), "sweep point p0003: sim.seed: 'x' is not a whole number");
    Config ok = loader().set("sim.seed", "4", "sweep point p0003").load();
    assertEquals("sweep point p0003", ok.origin(SimKeys.SEED).shortForm());
  }
}
