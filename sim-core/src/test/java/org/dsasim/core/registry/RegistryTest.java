package org.dsasim.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class RegistryTest {
  @Test
  void looksUpByNameInRegistrationOrderAndNamesWhatIsKnown() {
    Registry<IntSupplier> r = new Registry<IntSupplier>("widget")
        .register("b", () -> 2).register("a", () -> 1);
    assertEquals(List.of("b", "a"), r.names());
    assertEquals(1, r.get("a").getAsInt());
    assertTrue(r.exists("b"));
    assertFalse(r.exists("c"));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> r.get("c"));
    assertEquals("unknown widget 'c', expected one of [b, a]", unknown.getMessage());
    IllegalArgumentException twice =
        assertThrows(IllegalArgumentException.class, () -> r.register("a", () -> 3));
    assertEquals("widget 'a' is already registered", twice.getMessage());
  }
}
