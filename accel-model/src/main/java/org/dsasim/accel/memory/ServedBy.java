package org.dsasim.accel.memory;

/** The level of the memory hierarchy that supplied a load's data. */
public final class ServedBy {
  private ServedBy() {}

  public static final byte L1 = 0;
  /** The shared (unreserved) part of the LLC, in the requester's near partition. */
  public static final byte LLC_NEAR = 1;
  /** The shared part of the LLC, in a far partition. */
  public static final byte LLC_FAR = 2;
  /** The LLC's reservation (the KV token cache or a persisting set-aside). */
  public static final byte LLC_RESERVED = 3;
  public static final byte HBM = 4;
  public static final int COUNT = 5;

  public static boolean isLlc(byte level) {
    return level == LLC_NEAR || level == LLC_FAR || level == LLC_RESERVED;
  }
}
