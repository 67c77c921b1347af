package org.dsasim.mem.reservation;

/**
 * Decides whether a unit (token entry or page) that missed in the reservation enters it. Consulted
 * once per KV-gather access whose unit is not resident; {@code step} is the decode step the
 * reservation is in (advanced by {@link TokenReservation#endStep()}).
 */
public interface AdmissionPolicy {
  boolean admit(long unitKey, long step);

  /** The registry name. */
  String name();
}
