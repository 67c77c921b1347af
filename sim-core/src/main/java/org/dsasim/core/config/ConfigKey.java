package org.dsasim.core.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One configuration key, declared once by the component that reads it: its dotted name, type,
 * default, allowed range and one-line meaning. Keys are immutable; each modifier returns a copy, so
 * a declaration reads as one expression:
 *
 * <pre>{@code
 * public static final ConfigKey<Long> CAPACITY =
 *     ConfigKey.size("llc.capacity").defaultValue("60MiB").range("1KiB", "1TiB")
 *         .meaning("total capacity of the last-level cache");
 * }</pre>
 *
 * Defaults and bounds are written as a user would write them and are checked when the key is
 * declared, so a bad declaration fails as soon as its class loads.
 *
 * @param <T> the type of the bound value
 */
public final class ConfigKey<T> {
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z][A-Za-z0-9_-]*)*");

  private final String name;
  private final ConfigType<T> type;
  private final String defaultText;
  private final String minText;
  private final boolean minExclusive;
  private final String maxText;
  private final String meaning;
  private final boolean preset;

  private ConfigKey(
      String name,
      ConfigType<T> type,
      String defaultText,
      String minText,
      boolean minExclusive,
      String maxText,
      String meaning,
      boolean preset) {
    this.name = name;
    this.type = type;
    this.defaultText = defaultText;
    this.minText = minText;
    this.minExclusive = minExclusive;
    this.maxText = maxText;
    this.meaning = meaning;
    this.preset = preset;
    checkDeclaration();
  }

  /** A key of any type, without default, range or meaning yet. */
  public static <T> ConfigKey<T> of(String name, ConfigType<T> type) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "bad key name '" + name + "': dotted words of letters, digits, '-' and '_'");
    }
    return new ConfigKey<>(name, Objects.requireNonNull(type), null, null, false, null, "", false);
  }

  public static ConfigKey<Integer> integer(String name) {
    return of(name, ConfigType.INT);
  }

  public static ConfigKey<Long> longInteger(String name) {
    return of(name, ConfigType.LONG);
  }

  public static ConfigKey<Double> number(String name) {
    return of(name, ConfigType.DOUBLE);
  }

  public static ConfigKey<Boolean> bool(String name) {
    return of(name, ConfigType.BOOL);
  }

  public static ConfigKey<String> string(String name) {
    return of(name, ConfigType.STRING);
  }

  public static ConfigKey<Long> size(String name) {
    return of(name, ConfigType.SIZE);
  }

  public static ConfigKey<Double> frequency(String name) {
    return of(name, ConfigType.FREQUENCY);
  }

  public static ConfigKey<Double> bandwidth(String name) {
    return of(name, ConfigType.BANDWIDTH);
  }

  public static ConfigKey<Units.Time> time(String name) {
    return of(name, ConfigType.TIME);
  }

  public static ConfigKey<Long> duration(String name) {
    return of(name, ConfigType.DURATION);
  }

  public static ConfigKey<String> choice(String name, String... choices) {
    return of(name, ConfigType.choice(choices));
  }

  public static <E extends Enum<E>> ConfigKey<E> enumeration(String name, Class<E> type) {
    return of(name, ConfigType.enumeration(type));
  }

  public static <E> ConfigKey<List<E>> list(String name, ConfigType<E> element) {
    return of(name, ConfigType.listOf(element));
  }

  /**
   * A preset selector: its value names a file {@code configs/<name>/<value>.yaml} whose settings
   * are layered above the defaults (or {@code none}). {@code hardware: h200} loads {@code
   * configs/hardware/h200.yaml}.
   */
  public static ConfigKey<String> preset(String name) {
    of(name, ConfigType.STRING); // checks the name
    return new ConfigKey<>(name, ConfigType.STRING, null, null, false, null, "", true);
  }

  /** The value used when no layer sets the key, written as a user would write it. */
  public ConfigKey<T> defaultValue(String text) {
    return new ConfigKey<>(
        name, type, Objects.requireNonNull(text), minText, minExclusive, maxText, meaning, preset);
  }

  /** Inclusive bounds, written as a user would write them. */
  public ConfigKey<T> range(String min, String max) {
    return new ConfigKey<>(name, type, defaultText, min, false, max, meaning, preset);
  }

  /** An inclusive lower bound. */
  public ConfigKey<T> atLeast(String min) {
    return new ConfigKey<>(name, type, defaultText, min, false, maxText, meaning, preset);
  }

  /** An inclusive upper bound. */
  public ConfigKey<T> atMost(String max) {
    return new ConfigKey<>(name, type, defaultText, minText, minExclusive, max, meaning, preset);
  }

  /** Values must be greater than zero. */
  public ConfigKey<T> positive() {
    return new ConfigKey<>(name, type, defaultText, "0", true, maxText, meaning, preset);
  }

  /** The one-line meaning shown by {@code dsasim config show} and {@code config keys}. */
  public ConfigKey<T> meaning(String text) {
    return new ConfigKey<>(
        name,
        type,
        defaultText,
        minText,
        minExclusive,
        maxText,
        Objects.requireNonNull(text),
        preset);
  }

  public String name() {
    return name;
  }

  public ConfigType<T> type() {
    return type;
  }

  public String meaning() {
    return meaning;
  }

  /** The default as written in the declaration; empty for a key that is unset unless given. */
  public Optional<String> defaultText() {
    return Optional.ofNullable(defaultText);
  }

  /** Whether this key selects a preset file. */
  public boolean isPreset() {
    return preset;
  }

  /**
   * What values are allowed, for messages and listings: {@code 0 to 1}, {@code > 0}, {@code one of
   * [lru, fifo]}, {@code a size such as 656B, 64KiB or 60MiB}.
   */
  public String allowed() {
    if (preset) {
      return "a preset name from configs/" + name + "/, or none";
    }
    if (minText != null && maxText != null) {
      return minText + " to " + maxText;
    }
    if (minText != null) {
      return (minExclusive ? "> " : ">= ") + minText;
    }
    if (maxText != null) {
      return "<= " + maxText;
    }
    return type.expected();
  }

  /**
   * Parses {@code text} and checks the range.
   *
   * @throws IllegalArgumentException saying what is wrong with the value
   */
  public T parse(String text) {
    T value = type.parse(text);
    checkRange(value, text);
    return value;
  }

  /** Parses the items of a YAML sequence and checks each against the range. */
  T parseItems(List<String> items) {
    T value = type.parseList(items);
    checkRange(value, String.valueOf(items));
    return value;
  }

  private void checkRange(T value, String text) {
    if (minText == null && maxText == null) {
      return;
    }
    if (value instanceof List<?> list) {
      for (Object item : list) {
        checkScalar(item, type.scalarType().formatObject(item));
      }
    } else {
      checkScalar(value, text);
    }
  }

  private void checkScalar(Object value, String text) {
    ConfigType<?> scalar = type.scalarType();
    if (minText != null) {
      Integer c = scalar.compare(value, type.parseBound(minText));
      if (c != null && (c < 0 || (c == 0 && minExclusive))) {
        throw new IllegalArgumentException(
            "'" + text + "' is " + (minExclusive ? "not above " : "below ") + minText);
      }
    }
    if (maxText != null) {
      Integer c = scalar.compare(value, type.parseBound(maxText));
      if (c != null && c > 0) {
        throw new IllegalArgumentException("'" + text + "' is above " + maxText);
      }
    }
  }

  private void checkDeclaration() {
    if ((minText != null || maxText != null) && !type.isOrdered()) {
      throw new IllegalArgumentException(name + ": a " + type.name() + " has no range");
    }
    try {
      if (minText != null) {
        type.parseBound(minText);
      }
      if (maxText != null) {
        type.parseBound(maxText);
      }
      if (defaultText != null) {
        parse(defaultText);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bad declaration of key " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
