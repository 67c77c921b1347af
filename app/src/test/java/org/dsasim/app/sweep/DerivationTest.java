package org.dsasim.app.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DerivationTest {
  private static final Map<String, String> VALUES = Map.of(
      "fastmem.llc.capacity", "60MiB", "ratio", "0.25", "fastmem.llc.near_hit_latency", "146ns",
      "odd", "7", "cycles", "12cycles", "word", "dsa");

  private static String eval(String expr) {
    return Derivation.evaluate(expr, VALUES::get);
  }

  @Test
  void sizesTimesAndNumbersKeepTheirOneUnit() {
    assertEquals(60L * 1024 * 1024 / 4 + "B", eval("fastmem.llc.capacity * ratio"));
    assertEquals(60L * 1024 * 1024 / 4 + "B", eval("ratio*fastmem.llc.capacity"));
    assertEquals("0B", eval("fastmem.llc.capacity * 0"));
    // 146 ns x 2.4 = 350.4 ns, in picoseconds
    assertEquals("350400ps", eval("fastmem.llc.near_hit_latency * 2.4"));
    assertEquals("73000ps", eval("fastmem.llc.near_hit_latency / 2"));
    // a size over a size is a plain ratio; numbers stay whole where they are
    assertEquals("4", eval("fastmem.llc.capacity / 15MiB"));
    assertEquals("3.5", eval("odd / 2"));
    assertEquals("14", eval("odd * 2"));
    // bytes are rounded down to whole bytes: 7 B / 2
    assertEquals("3B", eval("7B / 2"));
  }

  @Test
  void operandsAreListedForTheCheckThatEveryVariableIsUsed() {
    assertEquals(List.of("fastmem.llc.capacity", "ratio", "2"),
        Derivation.operands(" fastmem.llc.capacity *ratio/ 2 "));
  }

  @Test
  void mistakesSayWhatIsWrong() {
    assertMessage("fastmem.llc.capacity * ", "must be operands");
    assertMessage("* ratio", "must be operands");
    assertMessage("fastmem.llc.capacity ratio", "must be operands");
    assertMessage("nowhere * 2", "'nowhere' is neither a configuration key nor an axis");
    assertMessage("fastmem.llc.capacity * fastmem.llc.capacity", "at most one operand");
    assertMessage("2 / fastmem.llc.capacity", "divides by a quantity with a unit");
    assertMessage("fastmem.llc.capacity / 0", "divides by zero");
    assertMessage("word * 2", "'word' = 'dsa' is not a number");
    assertMessage("cycles * 2", "'cycles' = '12cycles' is not a number");
  }

  private static void assertMessage(String expr, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> eval(expr));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
