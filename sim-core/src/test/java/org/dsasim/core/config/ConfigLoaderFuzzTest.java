package org.dsasim.core.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dsasim.core.UserInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of configuration loading: a YAML file (syntax, nesting, tags, anchors,
 * includes) and one {@code --set} override go through reading, layering, unit parsing, range
 * checks and the cross-key validators of {@link ConfigLoaderTest#schema()}. The property: the
 * configuration loads, or a {@link UserInputException} says why; nothing else escapes. Seeds and
 * every input that once failed are in {@code ConfigLoaderFuzzTestInputs/}.
 */
class ConfigLoaderFuzzTest {
  private static final String SET_LINE = "--set ";
  private static Path dir;
  private static Path configs;
  private static Path yaml;

  @BeforeAll
  static void presets() throws IOException {
    dir = Files.createTempDirectory("dsasim-config-fuzz");
    configs = ConfigLoaderTest.writePresets(dir);
    yaml = dir.resolve("fuzz.yaml");
  }

  @AfterAll
  static void cleanUp() throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * A first line {@code --set KEY=VALUE} is the override; the rest is the YAML file. Seeds are
   * therefore plain text files.
   */
  @FuzzTest(maxDuration = "10s")
  void loadsOrRefuses(byte[] input) throws IOException {
    String text = new String(input, StandardCharsets.UTF_8);
    String assignment = null;
    byte[] yamlBytes = input;
    if (text.startsWith(SET_LINE)) {
      int end = text.indexOf('\n');
      assignment = text.substring(SET_LINE.length(), end < 0 ? text.length() : end);
      yamlBytes = end < 0 ? new byte[0] : text.substring(end + 1).getBytes(StandardCharsets.UTF_8);
    }
    Files.write(yaml, yamlBytes);
    ConfigLoader loader =
        new ConfigLoader(ConfigLoaderTest.schema(), PresetLibrary.directory(configs));
    try {
      loader.file(yaml);
      if (assignment != null) {
        loader.set(assignment);
      }
      loader.load();
    } catch (UserInputException expected) {
      // refused with a message: the property holds
    }
  }
}
