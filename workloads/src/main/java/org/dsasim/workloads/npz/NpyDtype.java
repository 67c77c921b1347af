package org.dsasim.workloads.npz;

import java.nio.ByteOrder;

/**
 * A NumPy scalar dtype as written in a {@code .npy} header's {@code descr}, e.g. {@code <i2},
 * {@code >u4}, {@code |i1}, {@code <U7} or {@code |S5}.
 *
 * @param descr the text as found in the header
 * @param kind NumPy's kind character: {@code i} signed int, {@code u} unsigned int, {@code f}
 *     float, {@code b} bool, {@code U} unicode (UTF-32 code units), {@code S} bytes
 * @param itemSize bytes per element
 * @param order byte order of multi-byte elements
 */
public record NpyDtype(String descr, char kind, int itemSize, ByteOrder order) {

  /** Whether elements are integers this reader converts to {@code int}. */
  public boolean isInteger() {
    return kind == 'i' || kind == 'u';
  }

  /**
   * Parses a simple (non-structured) dtype string.
   *
   * @return null if {@code descr} is not a dtype this reader understands
   */
  static NpyDtype parse(String descr) {
    if (descr.length() < 3) {
      return null;
    }
    char orderChar = descr.charAt(0);
    ByteOrder order;
    switch (orderChar) {
      case '<', '|', '=' -> order = ByteOrder.LITTLE_ENDIAN; // '=' (native) is little-endian on
      // every machine NumPy ships for; NumPy itself always writes '<' or '>'.
      case '>' -> order = ByteOrder.BIG_ENDIAN;
      default -> {
        return null;
      }
    }
    char kind = descr.charAt(1);
    int count;
    try {
      count = Integer.parseInt(descr.substring(2));
    } catch (NumberFormatException e) {
      return null;
    }
    int size;
    switch (kind) {
      case 'i', 'u' -> {
        if (count != 1 && count != 2 && count != 4 && count != 8) {
          return null;
        }
        size = count;
      }
      case 'f' -> {
        if (count != 4 && count != 8) {
          return null;
        }
        size = count;
      }
      case 'b' -> {
        if (count != 1) {
          return null;
        }
        size = 1;
      }
      case 'U' -> {
        if (count < 0 || count > (1 << 20)) {
          return null;
        }
        size = 4 * count;
      }
      case 'S' -> {
        if (count < 0 || count > (1 << 22)) {
          return null;
        }
        size = count;
      }
      default -> {
        return null;
      }
    }
    return new NpyDtype(descr, kind, size, order);
  }
}
