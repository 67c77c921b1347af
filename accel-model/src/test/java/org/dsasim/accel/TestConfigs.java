package org.dsasim.accel;

import org.dsasim.core.config.Config;
import org.dsasim.core.config.ConfigLoader;

/** Configurations for tests: the built-in presets with overrides. */
public final class TestConfigs {
  private TestConfigs() {}

  /** The default configuration (hardware h200, model deepseek-v3.2) with {@code key=value}s. */
  public static Config with(String... assignments) {
    ConfigLoader loader = ConfigLoader.standard();
    for (String a : assignments) {
      loader.set(a);
    }
    return loader.load();
  }
}
