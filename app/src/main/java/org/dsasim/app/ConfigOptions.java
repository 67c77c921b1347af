package org.dsasim.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dsasim.core.config.Config;
import org.dsasim.core.config.ConfigLoader;
import picocli.CommandLine.Option;

/**
 * The configuration options every simulating command shares; add them with {@code @Mixin
 * ConfigOptions config;} and call {@link #load()}.
 */
public final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "YAML configuration file, layered above the built-in defaults and the presets it selects"
              + " (hardware:, model:, workload:). Repeat for several; later files win.")
  private List<Path> files = new ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Override one key above every file, e.g. --set llc.capacity=30MiB. Repeatable; lists"
              + " are comma-separated.")
  private List<String> settings = new ArrayList<>();

  /** The user files, in order. */
  public List<Path> files() {
    return List.copyOf(files);
  }

  /** The {@code --set} assignments, in order. */
  public List<String> settings() {
    return List.copyOf(settings);
  }

  /** A loader with these options applied; add more overrides (a sweep point's) before loading. */
  public ConfigLoader loader() {
    return ConfigLoader.standard().files(files).sets(settings);
  }

  /** The resolved, validated configuration; a mistake is a {@code UserInputException}. */
  public Config load() {
    return loader().load();
  }
}
