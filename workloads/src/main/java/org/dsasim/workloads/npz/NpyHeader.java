package org.dsasim.workloads.npz;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsasim.core.UserInputException;

/**
 * The header of a {@code .npy} array: magic {@code \x93NUMPY}, version, header length, then a
 * Python dict literal such as {@code {'descr': '<i2', 'fortran_order': False, 'shape': (512, 8,
 * 256), }} padded with spaces.
 *
 * @param dtype element type
 * @param fortranOrder whether elements are stored column-major
 * @param shape dimensions; empty for a scalar
 * @param headerBytes bytes from the start of the {@code .npy} to the first element
 */
public record NpyHeader(NpyDtype dtype, boolean fortranOrder, long[] shape, long headerBytes) {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int MAX_HEADER_TEXT = 1 << 20;

  /** Number of elements (product of the shape; 1 for a scalar). */
  public long elements() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  public int rank() {
    return shape.length;
  }

  /** The shape as NumPy prints it, e.g. {@code (512, 8, 256)} or {@code (5,)}. */
  public String shapeText() {
    return shapeText(shape);
  }

  static String shapeText(long[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(')').toString();
  }

  /**
   * Reads the header from the start of a {@code .npy} stream, leaving the stream at the first
   * element.
   *
   * @param where the file and array name for error messages, e.g. {@code x.npz: array 'seq0'}
   */
  static NpyHeader read(InputStream in, String where) throws IOException {
    byte[] pre = in.readNBytes(10);
    if (pre.length < 10 || !Arrays.equals(pre, 0, 6, MAGIC, 0, 6)) {
      throw new UserInputException(where + ": not a .npy array (expected the magic bytes"
          + " 93 4E 55 4D 50 59 '\\x93NUMPY' at its start)");
    }
    int major = pre[6] & 0xFF;
    long textLen;
    int prefix;
    if (major == 1) {
      textLen = (pre[8] & 0xFF) | (pre[9] & 0xFF) << 8;
      prefix = 10;
    } else if (major == 2 || major == 3) {
      byte[] more = in.readNBytes(2);
      if (more.length < 2) {
        throw new UserInputException(where + ": .npy header truncated");
      }
      textLen = (pre[8] & 0xFFL) | (pre[9] & 0xFFL) << 8 | (more[0] & 0xFFL) << 16
          | (more[1] & 0xFFL) << 24;
      prefix = 12;
    } else {
      throw new UserInputException(where + ": unsupported .npy format version " + major + "."
          + (pre[7] & 0xFF) + " (expected 1.0, 2.0 or 3.0)");
    }
    if (textLen > MAX_HEADER_TEXT) {
      throw new UserInputException(where + ": .npy header of " + textLen + " bytes exceeds "
          + MAX_HEADER_TEXT + "; the array is corrupt");
    }
    byte[] textBytes = in.readNBytes((int) textLen);
    if (textBytes.length < textLen) {
      throw new UserInputException(where + ": .npy header truncated");
    }
    String text = new String(textBytes, major == 3 ? StandardCharsets.UTF_8
        : StandardCharsets.ISO_8859_1);
    Object parsed;
    try {
      parsed = new PyLiteral(text).parseAll();
    } catch (IllegalArgumentException e) {
      throw new UserInputException(where + ": malformed .npy header " + quote(text) + ": "
          + e.getMessage());
    }
    if (!(parsed instanceof Map<?, ?> dict)) {
      throw new UserInputException(where + ": .npy header is not a dict: " + quote(text));
    }
    Object descr = dict.get("descr");
    Object fortran = dict.get("fortran_order");
    Object shape = dict.get("shape");
    if (descr == null || fortran == null || shape == null) {
      throw new UserInputException(where + ": .npy header lacks 'descr', 'fortran_order' or"
          + " 'shape': " + quote(text));
    }
    if (!(descr instanceof String descrText)) {
      throw new UserInputException(where + ": structured dtype " + descr + " is not supported;"
          + " expected a plain dtype such as '<i4'");
    }
    NpyDtype dtype = NpyDtype.parse(descrText);
    if (dtype == null) {
      throw new UserInputException(where + ": unsupported dtype '" + descrText + "'"
          + (descrText.endsWith("O") ? " (object arrays are pickled Python objects; store"
              + " strings as np.str_ and numbers as integer arrays)" : "")
          + "; expected an integer, float, bool, unicode or bytes dtype");
    }
    if (!(fortran instanceof Boolean fortranOrder) || !(shape instanceof List<?> dims)) {
      throw new UserInputException(where + ": .npy header has a non-boolean 'fortran_order' or"
          + " a non-tuple 'shape': " + quote(text));
    }
    long[] shapeArr = new long[dims.size()];
    for (int i = 0; i < shapeArr.length; i++) {
      if (!(dims.get(i) instanceof Long d) || d < 0) {
        throw new UserInputException(where + ": bad dimension " + dims.get(i) + " in shape "
            + quote(text));
      }
      shapeArr[i] = d;
    }
    NpyHeader h = new NpyHeader(dtype, fortranOrder, shapeArr, prefix + textLen);
    try {
      Math.multiplyExact(h.elements(), (long) dtype.itemSize());
    } catch (ArithmeticException e) {
      throw new UserInputException(where + ": shape " + h.shapeText() + " is too large");
    }
    return h;
  }

  private static String quote(String text) {
    String t = text.strip();
    return "\"" + (t.length() > 200 ? t.substring(0, 200) + "..." : t) + "\"";
  }

  /**
   * Parser for the Python literals NumPy writes in {@code .npy} headers: dicts, tuples, lists,
   * strings, integers, True, False and None.
   */
  static final class PyLiteral {
    private final String s;
    private int i;

    PyLiteral(String s) {
      this.s = s;
    }

    Object parseAll() {
      Object v = value();
      skipSpace();
      if (i != s.length()) {
        throw new IllegalArgumentException("unexpected text at character " + i);
      }
      return v;
    }

    private void skipSpace() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private char peek() {
      skipSpace();
      if (i >= s.length()) {
        throw new IllegalArgumentException("unexpected end");
      }
      return s.charAt(i);
    }

    private Object value() {
      char c = peek();
      switch (c) {
        case '{':
          return dict();
        case '(':
          return sequence(')');
        case '[':
          return sequence(']');
        case '\'':
        case '"':
          return string(c);
        default:
          if (c == '-' || Character.isDigit(c)) {
            return integer();
          }
          return word();
      }
    }

    private Map<String, Object> dict() {
      i++;
      Map<String, Object> m = new LinkedHashMap<>();
      while (peek() != '}') {
        Object key = value();
        if (!(key instanceof String k)) {
          throw new IllegalArgumentException("dict key is not a string at character " + i);
        }
        expect(':');
        m.put(k, value());
        if (peek() == ',') {
          i++;
        } else if (peek() != '}') {
          throw new IllegalArgumentException("expected ',' or '}' at character " + i);
        }
      }
      i++;
      return m;
    }

    private List<Object> sequence(char close) {
      i++;
      List<Object> items = new ArrayList<>();
      while (peek() != close) {
        items.add(value());
        if (peek() == ',') {
          i++;
        } else if (peek() != close) {
          throw new IllegalArgumentException("expected ',' or '" + close + "' at character " + i);
        }
      }
      i++;
      return items;
    }

    private void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("expected '" + c + "' at character " + i);
      }
      i++;
    }

