package org.dsasim.mem.llc;

import java.util.Arrays;

/**
 * What a write that misses does. Writes are never fetched first: the written sectors become valid
 * and dirty on their own (the cache keeps byte masks, as GPU L2s do), so even a partial-sector
 * write needs no read from memory.
 */
public enum WritePolicy {
  /** Install the line with the written sectors dirty; written back when evicted. */
  ALLOCATE("allocate"),
  /** Send the write on to memory and leave the cache as it was. */
  NO_ALLOCATE("no-allocate");

  private final String configName;

  WritePolicy(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static WritePolicy parse(String name) {
    for (WritePolicy p : values()) {
      if (p.configName.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown write policy '" + name + "', expected one of "
        + Arrays.stream(values()).map(WritePolicy::configName).toList());
  }
}
