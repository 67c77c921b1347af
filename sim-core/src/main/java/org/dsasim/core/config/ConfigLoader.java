package org.dsasim.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.configuration2.CompositeConfiguration;
import org.dsasim.core.UserInputException;

/**
 * Builds a {@link Config} from its layers, lowest precedence first:
 *
 * <ol>
 *   <li>the defaults declared with the keys;
 *   <li>the preset files chosen by the preset keys ({@code hardware: h200} reads {@code
 *       configs/hardware/h200.yaml}), in the order the preset keys were declared;
 *   <li>user files ({@code --config F}, in the order given);
 *   <li>overrides ({@code --set key=value}, in the order given).
 * </ol>
 *
 * Each layer is a commons-configuration {@code MapConfiguration}, stacked in a {@link
 * CompositeConfiguration} that resolves precedence and {@code ${other.key}} references (only
 * references to keys: no environment, system-property or file lookups, which would make a run
 * depend on where it ran). Every value is then parsed by its key's type and range-checked, and the
 * cross-key validators run. Any problem stops loading with one {@link UserInputException} whose
 * message names the key, the file and line (or {@code --set}) and what is allowed.
 *
 * <pre>{@code
 * Config cfg = ConfigLoader.standard().file(Path.of("my.yaml")).set("llc.capacity=30MiB").load();
 * }</pre>
 */
public final class ConfigLoader {
  /** Value of a preset key that selects no preset file. */
  public static final String NO_PRESET = "none";

  private static final int MAX_PROBLEMS_SHOWN = 20;

  private final ConfigSchema schema;
  private final PresetLibrary presets;
  private final List<Path> userFiles = new ArrayList<>();
  private final Layer overrides = new Layer();

  public ConfigLoader(ConfigSchema schema, PresetLibrary presets) {
    this.schema = schema;
    this.presets = presets;
  }

  /** The keys of every module on the class path and the presets packaged with the program. */
  public static ConfigLoader standard() {
    return new ConfigLoader(
        ConfigSchema.discover(), PresetLibrary.classpath(ConfigLoader.class.getClassLoader()));
  }

  /** Adds a user file, above the presets and the files added before it. */
  public ConfigLoader file(Path path) {
    userFiles.add(path);
    return this;
  }

  /** Adds user files in order. */
  public ConfigLoader files(List<Path> paths) {
    userFiles.addAll(paths);
    return this;
  }

