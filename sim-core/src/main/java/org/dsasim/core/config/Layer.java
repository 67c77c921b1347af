package org.dsasim.core.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.configuration2.MapConfiguration;

/**
 * One source of settings (a file, the command line, the defaults): flat dotted keys mapped to the
 * text as written ({@code String}, or {@code List<String>} for a YAML sequence), each with its
 * origin. It becomes one {@link MapConfiguration} of the layered configuration.
 */
final class Layer {
  private final Map<String, Object> values = new LinkedHashMap<>();
  private final Map<String, Origin> origins = new HashMap<>();

  /** Sets {@code key}; a later value replaces an earlier one (repeated {@code --set}). */
  void put(String key, Object text, Origin origin) {
    if (!(text instanceof String) && !(text instanceof List<?>)) {
      throw new IllegalArgumentException("a layer holds text or lists of text");
    }
    values.remove(key);
    values.put(key, text);
    origins.put(key, origin);
  }

  boolean contains(String key) {
    return values.containsKey(key);
  }

  /** The text as written: a {@code String} or a {@code List<String>}. */
  Object raw(String key) {
    return values.get(key);
  }

  Origin origin(String key) {
    return origins.get(key);
  }

  /** Keys in the order they were written. */
  Iterable<String> keys() {
    return values.keySet();
  }

  MapConfiguration asConfiguration() {
    return new MapConfiguration(new HashMap<>(values));
  }
}
