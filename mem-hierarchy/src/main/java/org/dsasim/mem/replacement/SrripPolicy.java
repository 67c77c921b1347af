package org.dsasim.mem.replacement;

/**
 * Static re-reference interval prediction (Jaleel et al., ISCA 2010), hit-priority variant, with
 * 2-bit re-reference prediction values (RRPV): a fill predicts a long re-reference interval
 * (RRPV 2), a hit predicts a near one (RRPV 0), and the victim is the lowest-numbered candidate
 * predicted distant (RRPV 3), ageing all candidates by one until one is. Lines filled once and
 * never reused (a scan) therefore leave before lines that were hit.
 */
public final class SrripPolicy implements ReplacementPolicy {
  static final int MAX_RRPV = 3;
  static final int INSERT_RRPV = MAX_RRPV - 1;

  private final int ways;
  private final byte[] rrpv;

  public SrripPolicy(int sets, int ways) {
    this.ways = ways;
    this.rrpv = new byte[Math.multiplyExact(sets, ways)];
  }

  @Override
  public void onFill(int set, int way) {
    rrpv[set * ways + way] = INSERT_RRPV;
  }

  @Override
  public void onHit(int set, int way) {
    rrpv[set * ways + way] = 0;
  }

  @Override
  public int victim(int set, long candidates) {
    int base = set * ways;
    int highest = -1;
    int found = -1;
    for (long m = candidates; m != 0; m &= m - 1) {
      int w = Long.numberOfTrailingZeros(m);
      if (rrpv[base + w] > highest) {
        highest = rrpv[base + w];
        found = w;
      }
    }
    // age every candidate by the amount that brings the oldest to MAX_RRPV in one step, which is
    // what repeated increment-and-search does
    int age = MAX_RRPV - highest;
    if (age > 0) {
      for (long m = candidates; m != 0; m &= m - 1) {
        rrpv[base + Long.numberOfTrailingZeros(m)] += (byte) age;
      }
    }
    return found;
  }

  /** The RRPV of a way (for tests and debugging). */
  int rrpv(int set, int way) {
    return rrpv[set * ways + way];
  }

  @Override
  public String name() {
    return "srrip";
  }
}
