package org.dsasim.mem.token;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Units;

/**
 * A policy as a user names it: {@code NAME[:KEY=VALUE]...}, e.g. {@code token-lru} or {@code
 * window:hit-ratio=0.5:size=64MiB}. Use {@link TokenCachePolicies#parse} to read one with its name
 * and keys checked against the registry.
 *
 * @param name registered policy name
 * @param params parameters in the order given
 */
public record PolicySpec(String name, Map<String, String> params) {
  public PolicySpec {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** Splits {@code text} into name and parameters; the syntax only (names are not checked). */
  static PolicySpec split(String text) {
    String[] parts = text.trim().split(":", -1);
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq <= 0 || eq == parts[i].length() - 1) {
        throw new UserInputException(
            "policy '"
                + text
                + "': '"
                + parts[i]
                + "' is not KEY=VALUE (expected NAME[:KEY=VALUE]...)");
      }
      String key = parts[i].substring(0, eq).trim();
      if (params.put(key, parts[i].substring(eq + 1).trim()) != null) {
        throw new UserInputException("policy '" + text + "': parameter '" + key + "' given twice");
      }
    }
    return new PolicySpec(parts[0].trim(), params);
  }

  /** Bytes (a plain integer or a size such as {@code 64MiB}) of parameter {@code key}. */
  public long bytes(String key, long otherwise) {
    String v = params.get(key);
    if (v == null) {
      return otherwise;
    }
    try {
      long bytes = Units.parseBytes(v);
      if (bytes < 0) {
        throw new IllegalArgumentException("'" + v + "' is negative");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw bad(key, e.getMessage());
    }
  }

  /** A number of parameter {@code key}. */
  public double number(String key, double otherwise) {
    String v = params.get(key);
    if (v == null) {
      return otherwise;
    }
    try {
      return Units.parseNumber(v);
    } catch (IllegalArgumentException e) {
      throw bad(key, e.getMessage());
    }
  }

  /** A whole number of parameter {@code key}, at least {@code min}. */
  public long integer(String key, long otherwise, long min) {
    String v = params.get(key);
    if (v == null) {
      return otherwise;
    }
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw bad(key, "'" + v + "' is not a whole number");
    }
    if (n < min) {
      throw bad(key, "'" + v + "' is below " + min);
    }
    return n;
  }

  /** A user error in parameter {@code key} of this policy. */
  public UserInputException bad(String key, String what) {
    return new UserInputException("policy '" + this + "', parameter " + key + ": " + what);
  }

  /** The text form, {@code NAME[:KEY=VALUE]...}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(name);
    params.forEach((k, v) -> b.append(':').append(k).append('=').append(v));
    return b.toString();
  }
}
