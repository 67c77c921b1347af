package org.dsasim.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsasim.core.UserInputException;

/**
 * A fully resolved, validated configuration: every declared key bound to a typed value (or unset,
 * for keys without a default), with the place each value came from. Immutable.
 *
 * <p>Read values through the declared key objects: {@code long capacity =
 * cfg.get(LlcKeys.CAPACITY);}. Built by {@link ConfigLoader}.
 */
public final class Config {
  /**
   * One key of the resolved configuration.
   *
   * @param key the declaration
   * @param value the typed value, or null when the key has no default and nothing set it
   * @param text the value in units as {@code config show} prints it ({@code 60MiB}), or "" if unset
   * @param origin where the value came from
   */
  public record Entry(ConfigKey<?> key, Object value, String text, Origin origin) {
    /** Whether the key has a value. */
    public boolean hasValue() {
      return value != null;
    }
  }

  private final ConfigSchema schema;
  private final Map<String, Entry> entries;

  Config(ConfigSchema schema, Map<String, Entry> entries) {
    this.schema = schema;
    this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
  }

  /**
   * The value of {@code key}.
   *
   * @throws IllegalStateException if the key has no default and nothing set it (use {@link #find})
   * @throws IllegalArgumentException if the key is not part of this configuration's schema
   */
  public <T> T get(ConfigKey<T> key) {
    return find(key)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "configuration key " + key.name() + " has no value; read it with find()"));
  }

  /** The value of {@code key}, or empty when it has no default and nothing set it. */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> find(ConfigKey<T> key) {
    return Optional.ofNullable((T) entry(key).value());
  }

  /** Whether a preset, a user file or an override set {@code key} (rather than its default). */
  public boolean isSet(ConfigKey<?> key) {
    Origin.Kind kind = entry(key).origin().kind();
    return kind != Origin.Kind.DEFAULT;
  }

  /** Where the value of {@code key} came from. */
  public Origin origin(ConfigKey<?> key) {
    return entry(key).origin();
  }

  /** Every declared key, sorted by name. */
  public List<Entry> entries() {
    return new ArrayList<>(entries.values());
  }

  /** The keys that have a value, with the value in units ({@code llc.capacity -> 60MiB}). */
  public Map<String, String> values() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Entry e : entries.values()) {
      if (e.hasValue()) {
        out.put(e.key().name(), e.text());
      }
    }
    return out;
  }

  public ConfigSchema schema() {
    return schema;
  }

  /**
   * The exception a {@link ConfigValidator} throws for an inconsistent combination: the problem,
   * then each key with its value and where it was set.
   */
  public UserInputException inconsistent(String problem, ConfigKey<?>... keys) {
    StringBuilder sb = new StringBuilder("inconsistent configuration: ").append(problem);
    String sep = " (";
    for (ConfigKey<?> k : keys) {
      Entry e = entry(k);
      sb.append(sep)
          .append(k.name())
          .append(" = ")
          .append(e.hasValue() ? e.text() : "unset")
          .append(" from ")
          .append(e.origin().describe());
      sep = "; ";
    }
    if (keys.length > 0) {
      sb.append(')');
    }
    return new UserInputException(sb.toString());
  }

  private Entry entry(ConfigKey<?> key) {
    Entry e = entries.get(key.name());
    if (e == null || e.key() != key) {
      throw new IllegalArgumentException(
          "key " + key.name() + " is not declared in this configuration's schema");
    }
    return e;
  }

  @Override
  public String toString() {
    return values().toString();
  }
}
