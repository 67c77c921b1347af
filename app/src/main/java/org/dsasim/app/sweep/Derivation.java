package org.dsasim.app.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.dsasim.core.config.Units;

/**
 * Evaluates a {@code derive:} expression of a sweep spec: operands joined by {@code *} and
 * {@code /}, left to right, e.g. {@code fastmem.llc.capacity * reservation_ratio} or
 * {@code fastmem.hbm.load_to_use / latency_ratio}. An operand is a number, a size ({@code 60MiB}),
 * a time ({@code 350ns}) or a name whose value is one of those. The result keeps the one
 * dimension among the operands (a size divided by a size is a plain ratio) and is written in the
 * form the configuration parses: whole bytes, picoseconds, or a number.
 */
final class Derivation {
  private Derivation() {}

  private enum Dim { NUMBER, BYTES, PICOSECONDS }

  private record Quantity(double value, Dim dim) {}

  /**
   * @param lookup the text value of a name, or null when the name is unknown
   * @throws IllegalArgumentException saying what is wrong (the caller adds the spec and key)
   */
  static String evaluate(String expression, Function<String, String> lookup) {
    List<String> tokens = tokens(expression);
    Quantity acc = operand(tokens.get(0), lookup);
    for (int i = 1; i < tokens.size(); i += 2) {
      Quantity q = operand(tokens.get(i + 1), lookup);
      switch (tokens.get(i)) {
        case "*" -> {
          if (acc.dim() != Dim.NUMBER && q.dim() != Dim.NUMBER) {
            throw new IllegalArgumentException("'" + expression + "' multiplies two quantities"
                + " with units; at most one operand may have a unit");
          }
          acc = new Quantity(acc.value() * q.value(), acc.dim() == Dim.NUMBER ? q.dim() : acc.dim());
        }
        case "/" -> {
          if (q.dim() != Dim.NUMBER && q.dim() != acc.dim()) {
            throw new IllegalArgumentException("'" + expression + "' divides by a quantity with"
                + " a unit that the dividend lacks");
          }
          if (q.value() == 0) {
            throw new IllegalArgumentException("'" + expression + "' divides by zero");
          }
          acc = new Quantity(acc.value() / q.value(), q.dim() == acc.dim() ? Dim.NUMBER : acc.dim());
        }
        default -> throw new IllegalArgumentException(
            "'" + expression + "' must be operands joined by * or /");
      }
    }
    return switch (acc.dim()) {
      case BYTES -> Math.round(Math.floor(acc.value())) + "B";
      case PICOSECONDS -> number(acc.value()) + "ps";
      case NUMBER -> number(acc.value());
    };
  }

  /**
   * The operands of an expression, checking its shape (operand, then operator and operand pairs).
   */
  static List<String> operands(String expression) {
    List<String> tokens = tokens(expression);
    List<String> operands = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i += 2) {
      operands.add(tokens.get(i));
    }
    return operands;
  }

  /** Whether an operand is a name (of a variable or a configuration key) rather than a value. */
  static boolean isName(String operand) {
    return Character.isLetter(operand.charAt(0)) || operand.charAt(0) == '_';
  }

  /** Operands and the operators between them, alternating, stripped of blanks. */
  private static List<String> tokens(String expression) {
    List<String> tokens = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= expression.length(); i++) {
      char c = i < expression.length() ? expression.charAt(i) : '*';
      if (c == '*' || c == '/') {
        String operand = expression.substring(start, i).strip();
        if (operand.isEmpty() || operand.contains(" ")) {
          throw new IllegalArgumentException("'" + expression + "' must be operands (numbers,"
              + " sizes, times, names) joined by * or /");
        }
        tokens.add(operand);
        if (i < expression.length()) {
          tokens.add(String.valueOf(c));
        }
        start = i + 1;
      }
    }
    return tokens;
  }

  private static Quantity operand(String token, Function<String, String> lookup) {
    String text = token;
    if (isName(token)) {
      text = lookup.apply(token);
      if (text == null) {
        throw new IllegalArgumentException("'" + token + "' is neither a configuration key nor"
            + " an axis of the spec");
      }
    }
    try {
      return new Quantity(Units.parseNumber(text), Dim.NUMBER);
    } catch (IllegalArgumentException notNumber) {
      try {
        return new Quantity(Units.parseBytes(text), Dim.BYTES);
      } catch (IllegalArgumentException notSize) {
        try {
          Units.Time t = Units.parseTime(text);
          if (!t.inCycles()) {
            return new Quantity(t.value(), Dim.PICOSECONDS);
          }
        } catch (IllegalArgumentException notTime) {
          // reported below with the operand's name
        }
      }
    }
    throw new IllegalArgumentException("'" + token + "'" + (text.equals(token) ? "" : " = '"
        + text + "'") + " is not a number, a size (60MiB) or a time (350ns)");
  }

  /** Integers without a fraction (config ints parse them), others in full precision. */
  private static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }
}
