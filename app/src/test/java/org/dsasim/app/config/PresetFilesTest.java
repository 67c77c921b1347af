package org.dsasim.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dsasim.app.Main;
import org.dsasim.core.config.Config;
import org.dsasim.core.config.ConfigKey;
import org.dsasim.core.config.ConfigLoader;
import org.dsasim.core.config.ConfigSchema;
import org.dsasim.core.config.PresetLibrary;
import org.dsasim.core.config.SimKeys;
import org.junit.jupiter.api.Test;

/**
 * Every preset in configs/ loads cleanly against the keys of every module on the class path, and
 * the packaged copies are the repository's files.
 */
class PresetFilesTest {
  private final PresetLibrary packaged = PresetLibrary.classpath(Main.class.getClassLoader());

  @Test
  void everyPresetLoadsWithEveryModulesKeys() {
    List<String> loaded = new ArrayList<>();
    for (ConfigKey<?> presetKey : ConfigSchema.discover().presetKeys()) {
      for (String name : packaged.available(presetKey.name())) {
        Config cfg = ConfigLoader.standard().set(presetKey.name() + "=" + name).load();
        assertEquals(name, cfg.find(presetKey).orElseThrow());
        loaded.add(presetKey.name() + "/" + name);
      }
    }
    assertFalse(loaded.isEmpty());
  }

  @Test
  void theDefaultPresetsExist() {
    Config cfg = ConfigLoader.standard().load();
    assertEquals("h200", cfg.get(SimKeys.HARDWARE));
    assertEquals("deepseek-v3.2", cfg.get(SimKeys.MODEL));
    assertEquals("paper-fitted", cfg.get(SimKeys.WORKLOAD));
  }

  @Test
  void packagedPresetsAreTheRepositoryFiles() throws IOException {
    Path configs = Path.of(System.getProperty("dsasim.repo.root"), "configs");
    for (ConfigKey<?> presetKey : ConfigSchema.discover().presetKeys()) {
      List<String> inRepository = new ArrayList<>();
      try (Stream<Path> files = Files.list(configs.resolve(presetKey.name()))) {
        files
            .map(p -> p.getFileName().toString())
            .filter(f -> f.endsWith(".yaml"))
            .map(f -> f.substring(0, f.length() - ".yaml".length()))
            .sorted()
            .forEach(inRepository::add);
      }
      assertEquals(inRepository, packaged.available(presetKey.name()), presetKey.name());
    }
  }
}
