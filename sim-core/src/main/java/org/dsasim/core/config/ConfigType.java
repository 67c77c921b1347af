package org.dsasim.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The type of a configuration value: how the text a user wrote becomes a Java value, how that value
 * is printed back in units, and how two values compare for range checks.
 *
 * <p>Values are always parsed from the text exactly as written (YAML's own implicit typing is not
 * used), so {@code 010} is ten, not octal eight, and an error message can quote what the user
 * typed.
 *
 * @param <T> the Java type of the bound value
 */
public final class ConfigType<T> {
  /** A 32-bit integer. */
  public static final ConfigType<Integer> INT =
      ordered("int", "", "a whole number", ConfigType::parseInt, String::valueOf);

  /** A 64-bit integer. */
  public static final ConfigType<Long> LONG =
      ordered("long", "", "a whole number", ConfigType::parseLong, String::valueOf);

  /** A floating-point number without a unit. */
  public static final ConfigType<Double> DOUBLE =
      numeric("double", "", "a number", Units::parseNumber, Units::format);

  /** {@code true} or {@code false} (also {@code yes}/{@code no}, {@code on}/{@code off}). */
  public static final ConfigType<Boolean> BOOL =
      new ConfigType<>("bool", "", "true or false", ConfigType::parseBool, String::valueOf, null);

  /** Free text. */
  public static final ConfigType<String> STRING =
      new ConfigType<>("string", "", "any text", s -> s, s -> s, null);

  /** A size in bytes: {@code 656B}, {@code 60MiB}, {@code 1.5GB}. */
  public static final ConfigType<Long> SIZE =
      ordered(
          "size",
          "B",
          "a size such as 656B, 64KiB or 60MiB",
          Units::parseBytes,
          Units::formatBytes);

  /** A frequency in hertz: {@code 1.98GHz}. */
  public static final ConfigType<Double> FREQUENCY =
      numeric(
          "frequency",
          "Hz",
          "a frequency such as 1.98GHz or 3201MHz",
          Units::parseFrequencyHz,
          Units::formatFrequency);

  /** A bandwidth in bytes per second: {@code 4.8TB/s}. */
  public static final ConfigType<Double> BANDWIDTH =
      numeric(
          "bandwidth",
          "B/s",
          "a bandwidth such as 4.8TB/s or 819GB/s",
          Units::parseBandwidth,
          Units::formatBandwidth);

  /**
   * A time, absolute ({@code 350ns}) or in cycles of the component's clock ({@code 12cycles}), and
   * never negative, with or without a declared range. Range bounds only compare with values of the
   * same kind, except that a bound of zero applies to both (so "at least 0" rejects {@code
   * -3cycles} as well as {@code -1ns}).
   */
  public static final ConfigType<Units.Time> TIME =
      new ConfigType<>(
          "time",
          "ps",
          "a time such as 350ns or 12cycles",
          ConfigType::parseTime,
          Units.Time::toString,
          ConfigType::compareTimes);

  /**
   * An absolute time in whole picoseconds ({@code 350ns}, {@code 2ms}), for keys that have no clock
   * to count cycles in.
   */
  public static final ConfigType<Long> DURATION =
      ordered(
          "duration",
          "ps",
          "a time such as 350ns, 10us or 2ms",
          ConfigType::parseDuration,
          ps -> new Units.Time(ps, false).toString());

  private final String name;
  private final String unit;
  private final String expected;
  private final Function<String, T> parser;
  private final Function<T, String> formatter;
  private final Comparison<T> comparison;
  private final List<String> choices;
  private final ConfigType<?> element;

  /** Compares two values; returns null when they cannot be ordered (cycles against nanoseconds). */
  @FunctionalInterface
  interface Comparison<T> {
    Integer compare(T a, T b);
  }

  private ConfigType(
      String name,
      String unit,
      String expected,
      Function<String, T> parser,
      Function<T, String> formatter,
      Comparison<T> comparison) {
    this(name, unit, expected, parser, formatter, comparison, List.of(), null);
  }

