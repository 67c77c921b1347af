package org.dsasim.mem.reservation;

/** What the reservation needs from the cache that hosts it. */
public interface ReservationListener {
  /**
   * Reserved frame {@code frame} (a line-sized slot of the carved-out capacity) now backs a unit:
   * whatever shared line was lent it must go (written back if dirty).
   */
  void claim(int frame);

  /** Dirty bytes of an evicted unit must be written to memory; never crosses a line. */
  void writeBack(long address, int bytes);
}
