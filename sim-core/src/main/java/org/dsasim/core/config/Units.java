package org.dsasim.core.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses quantities with units as users write them: sizes ({@code 60MiB}, {@code 656B}),
 * frequencies ({@code 1.98GHz}), bandwidths ({@code 4.8TB/s}) and times ({@code 350ns}, {@code
 * 12cycles}).
 *
 * <p>Decimal prefixes (k, M, G, T) are powers of 1000 and binary ones (Ki, Mi, Gi, Ti) powers of
 * 1024, as in IEC 80000-13; {@code 4.8TB/s} is 4.8e12 bytes per second. Errors are {@link
 * IllegalArgumentException}s whose message says what was expected; the configuration layer adds the
 * key and the place the value came from.
 */
public final class Units {
  private Units() {}

  /** Picoseconds per second: the simulator's global time base is one tick = 1 ps. */
  public static final long PS_PER_S = 1_000_000_000_000L;

  private static final Pattern QUANTITY =
      Pattern.compile(
          "^\\s*([+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)\\s*([A-Za-z/]*)\\s*$");

  /** A time value: either an absolute time in picoseconds or a count of cycles of some clock. */
  public record Time(double value, boolean inCycles) {
    /** Picoseconds; cycles are converted with {@code clockHz}. */
    public double picoseconds(double clockHz) {
      return inCycles ? value * PS_PER_S / clockHz : value;
    }

    /**
     * In the largest unit that shows it exactly: {@code 350ns}, {@code 1.1us}, {@code 12cycles}.
     */
    @Override
    public String toString() {
      return inCycles ? format(value) + "cycles" : formatScaled(value, TIME_UNITS, TIME_PS, "ps");
    }
  }

  /** Bytes from {@code 656B}, {@code 60MiB}, {@code 1.5GB} or a plain integer (bytes). */
  public static long parseBytes(String text) {
    Matcher m = match(text, "a size such as 656B, 64KiB, 60MiB or 1.5GB");
    double v = number(m);
    String unit = m.group(2);
    double mult =
        switch (unit) {
          case "", "B" -> 1;
          case "kB", "KB" -> 1e3;
          case "MB" -> 1e6;
          case "GB" -> 1e9;
          case "TB" -> 1e12;
          case "KiB" -> 1L << 10;
          case "MiB" -> 1L << 20;
          case "GiB" -> 1L << 30;
          case "TiB" -> 1L << 40;
          default -> throw bad(text, "a size unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)");
        };
    double bytes = v * mult;
    if (Math.abs(bytes) > 9.0e18) {
      throw bad(text, "a size below 8EiB");
    }
    if (bytes != Math.rint(bytes)) {
      throw bad(text, "a whole number of bytes");
    }
    return (long) bytes;
  }

  /** Hertz from {@code 1.98GHz}, {@code 3201MHz}, {@code 500kHz} or {@code 1e9Hz}. */
  public static double parseFrequencyHz(String text) {
    Matcher m = match(text, "a frequency such as 1.98GHz or 3201MHz");
    double mult =
        switch (m.group(2)) {
          case "Hz" -> 1;
          case "kHz", "KHz" -> 1e3;
          case "MHz" -> 1e6;
          case "GHz" -> 1e9;
          default -> throw bad(text, "a frequency unit (Hz, kHz, MHz, GHz)");
        };
    return finite(text, number(m) * mult);
  }

  /** Bytes per second from {@code 4.8TB/s}, {@code 800GB/s}, {@code 25GiB/s}. */
  public static double parseBandwidth(String text) {
    Matcher m = match(text, "a bandwidth such as 4.8TB/s or 819GB/s");
    String unit = m.group(2);
    if (!unit.endsWith("/s")) {
      throw bad(text, "a bandwidth unit ending in /s (B/s, KB/s, MB/s, GB/s, TB/s, GiB/s)");
    }
    double perByte;
    try {
      perByte = parseBytes("1" + unit.substring(0, unit.length() - 2));
    } catch (IllegalArgumentException e) {
      throw bad(text, "a bandwidth unit (B/s, KB/s, MB/s, GB/s, TB/s, KiB/s, MiB/s, GiB/s)");
    }
    return finite(text, number(m) * perByte);
  }

