package org.dsasim.mem.reservation;

/**
 * How the reservation's capacity is shared: units fall into groups, each with a quota of units;
 * eviction is LRU within the group of the unit being admitted. Quotas never add up to more than the
 * capacity, so a group below its quota always finds a free slot.
 */
public interface SharingPolicy {
  int groups();

  /** The group of a unit key (see {@link KvLayout} for the key's fields). */
  int groupOf(long unitKey);

  /** The most units {@code group} may hold. */
  int quota(int group);

  /** The registry name. */
  String name();
}