  /**
   * Adds a command-line override {@code key=value}; a later one for the same key wins. For list
   * keys, separate the items with commas.
   */
  public ConfigLoader set(String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new UserInputException(
          "--set '" + assignment + "': expected key=value, for example --set llc.capacity=30MiB");
    }
    return set(
        assignment.substring(0, eq).strip(), assignment.substring(eq + 1), Origin.COMMAND_LINE);
  }

  /** Adds command-line overrides {@code key=value} in order. */
  public ConfigLoader sets(List<String> assignments) {
    for (String a : assignments) {
      set(a);
    }
    return this;
  }

  /**
   * Adds an override whose origin is described by {@code where} (for example "sweep point p0003"),
   * above everything else.
   */
  public ConfigLoader set(String key, String value, String where) {
    return set(key, value, new Origin(Origin.Kind.OVERRIDE, where, 0));
  }

  private ConfigLoader set(String key, String value, Origin origin) {
    if (key.equals(ConfigSchema.INCLUDE)) {
      throw new UserInputException(
          origin.describe() + ": 'include' only works inside a file; use --config FILE");
    }
    overrides.put(key, value.strip(), origin);
    return this;
  }

  /**
   * Reads, layers, parses and validates everything.
   *
   * @throws UserInputException naming the first problems found, each with key, place and what is
   *     allowed
   */
  public Config load() {
    List<Layer> userLayers = new ArrayList<>();
    for (Path p : userFiles) {
      userLayers.addAll(YamlLayerReader.read(YamlSource.file(p), Origin.Kind.USER_FILE));
    }
    List<Layer> aboveDefaults = new ArrayList<>(userLayers);
    aboveDefaults.add(overrides);

    List<String> problems = new ArrayList<>();
    List<Layer> presetLayers = readPresets(aboveDefaults, problems);
    if (!problems.isEmpty()) {
      throw failure(problems);
    }

    // Highest precedence first, as CompositeConfiguration looks them up.
    List<Layer> stack = new ArrayList<>();
    stack.add(overrides);
    for (int i = userLayers.size() - 1; i >= 0; i--) {
      stack.add(userLayers.get(i));
    }
    for (int i = presetLayers.size() - 1; i >= 0; i--) {
      stack.add(presetLayers.get(i));
    }
    Layer defaults = defaultsLayer();
    stack.add(defaults);

    CompositeConfiguration composite = new CompositeConfiguration();
    for (Layer layer : stack) {
      composite.addConfiguration(layer.asConfiguration());
    }
    // Only ${key} references to other settings; no lookups of the environment or the machine.
    composite.installInterpolator(Map.of(), null);

    checkKeysAreDeclared(stack, problems);
    Map<String, Config.Entry> entries = new LinkedHashMap<>();
    for (ConfigKey<?> key : schema.keys()) {
      bind(key, stack, composite, entries, problems);
    }
    if (!problems.isEmpty()) {
      throw failure(problems);
    }
    Config cfg = new Config(schema, entries);
    for (ConfigValidator v : schema.validators()) {
      try {
        v.validate(cfg);
      } catch (UserInputException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw failure(problems);
    }
    return cfg;
  }

  private List<Layer> readPresets(List<Layer> aboveDefaults, List<String> problems) {
    List<Layer> layers = new ArrayList<>();
    for (ConfigKey<?> presetKey : schema.presetKeys()) {
      String group = presetKey.name();
      String name = presetKey.defaultText().orElse(NO_PRESET);
      Origin origin = Origin.DEFAULT;
      for (Layer layer : aboveDefaults) {
        if (layer.contains(group)) {
          Object raw = layer.raw(group);
          name = raw instanceof String s ? s : String.valueOf(raw);
          origin = layer.origin(group);
        }
      }
      if (name.equals(NO_PRESET)) {
        continue;
      }
      Optional<YamlSource> file = presets.find(group, name);
      if (file.isEmpty()) {
        List<String> available = presets.available(group);
        problems.add(
            origin.describe()
                + ": "
                + group
                + ": no preset '"
                + name
                + "' (no file "
                + PresetLibrary.fileName(group, name)
                + "); available: "
                + (available.isEmpty() ? "none" : String.join(", ", available))
                + ", or "
                + NO_PRESET);
        continue;
      }
      for (Layer layer : YamlLayerReader.read(file.get(), Origin.Kind.PRESET)) {
        for (ConfigKey<?> selector : schema.presetKeys()) {
          if (layer.contains(selector.name())) {
            problems.add(
                layer.origin(selector.name()).describe()
                    + ": "
                    + selector.name()
                    + " chooses a preset, so it can be set only in a user file or with --set,"
                    + " not inside a preset");
          }
        }
        layers.add(layer);
      }
    }
    return layers;
  }

  private Layer defaultsLayer() {
    Layer defaults = new Layer();
    for (ConfigKey<?> key : schema.keys()) {
      key.defaultText().ifPresent(text -> defaults.put(key.name(), text, Origin.DEFAULT));
    }
    return defaults;
  }

  private void checkKeysAreDeclared(List<Layer> stack, List<String> problems) {
    for (int i = stack.size() - 2; i >= 0; i--) { // all but the defaults, lowest first
      Layer layer = stack.get(i);
      for (String name : layer.keys()) {
        if (schema.key(name).isPresent()) {
          continue;
        }
        String where = layer.origin(name).describe();
        List<String> under = schema.keysUnder(name);
        if (!under.isEmpty()) {
          problems.add(
              where
                  + ": "
                  + name
                  + " is a group of keys ("
                  + abbreviate(under)
                  + "), not a key; set one of them");
          continue;
        }
        Optional<String> suggestion = schema.suggest(name);
        problems.add(
            where
                + ": unknown key '"
                + name
                + "'"
                + suggestion.map(s -> "; did you mean '" + s + "'?").orElse("")
                + " (run 'dsasim config keys' for every key)");
      }
    }
  }

  private static void bind(
      ConfigKey<?> key,
      List<Layer> stack,
      CompositeConfiguration composite,
      Map<String, Config.Entry> entries,
      List<String> problems) {
    Layer source = null;
    for (Layer layer : stack) {
      if (layer.contains(key.name())) {
        source = layer;
        break;
      }
    }
    if (source == null) {
      entries.put(key.name(), new Config.Entry(key, null, "", Origin.DEFAULT));
      return;
    }
    Origin origin = source.origin(key.name());
    Object raw = source.raw(key.name());
    try {
      Object value;
      if (raw instanceof List<?> items) {
        if (!key.type().isList()) {
          throw new IllegalArgumentException("expected a single value, found a list");
        }
        List<String> resolved = new ArrayList<>();
        for (Object item : items) {
          resolved.add(resolveReferences(composite.getInterpolator().interpolate(item), item));
        }
        value = key.parseItems(resolved);
      } else {
        value = key.parse(resolveReferences(composite.getString(key.name()), raw));
      }
      entries.put(key.name(), new Config.Entry(key, value, key.type().formatObject(value), origin));
    } catch (IllegalArgumentException e) {
      problems.add(
          origin.describe()
              + ": "
              + key.name()
              + ": "
              + e.getMessage()
              + "; allowed: "
              + key.allowed());
    } catch (IllegalStateException e) {
      // commons-configuration reports a cycle of ${...} references this way
      problems.add(origin.describe() + ": " + key.name() + ": " + e.getMessage());
    }
  }

  /** The interpolated text, refusing references to keys that have no value. */
  private static String resolveReferences(Object interpolated, Object written) {
    String text = String.valueOf(interpolated);
    int start = text.indexOf("${");
    if (start >= 0) {
      int end = text.indexOf('}', start);
      String ref = end > start ? text.substring(start + 2, end) : text.substring(start + 2);
      throw new IllegalArgumentException(
          "'" + written + "' refers to '" + ref + "', which is not a key with a value");
    }
    return text;
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 4
        ? String.join(", ", names)
        : String.join(", ", names.subList(0, 3)) + ", ... " + (names.size() - 3) + " more";
  }

  private static UserInputException failure(List<String> problems) {
    if (problems.size() == 1) {
      return new UserInputException(problems.get(0));
    }
    StringBuilder sb = new StringBuilder(problems.size() + " problems in the configuration:");
    for (int i = 0; i < Math.min(problems.size(), MAX_PROBLEMS_SHOWN); i++) {
      sb.append("\n  ").append(problems.get(i));
    }
    if (problems.size() > MAX_PROBLEMS_SHOWN) {
      sb.append("\n  ... and ").append(problems.size() - MAX_PROBLEMS_SHOWN).append(" more");
    }
    return new UserInputException(sb.toString());
  }
}
