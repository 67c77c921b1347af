package org.dsasim.mem.reservation;

import java.util.List;
import org.dsasim.core.registry.Registry;

/**
 * Admission policies by name:
 *
 * <ul>
 *   <li>{@code all}: every gathered unit enters;
 *   <li>{@code none}: nothing enters (the reservation's capacity is then simply lost: a control);
 *   <li>{@code second-touch}: a unit enters when it is gathered again in a later decode step than
 *       the one that first recorded it. First touches are remembered in a ghost list of
 *       {@code ghostUnits} keys (LRU), so a unit forgotten from the ghost list starts over. Touches
 *       within one step do not count twice: a 656-B entry arrives as several line requests.
 * </ul>
 */
public final class AdmissionPolicies {
  /** Builds a policy; {@code ghostUnits} sizes the history of policies that keep one. */
  @FunctionalInterface
  public interface Factory {
    AdmissionPolicy create(int ghostUnits);
  }

  private static final Registry<Factory> FACTORIES = new Registry<>("admission policy");

  static {
    register("all", ghost -> constant("all", true));
    register("none", ghost -> constant("none", false));
    register("second-touch", SecondTouch::new);
  }

  private AdmissionPolicies() {}

  public static void register(String name, Factory factory) {
    FACTORIES.register(name, factory);
  }

  public static List<String> names() {
    return FACTORIES.names();
  }

  public static boolean exists(String name) {
    return FACTORIES.exists(name);
  }

  public static AdmissionPolicy create(String name, int ghostUnits) {
    return FACTORIES.get(name).create(ghostUnits);
  }

  private static AdmissionPolicy constant(String name, boolean admit) {
    return new AdmissionPolicy() {
      @Override
      public boolean admit(long unitKey, long step) {
        return admit;
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  /** Admits on a touch in a later step than the remembered first one. */
  static final class SecondTouch implements AdmissionPolicy {
    private final GroupedLru ghost;
    private final long[] firstStep;

    SecondTouch(int ghostUnits) {
      if (ghostUnits < 1) {
        throw new IllegalArgumentException(
            "llc.reservation.ghost_units must be >= 1 for second-touch admission, got "
                + ghostUnits);
      }
      ghost = new GroupedLru(ghostUnits, 1);
      firstStep = new long[ghostUnits];
    }

    @Override
    public boolean admit(long unitKey, long step) {
      int slot = ghost.find(unitKey);
      if (slot >= 0) {
        if (firstStep[slot] < step) {
          ghost.remove(slot);
          return true;
        }
        ghost.touch(slot);
        return false;
      }
      if (ghost.size() == ghost.capacity()) {
        ghost.remove(ghost.lru(0));
      }
      firstStep[ghost.insert(unitKey, 0)] = step;
      return false;
    }

    @Override
    public String name() {
      return "second-touch";
    }
  }
}
