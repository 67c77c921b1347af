package org.dsasim.accel.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Units;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Flat, layered settings: dotted keys ({@code l2.capacity}) with text values, each remembering
 * where it came from (a preset, a file, a {@code --set}), so that a bad value is reported with its
 * key and origin. Later layers override earlier ones. Typed getters parse units through
 * {@link Units}.
 *
 * <p>YAML documents are flattened: nested maps become dotted keys; scalars keep their text; lists
 * become comma-separated text.
 */
public final class Settings {
  private final Map<String, String> values = new TreeMap<>();
  private final Map<String, String> origins = new TreeMap<>();

  public Settings() {}

  /** A copy of {@code other}. */
  public Settings(Settings other) {
    values.putAll(other.values);
    origins.putAll(other.origins);
  }

  /** Loads a YAML document from a file as a new layer. */
  public Settings mergeFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UserInputException("configuration file " + file + " does not exist");
    } catch (IOException e) {
      throw new UserInputException("cannot read configuration file " + file + ": " + e.getMessage());
    }
    return mergeYaml(new StringReader(text), file.toString());
  }

  /** Loads a YAML document from a class-path resource as a new layer. */
  public Settings mergeResource(String resource) {
    try (InputStream in = Settings.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing built-in resource " + resource);
      }
      return mergeYaml(
          new java.io.InputStreamReader(in, StandardCharsets.UTF_8), "built-in " + resource);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read built-in resource " + resource, e);
    }
  }

  /** Loads a YAML document; {@code origin} names it in error messages. */
  public Settings mergeYaml(Reader reader, String origin) {
    Object doc;
    try {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (MarkedYAMLException e) {
      throw new UserInputException(
          origin + ": not valid YAML at line " + (e.getProblemMark().getLine() + 1) + ": "
              + e.getProblem());
    }
    if (doc == null) {
      return this;
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new UserInputException(origin + ": expected a mapping of keys at the top level");
    }
    flatten("", map, origin);
    return this;
  }

  private void flatten(String prefix, Map<?, ?> map, String origin) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      Object v = e.getValue();
      if (v instanceof Map<?, ?> sub) {
        flatten(key + ".", sub, origin);
      } else if (v instanceof List<?> list) {
        List<String> parts = new ArrayList<>();
        for (Object o : list) {
          parts.add(String.valueOf(o));
        }
        put(key, String.join(",", parts), origin);
      } else {
        put(key, v == null ? "" : String.valueOf(v), origin);
      }
    }
  }

  /** Sets one key (a {@code --set key=value}). */
  public Settings put(String key, String value, String origin) {
    values.put(key, value);
    origins.put(key, origin);
    return this;
  }

  /** Applies {@code key=value} overrides; a text without '=' is a user error. */
  public Settings mergeAssignments(List<String> assignments, String origin) {
    for (String a : assignments) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new UserInputException(
            origin + ": '" + a + "' is not an assignment of the form key=value");
      }
      put(a.substring(0, eq).trim(), a.substring(eq + 1).trim(), origin);
    }
    return this;
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** All keys, sorted. */
  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(values);
  }

  /** Keys under {@code prefix.} with the prefix removed. */
  public Map<String, String> under(String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    String p = prefix + ".";
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getKey().startsWith(p)) {
        out.put(e.getKey().substring(p.length()), e.getValue());
      }
    }
    return out;
  }

  public String origin(String key) {
    return origins.getOrDefault(key, "defaults");
  }

  public String string(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new UserInputException("missing setting '" + key + "'");
    }
    return v;
  }

  public String string(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  public long bytes(String key) {
    return parse(key, "a size such as 60MiB", Units::parseBytes);
  }

  public double frequencyHz(String key) {
    return parse(key, "a frequency such as 1.98GHz", Units::parseFrequencyHz);
  }

  public double bandwidth(String key) {
    return parse(key, "a bandwidth such as 4.8TB/s", Units::parseBandwidth);
  }

  /** A time in picoseconds; cycles are converted with {@code clockHz}. */
  public long timePs(String key, double clockHz) {
    Units.Time t = parse(key, "a time such as 350ns or 12cycles", Units::parseTime);
    return Math.round(t.picoseconds(clockHz));
  }

  public double number(String key) {
    return parse(key, "a number", Units::parseNumber);
  }

  public double number(String key, double fallback) {
    return has(key) ? number(key) : fallback;
  }

  public int integer(String key) {
    double v = number(key);
    if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
      throw bad(key, "a whole number");
    }
    return (int) v;
  }

  public int integer(String key, int fallback) {
    return has(key) ? integer(key) : fallback;
  }

  public boolean bool(String key, boolean fallback) {
    if (!has(key)) {
      return fallback;
    }
    String v = string(key).toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw bad(key, "true or false");
    };
  }

  /** A positive value: reports the key when it is zero or negative. */
  public double positive(String key, double value) {
    if (!(value > 0)) {
      throw bad(key, "a positive value");
    }
    return value;
  }

  private interface Parser<T> {
    T parse(String text);
  }

  private <T> T parse(String key, String expected, Parser<T> parser) {
    String v = string(key);
    try {
      return parser.parse(v);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(
          "setting '" + key + "' (from " + origin(key) + "): " + e.getMessage());
    }
  }

  /** An error about {@code key}'s value, naming where it came from. */
  public UserInputException bad(String key, String expected) {
    return new UserInputException(
        "setting '" + key + "' (from " + origin(key) + "): '" + values.get(key) + "' is not "
            + expected);
  }
}
