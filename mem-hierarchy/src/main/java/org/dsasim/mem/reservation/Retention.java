package org.dsasim.mem.reservation;

import java.util.Arrays;

/** How long a unit stays in the reservation besides being pushed out by LRU. */
public enum Retention {
  /** Until LRU eviction. */
  LRU("lru"),
  /**
   * Until the end of the decode step after the one that last touched it: the reservation then
   * holds exactly the previous step's top-k (as far as it fits), the "keep the previous step's
   * top-k" baseline.
   */
  PREVIOUS_STEP("previous-step");

  private final String configName;

  Retention(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Retention parse(String name) {
    for (Retention r : values()) {
      if (r.configName.equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown retention '" + name + "', expected one of "
        + Arrays.stream(values()).map(Retention::configName).toList());
  }
}
