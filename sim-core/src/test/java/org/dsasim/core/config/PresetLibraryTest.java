package org.dsasim.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Presets are found by name and listed both from a folder and from inside a jar. */
class PresetLibraryTest {
  @TempDir Path dir;

  private static final String[][] FILES = {
    {"configs/README.md", "presets"},
    {"configs/hardware/h200.yaml", "include: ../common/base.yaml\nsim.seed: 5\n"},
    {"configs/hardware/b200.yaml", "sim.seed: 6\n"},
    {"configs/hardware/notes.txt", "not a preset"},
    {"configs/hardware/old/h100.yaml", "sim.seed: 7\n"},
    {"configs/common/base.yaml", "sim.stop.steps: 3\n"},
  };

  private ConfigLoader loader(PresetLibrary library) {
    ConfigSchema.Builder b = ConfigSchema.builder();
    new SimKeys().contribute(b);
    return new ConfigLoader(b.build(), library).set("model=none").set("workload=none");
  }

  private void checkLibrary(PresetLibrary library) {
    assertEquals(List.of("b200", "h200"), library.available("hardware"));
    assertEquals(List.of(), library.available("model"));
    Config cfg = loader(library).load();
    assertEquals(5L, cfg.get(SimKeys.SEED));
    assertEquals(3, cfg.get(SimKeys.STOP_STEPS), "the preset's include is read from the library");
    assertEquals("configs/common/base.yaml", cfg.origin(SimKeys.STOP_STEPS).file());
    assertEquals(Origin.Kind.PRESET, cfg.origin(SimKeys.STOP_STEPS).kind());
    assertEquals(6L, loader(library).set("hardware=b200").load().get(SimKeys.SEED));
    assertTrue(library.find("hardware", "old/h100").isEmpty());
    assertTrue(library.find("hardware", "../common/base").isEmpty());
  }

  @Test
  void folder() throws IOException {
    for (String[] f : FILES) {
      Path p = dir.resolve(f[0]);
      Files.createDirectories(p.getParent());
      Files.writeString(p, f[1]);
    }
    checkLibrary(PresetLibrary.directory(dir.resolve("configs")));
  }

  @Test
  void jarOnTheClassPath() throws IOException {
    Path jar = dir.resolve("presets.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out)) {
      for (String[] f : FILES) {
        jarOut.putNextEntry(new JarEntry(f[0]));
        jarOut.write(f[1].getBytes(StandardCharsets.UTF_8));
        jarOut.closeEntry();
      }
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      checkLibrary(PresetLibrary.classpath(loader));
    }
  }

  @Test
  void noPresetsOnTheClassPath() throws IOException {
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      assertEquals(List.of(), PresetLibrary.classpath(empty).available("hardware"));
    }
  }
}
