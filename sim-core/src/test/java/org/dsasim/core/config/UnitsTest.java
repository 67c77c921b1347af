package org.dsasim.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {
  @Test
  void sizesUseDecimalAndBinaryPrefixes() {
    assertEquals(656, Units.parseBytes("656B"));
    assertEquals(656, Units.parseBytes("656"));
    assertEquals(60L * 1024 * 1024, Units.parseBytes("60MiB"));
    assertEquals(60L * 1024 * 1024, Units.parseBytes(" 60 MiB "));
    assertEquals(1_500_000_000L, Units.parseBytes("1.5GB"));
    assertEquals(64_000, Units.parseBytes("64kB"));
    assertEquals(64_000, Units.parseBytes("64KB"));
    assertEquals(1536, Units.parseBytes("1.5KiB"));
    assertEquals(1L << 40, Units.parseBytes("1TiB"));
    assertEquals(1000, Units.parseBytes("1e3"));
    assertEquals(-1024, Units.parseBytes("-1KiB"), "the sign is kept; ranges reject negatives");
  }

  @ParameterizedTest
  @ValueSource(strings = {"60XB", "60mib", "60 M iB", "MiB", "", "1.2.3MB", "60MiB/s", "0x10"})
  void malformedSizesSayWhatWasExpected(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Units.parseBytes(text));
    assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("size"), e.getMessage());
  }

  @Test
  void sizesMustBeWholeBytesAndFitInALong() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Units.parseBytes("0.5B"))
            .getMessage()
            .contains("whole number of bytes"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Units.parseBytes("1e30B"))
            .getMessage()
            .contains("below 8EiB"));
    assertThrows(IllegalArgumentException.class, () -> Units.parseBytes(null));
  }

  @Test
  void frequencies() {
    assertEquals(1.98e9, Units.parseFrequencyHz("1.98GHz"));
    assertEquals(3.201e9, Units.parseFrequencyHz("3201MHz"));
    assertEquals(5e5, Units.parseFrequencyHz("500kHz"));
    assertEquals(1e9, Units.parseFrequencyHz("1e9Hz"));
    assertThrows(IllegalArgumentException.class, () -> Units.parseFrequencyHz("1.98"));
    assertThrows(IllegalArgumentException.class, () -> Units.parseFrequencyHz("1.98GB"));
  }

  @Test
  void bandwidths() {
    assertEquals(4.8e12, Units.parseBandwidth("4.8TB/s"));
    assertEquals(819e9, Units.parseBandwidth("819GB/s"));
    assertEquals(25.0 * (1L << 30), Units.parseBandwidth("25GiB/s"));
    assertEquals(100, Units.parseBandwidth("100B/s"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Units.parseBandwidth("4.8TB"))
            .getMessage()
            .contains("/s"));
    assertThrows(IllegalArgumentException.class, () -> Units.parseBandwidth("4.8Tb/s"));
  }

  @Test
  void timesAreAbsoluteOrInCycles() {
    assertEquals(new Units.Time(350_000, false), Units.parseTime("350ns"));
    assertEquals(625, Units.parseTime("625ps").value());
    assertEquals(1.1e6, Units.parseTime("1.1us").value(), 1e-6);
    assertEquals(2e9, Units.parseTime("2ms").value());
    assertEquals(1e12, Units.parseTime("1s").value());
    for (String cycles : new String[] {"12cycles", "12cycle", "12cyc", "12ck", "12tCK"}) {
      Units.Time t = Units.parseTime(cycles);
      assertTrue(t.inCycles(), cycles);
      assertEquals(12, t.value());
    }
    // 12 cycles of a 2 GHz clock are 6 ns.
    assertEquals(6000, Units.parseTime("12cycles").picoseconds(2e9), 1e-9);
    assertEquals(350_000, Units.parseTime("350ns").picoseconds(2e9));
    assertThrows(IllegalArgumentException.class, () -> Units.parseTime("350"));
    assertThrows(IllegalArgumentException.class, () -> Units.parseTime("350 nanoseconds"));
  }

  @Test
  void plainNumbersRejectUnits() {
    assertEquals(0.25, Units.parseNumber("0.25"));
    assertEquals(-3e-3, Units.parseNumber("-3e-3"));
    assertEquals(0.5, Units.parseNumber(".5"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Units.parseNumber("0.25MiB"))
            .getMessage()
            .contains("without a unit"));
    assertThrows(IllegalArgumentException.class, () -> Units.parseNumber("NaN"));
    assertThrows(IllegalArgumentException.class, () -> Units.parseNumber("Infinity"));
  }

  /** Digits beyond a double's range parse to infinity, which every lower bound lets through. */
  @ParameterizedTest
  @ValueSource(strings = {"1e400", "1e300GHz", "1e400TB/s", "1e400cycles", "1e306ns"})
  void quantitiesThatOverflowADoubleAreRefused(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
      if (text.endsWith("Hz")) {
        Units.parseFrequencyHz(text);
      } else if (text.endsWith("/s")) {
        Units.parseBandwidth(text);
      } else if (text.endsWith("s")) {
        Units.parseTime(text);
      } else {
        Units.parseNumber(text);
      }
    });
    assertEquals("'" + text + "' is not a finite number (it overflows a double, whose largest is"
        + " about 1.8e308 in base units)", e.getMessage());
  }

  @Test
  void shortFormsKeepTheDigitsOfLargeNumbersAndExponents() {
    assertEquals("1e+30cycles", Units.parseTime("1e30cycles").toString());
    assertEquals("1.5e+20", Units.format(1.5e20));
    assertEquals("1e-320", Units.format(1e-320));
    assertEquals("100000", Units.format(100000.2));
    assertEquals("0.25", Units.format(0.25));
  }

  @Test
  void formattingPicksTheLargestExactUnit() {
    assertEquals("60MiB", Units.formatBytes(60L << 20));
    assertEquals("656B", Units.formatBytes(656));
    assertEquals("1536B", Units.formatBytes(1536), "not a whole number of KiB");
    assertEquals("1.98GHz", Units.formatFrequency(1.98e9));
    assertEquals("3.2GHz", Units.formatFrequency(3.2e9));
    assertEquals("500kHz", Units.formatFrequency(5e5));
    assertEquals("12Hz", Units.formatFrequency(12));
    assertEquals("4.8TB/s", Units.formatBandwidth(4.8e12));
    assertEquals("819GB/s", Units.formatBandwidth(819e9));
    assertEquals("350ns", Units.parseTime("350ns").toString());
    assertEquals("1.1us", Units.parseTime("1.1us").toString());
    assertEquals("625ps", Units.parseTime("625ps").toString());
    assertEquals("2ms", Units.parseTime("2ms").toString());
    assertEquals("12cycles", Units.parseTime("12cycles").toString());
    assertEquals("2.5cycles", Units.parseTime("2.5cycles").toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.98GHz", "3201MHz", "1.234567891GHz", "7Hz", "0.5Hz"})
  void formattedFrequenciesReadBackExactly(String text) {
    double hz = Units.parseFrequencyHz(text);
    assertEquals(hz, Units.parseFrequencyHz(Units.formatFrequency(hz)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"4.8TB/s", "819GB/s", "25GiB/s", "3.3333333TB/s", "1B/s"})
  void formattedBandwidthsReadBackExactly(String text) {
    double bps = Units.parseBandwidth(text);
    assertEquals(bps, Units.parseBandwidth(Units.formatBandwidth(bps)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"350ns", "1.1us", "0.3ps", "123456789ps", "3.9us", "1s", "-5ns"})
  void formattedTimesReadBackExactly(String text) {
    Units.Time t = Units.parseTime(text);
    assertEquals(t, Units.parseTime(t.toString()));
    assertFalse(t.toString().isEmpty());
  }
}
