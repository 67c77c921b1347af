package org.dsasim.mem.reservation;

import java.util.List;
import org.dsasim.core.registry.Registry;

/**
 * Sharing policies by name:
 *
 * <ul>
 *   <li>{@code pool}: one LRU over all units, capacity shared freely;
 *   <li>{@code per-layer}: each layer gets an equal quota, {@code capacity / layers} units, with
 *       LRU inside the layer (a layer's gathers cannot push out another layer's tokens);
 *   <li>{@code per-sequence}: the same with one quota per sequence.
 * </ul>
 */
public final class SharingPolicies {
  /** Builds a policy for a reservation of {@code capacityUnits} over {@code layout}. */
  @FunctionalInterface
  public interface Factory {
    SharingPolicy create(int capacityUnits, KvLayout layout);
  }

  private static final Registry<Factory> FACTORIES = new Registry<>("sharing policy");

  static {
    register("pool", (capacity, layout) -> new EqualQuotas("pool", 1, capacity, key -> 0));
    register("per-layer", (capacity, layout) ->
        new EqualQuotas("per-layer", layout.layers(), capacity, KvLayout::layerOf));
    register("per-sequence", (capacity, layout) ->
        new EqualQuotas("per-sequence", layout.sequences(), capacity, KvLayout::sequenceOf));
  }

  private SharingPolicies() {}

  public static void register(String name, Factory factory) {
    FACTORIES.register(name, factory);
  }

  public static List<String> names() {
    return FACTORIES.names();
  }

  public static boolean exists(String name) {
    return FACTORIES.exists(name);
  }

  public static SharingPolicy create(String name, int capacityUnits, KvLayout layout) {
    return FACTORIES.get(name).create(capacityUnits, layout);
  }

  /** Maps a unit key to its group. */
  @FunctionalInterface
  interface GroupFunction {
    int groupOf(long unitKey);
  }

  /** {@code groups} groups sharing the capacity in equal whole quotas. */
  static final class EqualQuotas implements SharingPolicy {
    private final String name;
    private final int groups;
    private final int quota;
    private final GroupFunction function;

    EqualQuotas(String name, int groups, int capacityUnits, GroupFunction function) {
      this.name = name;
      this.groups = groups;
      this.quota = capacityUnits / groups;
      this.function = function;
      if (quota < 1) {
        throw new IllegalArgumentException("llc.reservation.sharing=" + name + ": a reservation of "
            + capacityUnits + " units cannot give each of " + groups + " groups one unit");
      }
    }

    @Override
    public int groups() {
      return groups;
    }

    @Override
    public int groupOf(long unitKey) {
      return function.groupOf(unitKey);
    }

    @Override
    public int quota(int group) {
      return quota;
    }

    @Override
    public String name() {
      return name;
    }
  }
}
