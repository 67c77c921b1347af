package org.dsasim.mem.hbm;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.dsasim.core.config.Units;

/**
 * Timing parameters as configured: each a time or a cycle count ({@link Units.Time}), not yet
 * tied to a clock. {@link #resolve} turns them into the cycle counts a controller uses.
 *
 * @param values one entry for every {@link TimingParam}
 */
public record HbmTimingSpec(Map<TimingParam, Units.Time> values) {
  public HbmTimingSpec {
    EnumMap<TimingParam, Units.Time> copy = new EnumMap<>(TimingParam.class);
    for (TimingParam p : TimingParam.values()) {
      Units.Time t = values.get(p);
      if (t == null) {
        throw new IllegalArgumentException("timing parameter " + p.key() + " (" + p.meaning()
            + ") is missing");
      }
      if (!(t.value() >= 0) || Double.isInfinite(t.value())) {
        throw new IllegalArgumentException("timing parameter " + p.key()
            + " must be a non-negative time, got " + t);
      }
      if (t.inCycles() && t.value() != Math.rint(t.value())) {
        throw new IllegalArgumentException("timing parameter " + p.key()
            + " must be a whole number of cycles, got " + t);
      }
      copy.put(p, t);
    }
    values = Collections.unmodifiableMap(copy);
  }

  public Units.Time get(TimingParam p) {
    return values.get(p);
  }

  /** A copy with {@code p} set to {@code t}. */
  public HbmTimingSpec with(TimingParam p, Units.Time t) {
    EnumMap<TimingParam, Units.Time> copy = new EnumMap<>(values);
    copy.put(p, t);
    return new HbmTimingSpec(copy);
  }

  /** Cycle counts of the organisation's command clock; times round up to whole cycles. */
  public HbmTiming resolve(HbmOrganization org) {
    return HbmTiming.resolve(this, org);
  }
}
