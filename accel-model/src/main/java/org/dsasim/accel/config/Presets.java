package org.dsasim.accel.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dsasim.core.UserInputException;

/**
 * Finds presets by name among the built-in ones ({@code configs/<kind>/<name>.yaml}, shipped in
 * the jar) or as a path to a YAML file.
 */
public final class Presets {
  private Presets() {}

  public static final List<String> HARDWARE = List.of("h100", "h200", "b200", "mi300x");
  public static final List<String> MODELS = List.of("deepseek-v3.2", "llama-3.1-70b-dsa");

  /** Loads a hardware preset into a new layer of settings. */
  public static Settings hardware(String nameOrPath) {
    return load("hardware", nameOrPath, HARDWARE, new Settings());
  }

  /** Adds the preset {@code nameOrPath} of {@code kind} to {@code into}. */
  public static Settings load(String kind, String nameOrPath, List<String> builtIn, Settings into) {
    if (builtIn.contains(nameOrPath)) {
      return into.mergeResource("/configs/" + kind + "/" + nameOrPath + ".yaml");
    }
    Path p = Path.of(nameOrPath);
    if (nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml") || Files.exists(p)) {
      return into.mergeFile(p);
    }
    throw new UserInputException(
        "unknown " + kind + " preset '" + nameOrPath + "': expected one of " + builtIn
            + " or a path to a .yaml file");
  }
}
