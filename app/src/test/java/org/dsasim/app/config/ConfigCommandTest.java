package org.dsasim.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dsasim.app.Cli;
import org.dsasim.app.Main;
import org.dsasim.core.config.PresetLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dsasim config show|keys} through the real entry point, with the packaged presets. */
class ConfigCommandTest {
  @TempDir Path dir;

  /** The 1-based line of the preset file in the repository that contains {@code text}. */
  static int presetLine(String preset, String text) throws IOException {
    Path file = Path.of(System.getProperty("dsasim.repo.root"), "configs", preset);
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + file);
  }

  static String row(String out, String key) {
    for (String line : out.split("\n")) {
      if (line.startsWith(key + " ")) {
        return line.replaceAll(" {2,}", " | ");
      }
    }
    throw new AssertionError("no row for " + key + " in\n" + out);
  }

  /** {@link Cli#assertRefused}, and nothing printed on standard output. */
  static void assertUsageError(Cli.Result r, String... parts) {
    Cli.assertRefused(r, parts);
    assertEquals("", r.out());
  }

  @Test
  void presetsArePackagedAndFoundByName() {
    PresetLibrary packaged = PresetLibrary.classpath(Main.class.getClassLoader());
    assertTrue(packaged.available("hardware").contains("h200"));
    assertTrue(packaged.available("model").contains("deepseek-v3.2"));
    assertTrue(packaged.available("workload").contains("paper-fitted"));
  }

  @Test
  void showPrintsEveryKeyWithValueSourceAndMeaning() throws IOException {
    Cli.Result r = Cli.run("config", "show");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("KEY "), r.out());
    assertEquals(
        "hardware | h200 | default | hardware preset: configs/hardware/NAME.yaml",
        row(r.out(), "hardware"));
    int line = presetLine("workload/paper-fitted.yaml", "stop.steps:");
    assertEquals(
        "sim.stop.steps | 50 | preset configs/workload/paper-fitted.yaml:"
            + line
            + " | decode steps measured after the warm-up",
        row(r.out(), "sim.stop.steps"));
    assertTrue(row(r.out(), "sim.stop.time").startsWith("sim.stop.time | (unset) | default |"));
  }

  @Test
  void showReportsUserFilesAndOverrides() throws IOException {
    Path user = Files.writeString(dir.resolve("my.yaml"), "# my study\nsim:\n  warmup.steps: 4\n");
    Cli.Result r = Cli.run("config", "show", "--config", user.toString(), "--set", "sim.seed=9");
    assertEquals(0, r.code(), r.err());
    assertEquals(
        "sim.warmup.steps | 4 | "
            + user
            + ":3 | decode steps simulated before the statistics are"
            + " reset",
        row(r.out(), "sim.warmup.steps"));
    assertTrue(row(r.out(), "sim.seed").startsWith("sim.seed | 9 | --set |"));
  }

  @Test
  void showJsonHasValuesSourcesAndMeanings() throws IOException {
    Path user = Files.writeString(dir.resolve("my.yaml"), "sim.stop.time: 2.5us\n");
    Cli.Result r = Cli.run("config", "show", "--json", "--config", user.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode keys = new ObjectMapper().readTree(r.out()).get("keys");
    JsonNode stopTime = find(keys, "sim.stop.time");
    assertEquals("2.5us", stopTime.get("value").asText());
    assertEquals("duration", stopTime.get("type").asText());
    assertEquals("ps", stopTime.get("unit").asText());
    assertEquals("user_file", stopTime.get("source").get("kind").asText());
    assertEquals(user.toString(), stopTime.get("source").get("file").asText());
    assertEquals(1, stopTime.get("source").get("line").asInt());
    assertEquals("> 0", stopTime.get("allowed").asText());
    JsonNode seed = find(keys, "sim.seed");
    assertEquals("default", seed.get("source").get("kind").asText());
    assertTrue(seed.get("source").get("file").isNull());
    assertTrue(find(keys, "sim.stop.events").get("value").isNull());
    JsonNode steps = find(keys, "sim.stop.steps");
    assertEquals("preset", steps.get("source").get("kind").asText());
    assertEquals("configs/workload/paper-fitted.yaml", steps.get("source").get("file").asText());
  }

  @Test
  void keysListsEveryDeclaredKey() {
    Cli.Result r = Cli.run("config", "keys");
    assertEquals(0, r.code(), r.err());
    assertEquals(
        "sim.warmup.steps | int | 0 | >= 0 | decode steps simulated before the statistics are"
            + " reset",
        row(r.out(), "sim.warmup.steps"));
    assertTrue(
        row(r.out(), "sim.stop.time").startsWith("sim.stop.time | duration | (unset) | > 0"));
  }

  @Test
  void unknownKeyIsOneMessageAndExitStatus2() {
    assertUsageError(
        Cli.run("config", "show", "--set", "sim.sed=3"),
        "--set on the command line: unknown key 'sim.sed'; did you mean 'sim.seed'?");
  }

  @Test
  void badValuesNameKeyFileLineAndRange() throws IOException {
    Path user = Files.writeString(dir.resolve("my.yaml"), "sim:\n  stop:\n    steps: -4\n");
    assertUsageError(
        Cli.run("config", "show", "--config", user.toString()),
        user + " line 3: sim.stop.steps: '-4' is below 1; allowed: >= 1");
    assertUsageError(
        Cli.run("config", "show", "--set", "sim.stop.time=3cycles"),
        "sim.stop.time",
        "no clock",
        "allowed: > 0");
  }

  @Test
  void inconsistentCombinationIsRefused() {
    assertUsageError(
        Cli.run("config", "show", "--set", "sim.warmup.steps=2", "--set", "sim.warmup.time=1us"),
        "inconsistent configuration",
        "sim.warmup.steps = 2 from --set on the command line",
        "sim.warmup.time = 1us from --set on the command line");
  }

  @Test
  void malformedYamlMissingFileAndUnknownPreset() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "sim:\n  seed: [1\n");
    assertUsageError(
        Cli.run("config", "show", "--config", bad.toString()), bad + " line ", "not valid YAML");
    Path missing = dir.resolve("missing.yaml");
    assertUsageError(
        Cli.run("config", "show", "--config", missing.toString()), missing + ": no such file");
    assertUsageError(
        Cli.run("config", "show", "--set", "hardware=h9000"),
        "--set on the command line: hardware: no preset 'h9000'",
        "available: ",
        "h200");
  }

  private static JsonNode find(JsonNode keys, String name) {
    for (JsonNode k : keys) {
      if (k.get("key").asText().equals(name)) {
        return k;
      }
    }
    throw new AssertionError(name);
  }
}