  private ConfigType(
      String name,
      String unit,
      String expected,
      Function<String, T> parser,
      Function<T, String> formatter,
      Comparison<T> comparison,
      List<String> choices,
      ConfigType<?> element) {
    this.name = name;
    this.unit = unit;
    this.expected = expected;
    this.parser = parser;
    this.formatter = formatter;
    this.comparison = comparison;
    this.choices = choices;
    this.element = element;
  }

  /** One of a fixed set of words, matched exactly. */
  public static ConfigType<String> choice(String... choices) {
    if (choices.length == 0) {
      throw new IllegalArgumentException("a choice needs at least one allowed word");
    }
    List<String> allowed = List.of(choices);
    return oneOf(allowed, s -> allowed.contains(s) ? s : null, s -> s);
  }

  /**
   * A constant of a Java enum, written in lower case with dashes: {@code TOKEN_LRU} is {@code
   * token-lru}.
   */
  public static <E extends Enum<E>> ConfigType<E> enumeration(Class<E> type) {
    List<String> words = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      words.add(enumWord(e));
    }
    return oneOf(
        List.copyOf(words),
        s -> {
          for (E e : type.getEnumConstants()) {
            if (enumWord(e).equals(s)) {
              return e;
            }
          }
          return null;
        },
        ConfigType::enumWord);
  }

  /**
   * A type whose values are the {@code allowed} words; {@code lookup} gives a word's value, or null
   * for a word that is not allowed.
   */
  private static <V> ConfigType<V> oneOf(
      List<String> allowed, Function<String, V> lookup, Function<V, String> formatter) {
    return new ConfigType<>(
        "enum",
        "",
        "one of " + allowed,
        s -> {
          V value = lookup.apply(s);
          if (value == null) {
            throw new IllegalArgumentException("'" + s + "' is not one of " + allowed);
          }
          return value;
        },
        formatter,
        null,
        allowed,
        null);
  }

  /** A type whose values compare by their natural order (numbers, sizes, rates). */
  private static <V extends Comparable<V>> ConfigType<V> ordered(
      String name,
      String unit,
      String expected,
      Function<String, V> parser,
      Function<V, String> formatter) {
    return new ConfigType<>(name, unit, expected, parser, formatter, (a, b) -> a.compareTo(b));
  }

  /** A type of floating-point values, compared by {@link #compareNumbers}. */
  private static ConfigType<Double> numeric(
      String name,
      String unit,
      String expected,
      Function<String, Double> parser,
      Function<Double, String> formatter) {
    return new ConfigType<>(name, unit, expected, parser, formatter, ConfigType::compareNumbers);
  }

  /**
   * Compares as arithmetic does, so that {@code -0} (-0.0) is within a range starting at 0:
   * {@link Double#compare} orders -0.0 below 0.0. The parsers refuse NaN.
   */
  private static Integer compareNumbers(double a, double b) {
    return a == b ? 0 : Double.compare(a, b);
  }

  /**
   * A list of values of {@code element}'s type: a YAML sequence, or in one string (as on the
   * command line) separated by commas.
   */
  public static <E> ConfigType<List<E>> listOf(ConfigType<E> element) {
    if (element.element != null) {
      throw new IllegalArgumentException("lists of lists are not supported");
    }
    return new ConfigType<>(
        "list of " + element.name,
        element.unit,
        "a list, each " + element.expected,
        null, // parse() splits the text and parses each element
        list -> {
          List<String> parts = new ArrayList<>();
          for (E e : list) {
            parts.add(element.format(e));
          }
          return "[" + String.join(", ", parts) + "]";
        },
        null,
        element.choices,
        element);
  }

  /** Short name for listings: {@code size}, {@code enum}, {@code list of int}. */
  public String name() {
    return name;
  }

  /** What a value looks like, for messages: {@code a size such as 656B, 64KiB or 60MiB}. */
  public String expected() {
    return expected;
  }

  /** The base unit values are held in ({@code B}, {@code Hz}, {@code B/s}, {@code ps}), or "". */
  public String unit() {
    return unit;
  }

  /** The allowed words of an enumeration (or of a list's elements); empty otherwise. */
  public List<String> choices() {
    return choices;
  }

  /** Whether values are lists (YAML sequences). */
  public boolean isList() {
    return element != null;
  }

  /** Whether range bounds make sense for this type. */
  boolean isOrdered() {
    return comparison != null || (element != null && element.comparison != null);
  }

  /**
   * Parses one value as written by the user.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public T parse(String text) {
    if (element != null) {
      return parseList(splitList(text));
    }
    return parser.apply(text);
  }

  /**
   * Parses a range bound of a declaration; a bare {@code 0} is zero in the base unit, so {@code
   * positive()} and {@code atLeast("0")} work for every ordered type.
   */
  Object parseBound(String text) {
    ConfigType<?> scalar = scalarType();
    if (text.strip().equals("0") && !scalar.unit.isEmpty()) {
      return scalar.parse("0" + scalar.unit);
    }
    return scalar.parse(text);
  }

  /** Parses the elements of a list given as separate strings (a YAML sequence). */
  @SuppressWarnings("unchecked")
  T parseList(List<String> items) {
    if (element == null) {
      throw new IllegalArgumentException("expected a single value, found a list");
    }
    List<Object> values = new ArrayList<>(items.size());
    for (String item : items) {
      values.add(element.parse(item));
    }
    return (T) Collections.unmodifiableList(values);
  }

  /** The value in units, in a form {@link #parse} reads back. */
  public String format(T value) {
    return formatter.apply(value);
  }

  /** Formats a value known only as an object of this type (for generic listings). */
  @SuppressWarnings("unchecked")
  String formatObject(Object value) {
    return format((T) value);
  }

  /**
   * Compares for range checks; for lists, compares each element. Returns null when the two cannot
   * be ordered.
   */
  @SuppressWarnings("unchecked")
  Integer compare(Object value, Object bound) {
    if (element != null) {
      throw new IllegalStateException("compare list elements one by one");
    }
    return comparison.compare((T) value, (T) bound);
  }

  /** The element type of a list type, or this type itself. */
  ConfigType<?> scalarType() {
    return element == null ? this : element;
  }

  @Override
  public String toString() {
    return name;
  }

  static List<String> splitList(String text) {
    String trimmed = text.strip();
    if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
      trimmed = trimmed.substring(1, trimmed.length() - 1).strip();
    }
    if (trimmed.isEmpty()) {
      return List.of();
    }
    List<String> parts = new ArrayList<>();
    for (String part : trimmed.split(",", -1)) {
      parts.add(part.strip());
    }
    return parts;
  }

  private static String enumWord(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static int parseInt(String text) {
    long v = parseLong(text);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "'" + text + "' is too large for a 32-bit integer (at most " + Integer.MAX_VALUE + ")");
    }
    return (int) v;
  }

  private static long parseLong(String text) {
    String s = text.strip().replace("_", "");
    try {
      if (s.startsWith("0x") || s.startsWith("0X")) {
        return Long.parseUnsignedLong(s.substring(2), 16);
      }
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a whole number");
    }
  }

  private static boolean parseBool(String text) {
    switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on":
        return true;
      case "false", "no", "off":
        return false;
      default:
        throw new IllegalArgumentException("'" + text + "' is not true or false");
    }
  }

  private static long parseDuration(String text) {
    Units.Time t = Units.parseTime(text);
    if (t.inCycles()) {
      throw new IllegalArgumentException(
          "'" + text + "' is in cycles, but this key has no clock: give a time such as 10us");
    }
    double ps = t.value();
    if (ps != Math.rint(ps) || Math.abs(ps) > 9.0e18) {
      throw new IllegalArgumentException("'" + text + "' is not a whole number of picoseconds");
    }
    return (long) ps;
  }

  /**
   * A latency or a period: a negative one would schedule events in the past, so it is refused even
   * for keys that declare no range (in the words the range check uses for a bound of 0).
   */
  private static Units.Time parseTime(String text) {
    Units.Time t = Units.parseTime(text);
    if (t.value() < 0) {
      throw new IllegalArgumentException("'" + text + "' is below 0");
    }
    return t;
  }

  private static Integer compareTimes(Units.Time a, Units.Time b) {
    if (a.inCycles() == b.inCycles() || b.value() == 0) {
      return compareNumbers(a.value(), b.value());
    }
    return null;
  }
}
