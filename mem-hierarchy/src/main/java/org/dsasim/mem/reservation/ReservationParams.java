package org.dsasim.mem.reservation;

/**
 * A KV reservation: a share of the LLC that holds KV units (token entries or pages) between decode
 * steps, with LRU over units inside it.
 *
 * @param sizeBytes capacity carved out of the LLC; a whole number of lines is used
 * @param unitTokens tokens per unit: 1 for token entries, 64 for 64-token pages
 * @param admission admission policy name ({@link AdmissionPolicies})
 * @param sharing sharing policy name ({@link SharingPolicies})
 * @param lend whether shared traffic may use reserved lines that no unit holds (reclaimed, with a
 *     write-back if dirty, the moment a unit needs them)
 * @param retention how long units stay besides LRU
 * @param ghostUnits keys remembered by admission policies that keep a history; 0 means as many as
 *     the reservation holds units
 */
public record ReservationParams(
    long sizeBytes,
    int unitTokens,
    String admission,
    String sharing,
    boolean lend,
    Retention retention,
    int ghostUnits) {

  public ReservationParams {
    if (sizeBytes <= 0) {
      throw new IllegalArgumentException("llc.reservation.size must be > 0, got " + sizeBytes);
    }
    if (unitTokens < 1) {
      throw new IllegalArgumentException(
          "llc.reservation.unit_tokens must be >= 1, got " + unitTokens);
    }
    if (!AdmissionPolicies.exists(admission)) {
      throw new IllegalArgumentException("llc.reservation.admission: unknown policy '" + admission
          + "', expected one of " + AdmissionPolicies.names());
    }
    if (!SharingPolicies.exists(sharing)) {
      throw new IllegalArgumentException("llc.reservation.sharing: unknown policy '" + sharing
          + "', expected one of " + SharingPolicies.names());
    }
    if (retention == null) {
      throw new IllegalArgumentException("llc.reservation.retention missing");
    }
    if (ghostUnits < 0) {
      throw new IllegalArgumentException(
          "llc.reservation.ghost_units must be >= 0, got " + ghostUnits);
    }
  }

  /** The token-granular reservation of the proposal: every gathered token enters, one LRU pool. */
  public static ReservationParams tokenLru(long sizeBytes) {
    return new ReservationParams(sizeBytes, 1, "all", "pool", false, Retention.LRU, 0);
  }

  public ReservationParams withAdmission(String name) {
    return new ReservationParams(sizeBytes, unitTokens, name, sharing, lend, retention, ghostUnits);
  }

  public ReservationParams withSharing(String name) {
    return new ReservationParams(sizeBytes, unitTokens, admission, name, lend, retention, ghostUnits);
  }

  public ReservationParams withLend(boolean value) {
    return new ReservationParams(sizeBytes, unitTokens, admission, sharing, value, retention,
        ghostUnits);
  }

  public ReservationParams withRetention(Retention value) {
    return new ReservationParams(sizeBytes, unitTokens, admission, sharing, lend, value,
        ghostUnits);
  }

  public ReservationParams withUnitTokens(int value) {
    return new ReservationParams(sizeBytes, value, admission, sharing, lend, retention, ghostUnits);
  }

  public ReservationParams withGhostUnits(int value) {
    return new ReservationParams(sizeBytes, unitTokens, admission, sharing, lend, retention, value);
  }
}
