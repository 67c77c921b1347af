package org.dsasim.mem.hbm;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dsasim.core.UserInputException;
import org.dsasim.core.io.TextFiles;
import org.dsasim.core.config.Units;
import org.dsasim.mem.hbm.ControllerParams.PagePolicy;
import org.dsasim.mem.hbm.ControllerParams.RefreshMode;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads HBM device descriptions from YAML into {@link HbmConfig}. All knowledge of the file
 * format is here, so that it can move onto the project's configuration system in one place.
 *
 * <p>Format: top-level keys {@code name}, {@code description}, {@code extends}, and the sections
 * {@code organization}, {@code timing}, {@code controller}. {@code extends: other} first loads the
 * preset {@code other} (or, for a value ending in {@code .yaml}, that file relative to this one)
 * and then lays this file's values over it, key by key ({@code name} and {@code description} are
 * not inherited). Scalars are read exactly as written (no
 * YAML implicit typing) and parsed with units by {@link Units}. Unknown keys are errors, so that
 * a misspelt key never silently keeps a default.
 */
final class HbmConfigBinding {
  private HbmConfigBinding() {}

  static final String PRESET_DIRECTORY = "configs/memory/";
  private static final int MAX_EXTENDS_DEPTH = 8;
  private static final Pattern PRESET_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final Pattern PIN_RATE =
      Pattern.compile("^\\s*([0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\\s*(Gb/s|Mb/s|Gbps|Mbps)\\s*$");

  /**
   * The section with the rest of the memory hierarchy (LLC, interconnect), bound by
   * {@code org.dsasim.mem.system.HierarchyParams}, not here.
   */
  static final String HIERARCHY = "hierarchy";

  private static final Set<String> TOP_KEYS =
      Set.of("name", "description", "extends", "organization", "timing", "controller",
          "hierarchy");
  private static final Set<String> ORGANIZATION_KEYS = Set.of("stacks", "channels_per_stack",
      "pseudo_channels_per_channel", "sids", "bank_groups", "banks_per_group", "rows", "columns",
      "pc_width_bits", "burst_length", "beats_per_clock", "pin_rate");
  private static final Set<String> CONTROLLER_KEYS = Set.of("address_mapping", "interleave",
      "scheduler", "page_policy", "read_queue", "write_queue", "write_high_watermark",
      "write_low_watermark", "refresh", "frontend_latency");

  /** A scalar and the file it was read from, so that messages point at the right file. */
  private record Leaf(String text, String source) {}

  static HbmConfig preset(String name) {
    String source = presetSource(name);
    Map<String, Object> tree = resolveExtends(readPreset(name, source), source, null, 0);
    return bind(tree, name, source);
  }

  /**
   * The {@code hierarchy} section of preset {@code name} (with what it extends), flattened to
   * dotted keys ({@code llc.capacity -> 60MiB}) in file order; empty if the preset has none. The
   * values keep the file they came from out of the map; {@code source} describes the preset.
   */
  static Map<String, String> hierarchyKeys(String name) {
    String source = presetSource(name);
    Map<String, Object> tree = resolveExtends(readPreset(name, source), source, null, 0);
    Map<String, String> out = new LinkedHashMap<>();
    Object section = tree.get(HIERARCHY);
    if (section == null) {
      return out;
    }
    if (!(section instanceof Map)) {
      throw new UserInputException(source + ": key '" + HIERARCHY + "': expected a section");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) section;
    flatten(map, "", out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void flatten(Map<String, Object> m, String prefix, Map<String, String> out) {
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof Map) {
        flatten((Map<String, Object>) e.getValue(), key + ".", out);
      } else {
        out.put(key, ((Leaf) e.getValue()).text());
      }
    }
  }

  static HbmConfig load(Path file) {
    String source = file.toString();
    Map<String, Object> tree = resolveExtends(readFile(file), source, file.getParent(), 0);
    String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    return bind(tree, base, source);
  }

  private static String presetSource(String name) {
    return "preset '" + name + "' (" + PRESET_DIRECTORY + name + ".yaml)";
  }

