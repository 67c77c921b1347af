package org.dsasim.mem.llc;

/**
 * The persisting-window set-aside: persisting fills take set-aside frames only, first those that
 * are empty or lent to normal lines, then other persisting lines; normal fills take the normal
 * ways and set-aside frames that hold no persisting line.
 */
final class PersistingPartition implements PartitionPolicy {
  private final long allWays;
  private final CarvedRegion setAside;
  private final TagStore tags;

  PersistingPartition(TagStore tags, CarvedRegion setAside) {
    this.allWays = tags.ways == 64 ? -1L : (1L << tags.ways) - 1;
    this.setAside = setAside;
    this.tags = tags;
  }

  @Override
  public long candidates(int set, int partition, long unavailable) {
    long aside = setAside.ways(set);
    long persisting = tags.waysOfPartition(set, PERSISTING);
    if (partition == PERSISTING) {
      long free = aside & ~persisting & ~unavailable;
      return free != 0 ? free : aside & ~unavailable;
    }
    return ((allWays & ~aside) | (aside & ~persisting)) & ~unavailable;
  }
}
