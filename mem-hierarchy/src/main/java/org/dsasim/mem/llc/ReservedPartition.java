package org.dsasim.mem.llc;

import org.dsasim.mem.reservation.TokenReservation;

/**
 * Shared fills take the normal ways, never a frame carved for the reservation, except, when the
 * reservation lends, carved frames that no resident unit occupies. With no reservation (an empty
 * region) every way is normal.
 */
final class ReservedPartition implements PartitionPolicy {
  private final long allWays;
  private final CarvedRegion region;
  private final TokenReservation reservation;

  ReservedPartition(int ways, CarvedRegion region, TokenReservation reservation) {
    this.allWays = ways == 64 ? -1L : (1L << ways) - 1;
    this.region = region;
    this.reservation = reservation;
  }

  @Override
  public long candidates(int set, int partition, long unavailable) {
    long carved = region.ways(set);
    long mask = allWays & ~carved;
    if (reservation != null && reservation.lends()) {
      for (long m = carved; m != 0; m &= m - 1) {
        int way = Long.numberOfTrailingZeros(m);
        if (!reservation.isHeld(region.frameOf(set, way))) {
          mask |= 1L << way;
        }
      }
    }
    return mask & ~unavailable;
  }
}