  private static Map<String, Object> readPreset(String name, String source) {
    if (!PRESET_NAME.matcher(name).matches()) {
      throw new UserInputException("'" + name + "' is not a memory preset name; known presets: "
          + HbmConfig.PRESETS);
    }
    String resource = PRESET_DIRECTORY + name + ".yaml";
    return parse(TextFiles.resource(resource).orElseThrow(() -> new UserInputException(
        "unknown memory preset '" + name + "'; known presets: " + HbmConfig.PRESETS)), source);
  }

  private static Map<String, Object> readFile(Path file) {
    return parse(TextFiles.read(file, "memory configuration"), file.toString());
  }

  /** Parses YAML text into nested maps whose leaves are {@link Leaf}s. */
  private static Map<String, Object> parse(String text, String source) {
    LoaderOptions options = new LoaderOptions();
    Resolver plainStrings = new Resolver() {
      @Override
      protected void addImplicitResolvers() {
        // every scalar stays the text the user wrote
      }
    };
    Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()),
        new DumperOptions(), options, plainStrings);
    Object root;
    try (Reader r = new StringReader(text)) {
      root = yaml.load(r);
    } catch (YAMLException | IOException e) {
      throw new UserInputException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null) {
      throw new UserInputException(source + ": empty; expected the sections organization,"
          + " timing and controller");
    }
    Object tree = withSources(root, source, "");
    if (!(tree instanceof Map)) {
      throw new UserInputException(source + ": expected a mapping of keys at the top level");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) tree;
    return map;
  }

  private static Object withSources(Object node, String source, String path) {
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String key = String.valueOf(e.getKey());
        out.put(key, withSources(e.getValue(), source, path.isEmpty() ? key : path + "." + key));
      }
      return out;
    }
    if (node instanceof List) {
      throw new UserInputException(source + ": key '" + path + "': expected a single value,"
          + " not a list");
    }
    return new Leaf(node == null ? "" : node.toString().trim(), source);
  }

  private static Map<String, Object> resolveExtends(
      Map<String, Object> tree, String source, Path directory, int depth) {
    Object ext = tree.remove("extends");
    if (ext == null) {
      return tree;
    }
    if (!(ext instanceof Leaf leaf) || leaf.text().isEmpty()) {
      throw new UserInputException(source + ": key 'extends': expected a preset name or a"
          + " .yaml file");
    }
    if (depth >= MAX_EXTENDS_DEPTH) {
      throw new UserInputException(source + ": key 'extends': more than " + MAX_EXTENDS_DEPTH
          + " levels of extends (a cycle?)");
    }
    String target = leaf.text();
    Map<String, Object> base;
    if (target.endsWith(".yaml") || target.endsWith(".yml")) {
      Path file = directory == null ? Path.of(target) : directory.resolve(target);
      base = resolveExtends(readFile(file), file.toString(), file.getParent(), depth + 1);
    } else {
      String baseSource = presetSource(target);
      base = resolveExtends(readPreset(target, baseSource), baseSource, null, depth + 1);
    }
    // a file's identity is its own: only the device description is inherited
    base.remove("name");
    base.remove("description");
    overlay(base, tree);
    return base;
  }

  @SuppressWarnings("unchecked")
  private static void overlay(Map<String, Object> base, Map<String, Object> top) {
    for (Map.Entry<String, Object> e : top.entrySet()) {
      Object old = base.get(e.getKey());
      if (old instanceof Map && e.getValue() instanceof Map) {
        overlay((Map<String, Object>) old, (Map<String, Object>) e.getValue());
      } else {
        base.put(e.getKey(), e.getValue());
      }
    }
  }

  // ---------------------------------------------------------------- binding

  private static HbmConfig bind(Map<String, Object> tree, String defaultName, String source) {
    checkKeys(tree, TOP_KEYS, "", source);
    Map<String, Object> orgSection = section(tree, "organization", source);
    Map<String, Object> timingSection = section(tree, "timing", source);
    Map<String, Object> controllerSection = section(tree, "controller", source);
    checkKeys(orgSection, ORGANIZATION_KEYS, "organization.", source);
    checkKeys(controllerSection, CONTROLLER_KEYS, "controller.", source);
    HbmOrganization org = build(source, () -> new HbmOrganization(
        integer(orgSection, "organization.", "stacks", source),
        integer(orgSection, "organization.", "channels_per_stack", source),
        integer(orgSection, "organization.", "pseudo_channels_per_channel", source),
        integer(orgSection, "organization.", "sids", source),
        integer(orgSection, "organization.", "bank_groups", source),
        integer(orgSection, "organization.", "banks_per_group", source),
        integer(orgSection, "organization.", "rows", source),
        integer(orgSection, "organization.", "columns", source),
        integer(orgSection, "organization.", "pc_width_bits", source),
        integer(orgSection, "organization.", "burst_length", source),
        integer(orgSection, "organization.", "beats_per_clock", source),
        pinRate(orgSection, source)));
    HbmTimingSpec timing = build(source, () -> timingSpec(timingSection, source));
    ControllerParams controller = build(source, () -> controllerParams(controllerSection, org,
        source));
    String name = optionalText(tree, "name", defaultName);
    String description = optionalText(tree, "description", "");
    return build(source, () -> new HbmConfig(name, description, org, timing, controller));
  }

  private interface Construction<T> {
    T build();
  }

  /** Runs a record constructor, turning its validation failure into a message for the user. */
  private static <T> T build(String source, Construction<T> c) {
    try {
      return c.build();
    } catch (IllegalArgumentException e) {
      throw new UserInputException(source + ": " + e.getMessage(), e);
    }
  }

  private static HbmTimingSpec timingSpec(Map<String, Object> section, String source) {
    Map<TimingParam, Units.Time> values = new EnumMap<>(TimingParam.class);
    List<String> unknown = new ArrayList<>();
    for (String key : section.keySet()) {
      if (TimingParam.byKey(key) == null) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      List<String> known = new ArrayList<>();
      for (TimingParam p : TimingParam.values()) {
        known.add(p.key());
      }
      throw new UserInputException(where(section, unknown.get(0), source) + ": unknown key 'timing."
          + unknown.get(0) + "'; timing keys are " + known);
    }
    for (TimingParam p : TimingParam.values()) {
      Leaf leaf = leaf(section, "timing.", p.key(), source);
      try {
        values.put(p, Units.parseTime(leaf.text()));
      } catch (IllegalArgumentException e) {
        throw new UserInputException(leaf.source() + ": key 'timing." + p.key() + "' ("
            + p.meaning() + "): " + e.getMessage());
      }
    }
    return new HbmTimingSpec(values);
  }

  private static ControllerParams controllerParams(
      Map<String, Object> s, HbmOrganization org, String source) {
    String p = "controller.";
    Leaf interleave = leaf(s, p, "interleave", source);
    long interleaveBytes;
    try {
      interleaveBytes = Units.parseBytes(interleave.text());
    } catch (IllegalArgumentException e) {
      throw new UserInputException(interleave.source() + ": key 'controller.interleave': "
          + e.getMessage());
    }
    if (interleaveBytes < 1 || interleaveBytes > Integer.MAX_VALUE) {
      throw new UserInputException(interleave.source() + ": key 'controller.interleave': expected"
          + " a positive size such as 256B, got '" + interleave.text() + "'");
    }
    String mapping = choice(s, p, "address_mapping", AddressMappings.names(), source);
    String scheduler = choice(s, p, "scheduler", Schedulers.names(), source);
    PagePolicy page = enumValue(s, p, "page_policy", PagePolicy.class, source);
    RefreshMode refresh = enumValue(s, p, "refresh", RefreshMode.class, source);
    Leaf latency = leaf(s, p, "frontend_latency", source);
    long latencyPs;
    try {
      latencyPs = Math.round(Units.parseTime(latency.text()).picoseconds(org.clockHz()));
    } catch (IllegalArgumentException e) {
      throw new UserInputException(latency.source() + ": key 'controller.frontend_latency': "
          + e.getMessage());
    }
    return new ControllerParams(mapping, (int) interleaveBytes, scheduler, page,
        integer(s, p, "read_queue", source),
        integer(s, p, "write_queue", source),
        integer(s, p, "write_high_watermark", source),
        integer(s, p, "write_low_watermark", source),
        refresh, latencyPs);
  }

  private static double pinRate(Map<String, Object> s, String source) {
    Leaf leaf = leaf(s, "organization.", "pin_rate", source);
    Matcher m = PIN_RATE.matcher(leaf.text());
    if (!m.matches()) {
      throw new UserInputException(leaf.source() + ": key 'organization.pin_rate': '"
          + leaf.text() + "' is not a per-pin data rate such as 6.4Gb/s or 6400Mb/s");
    }
    double v = Double.parseDouble(m.group(1));
    return m.group(2).startsWith("G") ? v * 1e9 : v * 1e6;
  }

  // ---------------------------------------------------------------- key access

  private static void checkKeys(Map<String, Object> m, Set<String> known, String prefix,
      String source) {
    for (String key : m.keySet()) {
      if (!known.contains(key)) {
        throw new UserInputException(where(m, key, source) + ": unknown key '" + prefix + key
            + "'; expected one of " + new TreeSet<>(known));
      }
    }
  }

  /** The file a key came from: its own leaf's file if it has one, else the top file. */
  private static String where(Map<String, Object> m, String key, String source) {
    return m.get(key) instanceof Leaf leaf ? leaf.source() : source;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> tree, String key, String source) {
    Object v = tree.get(key);
    if (v == null) {
      throw new UserInputException(source + ": section '" + key + "' is missing");
    }
    if (!(v instanceof Map)) {
      throw new UserInputException(where(tree, key, source) + ": key '" + key
          + "': expected a section of keys, not a single value");
    }
    return (Map<String, Object>) v;
  }

  private static Leaf leaf(Map<String, Object> m, String prefix, String key, String source) {
    Object v = m.get(key);
    if (v == null || (v instanceof Leaf l && l.text().isEmpty())) {
      throw new UserInputException(source + ": key '" + prefix + key + "' is missing");
    }
    if (!(v instanceof Leaf leaf)) {
      throw new UserInputException(source + ": key '" + prefix + key
          + "': expected a single value, not a section");
    }
    return leaf;
  }

  private static int integer(Map<String, Object> m, String prefix, String key, String source) {
    Leaf leaf = leaf(m, prefix, key, source);
    try {
      return Integer.parseInt(leaf.text());
    } catch (NumberFormatException e) {
      throw new UserInputException(leaf.source() + ": key '" + prefix + key
          + "': expected a whole number, got '" + leaf.text() + "'");
    }
  }

  private static String choice(Map<String, Object> m, String prefix, String key,
      List<String> known, String source) {
    Leaf leaf = leaf(m, prefix, key, source);
    if (!known.contains(leaf.text())) {
      throw new UserInputException(leaf.source() + ": key '" + prefix + key + "': unknown value '"
          + leaf.text() + "'; expected one of " + known);
    }
    return leaf.text();
  }

  private static <E extends Enum<E>> E enumValue(Map<String, Object> m, String prefix, String key,
      Class<E> type, String source) {
    Leaf leaf = leaf(m, prefix, key, source);
    List<String> known = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      String k = e.name().toLowerCase(Locale.ROOT);
      if (k.equals(leaf.text())) {
        return e;
      }
      known.add(k);
    }
    throw new UserInputException(leaf.source() + ": key '" + prefix + key + "': unknown value '"
        + leaf.text() + "'; expected one of " + known);
  }

  private static String optionalText(Map<String, Object> m, String key, String fallback) {
    return m.get(key) instanceof Leaf leaf && !leaf.text().isEmpty() ? leaf.text() : fallback;
  }
}
