package org.dsasim.app.sweep;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point of a sweep: its position in the spec's enumeration, a stable id, the configuration
 * overrides that define it (axis key -> value as written in the spec) and its seed.
 *
 * @param index position in the enumeration, from 0; the result table is ordered by it
 * @param id directory-safe id, {@code p0007}: the index, zero-padded
 * @param overrides axis values of this point, in axis order
 * @param seed the replicate seed, or -1 when the spec names none (the base config's seed holds)
 */
public record SweepPoint(int index, String id, Map<String, String> overrides, long seed) {
  public SweepPoint {
    overrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
  }

  /** The overrides plus the seed, as {@code key=value} settings for a run. */
  public Map<String, String> settings() {
    Map<String, String> all = new LinkedHashMap<>(overrides);
    if (seed >= 0) {
      all.put(SweepSpec.SEED_KEY, Long.toString(seed));
    }
    return all;
  }
}
