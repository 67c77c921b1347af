package org.dsasim.mem.llc;

/**
 * Capacity taken out of the normal pool, as whole line frames carved from the top ways down:
 * frame {@code f} is way {@code ways - 1 - f / sets} of set {@code f % sets}. A reservation of
 * {@code F} frames thus takes {@code F / sets} whole ways of every set and one more way of the
 * first {@code F % sets} sets, so any size (in lines) is honoured exactly and spread evenly.
 */
final class CarvedRegion {
  private final int sets;
  private final int ways;
  private final int frames;
  private final int fullWays;
  private final int extraSets;

  CarvedRegion(int sets, int ways, int frames) {
    check(sets, ways, frames);
    this.sets = sets;
    this.ways = ways;
    this.frames = frames;
    this.fullWays = frames / sets;
    this.extraSets = frames % sets;
  }

  /** Every set must keep at least one normal way. */
  static void check(int sets, int ways, long frames) {
    if (frames < 0 || frames > (long) sets * (ways - 1)) {
      throw new IllegalArgumentException("llc.reservation.size: " + frames + " lines carved out"
          + " leave a set with no normal way (at most " + (long) sets * (ways - 1) + " of "
          + (long) sets * ways + ")");
    }
  }

  int frames() {
    return frames;
  }

  /** The carved ways of {@code set}. */
  long ways(int set) {
    int k = fullWays + (set < extraSets ? 1 : 0);
    return k == 0 ? 0 : ((-1L >>> (64 - k)) << (ways - k));
  }

  boolean contains(int set, int way) {
    return (ways(set) & (1L << way)) != 0;
  }

  /** The carved frame index of a way that {@link #contains} says is carved. */
  int frameOf(int set, int way) {
    return (ways - 1 - way) * sets + set;
  }

  int setOf(int frame) {
    return frame % sets;
  }

  int wayOf(int frame) {
    return ways - 1 - frame / sets;
  }
}