    private String string(char quote) {
      StringBuilder sb = new StringBuilder();
      i++;
      while (i < s.length() && s.charAt(i) != quote) {
        char c = s.charAt(i++);
        if (c == '\\' && i < s.length()) {
          c = s.charAt(i++);
        }
        sb.append(c);
      }
      if (i >= s.length()) {
        throw new IllegalArgumentException("unterminated string");
      }
      i++;
      return sb.toString();
    }

    private Long integer() {
      int start = i;
      if (s.charAt(i) == '-') {
        i++;
      }
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      String digits = s.substring(start, i);
      if (i < s.length() && (s.charAt(i) == 'L' || s.charAt(i) == 'l')) {
        i++; // Python 2 long suffix, as in old files: (3L, 4L)
      }
      try {
        return Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad integer '" + digits + "'");
      }
    }

    private Object word() {
      int start = i;
      while (i < s.length() && Character.isLetter(s.charAt(i))) {
        i++;
      }
      String w = s.substring(start, i);
      return switch (w) {
        case "True" -> Boolean.TRUE;
        case "False" -> Boolean.FALSE;
        case "None" -> "None";
        default -> throw new IllegalArgumentException("unexpected '" + (w.isEmpty()
            ? String.valueOf(s.charAt(start)) : w) + "' at character " + start);
      };
    }
  }
}
