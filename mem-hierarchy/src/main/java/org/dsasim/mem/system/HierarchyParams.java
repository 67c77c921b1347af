package org.dsasim.mem.system;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Units;
import org.dsasim.mem.hbm.HbmConfig;
import org.dsasim.mem.llc.LlcBinding;

/**
 * Everything that builds a {@link MemoryHierarchy}: the LLC, its scheme and the interconnect as
 * {@link LlcBinding} binds them (whole-chip values: {@code llc.capacity} and {@code llc.slices}
 * are split evenly over {@code llc.partitions}), the HBM, and the keys of the wiring itself:
 *
 * <pre>
 * system.memory_latency=20ns   each way between an LLC partition and the HBM controllers
 * system.placement=balanced    line placement in a partition: balanced | hashed
 * </pre>
 *
 * @param cache the LLC, scheme, KV layout, interconnect and energy keys
 * @param hbm the HBM device
 * @param memoryLatencyPs one-way latency between a partition and the HBM
 * @param balancedPlacement whether lines are placed with {@code LinePlacement.balanced}
 * @param preset the preset name this came from (for reports), or the source
 */
public record HierarchyParams(
    LlcBinding.Bound cache,
    HbmConfig hbm,
    long memoryLatencyPs,
    boolean balancedPlacement,
    String preset) {

  static final String MEMORY_LATENCY = "system.memory_latency";
  static final String PLACEMENT = "system.placement";
  private static final java.util.Set<String> SYSTEM_KEYS = java.util.Set.of(MEMORY_LATENCY,
      PLACEMENT);

  /**
   * The memory preset {@code name} ({@code configs/memory/<name>.yaml}): its HBM and its
   * {@code hierarchy} section. A preset without one (a bare HBM3 or HBM3E device) gets the H200
   * LLC and interconnect defaults of {@link LlcBinding}.
   */
  public static HierarchyParams preset(String name) {
    HbmConfig hbm = HbmConfig.preset(name);
    return bind(HbmConfig.hierarchyKeys(name), hbm,
        "memory preset '" + name + "' (configs/memory/" + name + ".yaml, section hierarchy)",
        name);
  }

  /**
   * Binds {@code values} (dotted keys) for {@code hbm}; {@code source} names where they came from
   * for messages. Mistakes are {@link UserInputException}s naming the source and the key.
   */
  public static HierarchyParams bind(
      Map<String, String> values, HbmConfig hbm, String source, String preset) {
    Map<String, String> cacheKeys = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      String key = e.getKey();
      if (key.startsWith("system.")) {
        if (!SYSTEM_KEYS.contains(key)) {
          throw new UserInputException(source + ": unknown key '" + key + "'; known keys: "
              + new TreeSet<>(SYSTEM_KEYS));
        }
      } else {
        cacheKeys.put(key, e.getValue());
      }
    }
    LlcBinding.Bound cache = LlcBinding.bind(cacheKeys, source);
    long memoryLatency = 0;
    if (values.containsKey(MEMORY_LATENCY)) {
      String text = values.get(MEMORY_LATENCY);
      Units.Time t;
      try {
        t = Units.parseTime(text);
      } catch (IllegalArgumentException e) {
        throw new UserInputException(source + ": key '" + MEMORY_LATENCY + "': expected a time"
            + " such as 20ns, got '" + text + "'", e);
      }
      if (t.inCycles() || t.value() < 0) {
        throw new UserInputException(source + ": key '" + MEMORY_LATENCY + "': expected a"
            + " non-negative time in ps, ns or us, got '" + text + "'");
      }
      memoryLatency = Math.round(t.value());
    }
    String placement = values.getOrDefault(PLACEMENT, "balanced");
    if (!placement.equals("balanced") && !placement.equals("hashed")) {
      throw new UserInputException(source + ": key '" + PLACEMENT + "': expected balanced or"
          + " hashed, got '" + placement + "'");
    }
    return new HierarchyParams(cache, hbm, memoryLatency, placement.equals("balanced"), preset);
  }
}