  /** A time from {@code 350ns}, {@code 1.1us}, {@code 625ps}, {@code 3.9us} or {@code 12cycles}. */
  public static Time parseTime(String text) {
    Matcher m = match(text, "a time such as 350ns, 1.1us or 12cycles");
    double v = number(m);
    Time t = switch (m.group(2)) {
      case "ps" -> new Time(v, false);
      case "ns" -> new Time(v * 1e3, false);
      case "us" -> new Time(v * 1e6, false);
      case "ms" -> new Time(v * 1e9, false);
      case "s" -> new Time(v * 1e12, false);
      case "cycle", "cycles", "cyc", "ck", "tCK" -> new Time(v, true);
      default -> throw bad(text, "a time unit (ps, ns, us, ms, s, cycles)");
    };
    finite(text, t.value());
    return t;
  }

  /** A plain number, rejecting units. */
  public static double parseNumber(String text) {
    Matcher m = match(text, "a number");
    if (!m.group(2).isEmpty()) {
      throw bad(text, "a plain number without a unit");
    }
    return finite(text, number(m));
  }

  /** Short human form of a frequency: 1.98e9 -> "1.98GHz". */
  public static String formatFrequency(double hz) {
    return formatScaled(hz, FREQUENCY_UNITS, DECIMAL, "Hz");
  }

  /** Short human form of a bandwidth: 4.8e12 -> "4.8TB/s". */
  public static String formatBandwidth(double bytesPerSecond) {
    return formatScaled(bytesPerSecond, BANDWIDTH_UNITS, DECIMAL, "B/s");
  }

  /** Short human form of a byte count: 62914560 -> "60MiB", 656 -> "656B". */
  public static String formatBytes(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    double v = bytes;
    while (u < units.length - 1 && Math.abs(v) >= 1024 && v % 1024 == 0) {
      v /= 1024;
      u++;
    }
    return format(v) + units[u];
  }

  private static final String[] FREQUENCY_UNITS = {"THz", "GHz", "MHz", "kHz"};
  private static final String[] BANDWIDTH_UNITS = {"TB/s", "GB/s", "MB/s", "kB/s"};
  private static final double[] DECIMAL = {1e12, 1e9, 1e6, 1e3};
  private static final String[] TIME_UNITS = {"s", "ms", "us", "ns"};
  private static final double[] TIME_PS = {1e12, 1e9, 1e6, 1e3};

  /**
   * {@code v} in the largest of {@code units} (scale factors {@code scales}) whose short form
   * parses back to exactly {@code v}, else in {@code baseUnit} with all the digits it needs.
   */
  private static String formatScaled(double v, String[] units, double[] scales, String baseUnit) {
    for (int i = 0; i < units.length; i++) {
      if (Math.abs(v) >= scales[i]) {
        String shortForm = format(v / scales[i]);
        if (Double.parseDouble(shortForm) * scales[i] == v) {
          return shortForm + units[i];
        }
      }
    }
    return exact(v) + baseUnit;
  }

  /** The shortest decimal text that reads back as exactly {@code v}. */
  private static String exact(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    String g = String.format(Locale.ROOT, "%.6g", v);
    int e = g.indexOf('e');
    String mantissa = e < 0 ? g : g.substring(0, e);
    // only the fraction's trailing zeros go: those of 100000 or of an exponent (e+30) are digits
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("\\.?0+$", "");
    }
    return e < 0 ? mantissa : mantissa + g.substring(e);
  }

  private static Matcher match(String text, String expected) {
    if (text == null) {
      throw new IllegalArgumentException("missing value, expected " + expected);
    }
    Matcher m = QUANTITY.matcher(text);
    if (!m.matches()) {
      throw bad(text, expected);
    }
    return m;
  }

  private static double number(Matcher m) {
    return Double.parseDouble(m.group(1));
  }

  /**
   * {@code v}, unless it overflowed to infinity: {@code 1e400}, or {@code 1e300GHz} in hertz. The
   * pattern admits no NaN or Infinity, but its digits can still exceed a double, and an infinite
   * clock or latency passes every lower bound.
   */
  private static double finite(String text, double v) {
    if (Double.isInfinite(v)) {
      throw bad(text, "a finite number (it overflows a double, whose largest is about 1.8e308"
          + " in base units)");
    }
    return v;
  }

  private static IllegalArgumentException bad(String text, String expected) {
    return new IllegalArgumentException("'" + text + "' is not " + expected);
  }
}
