package org.dsasim.mem.replacement;

/**
 * Least recently used: every fill and hit stamps the way with a counter; the victim is the
 * candidate with the oldest stamp.
 */
public final class LruPolicy implements ReplacementPolicy {
  private final int ways;
  private final long[] stamps;
  private long clock;

  public LruPolicy(int sets, int ways) {
    this.ways = ways;
    this.stamps = new long[Math.multiplyExact(sets, ways)];
  }

  @Override
  public void onFill(int set, int way) {
    stamps[set * ways + way] = ++clock;
  }

  @Override
  public void onHit(int set, int way) {
    stamps[set * ways + way] = ++clock;
  }

  @Override
  public int victim(int set, long candidates) {
    int base = set * ways;
    int best = -1;
    long oldest = Long.MAX_VALUE;
    for (long m = candidates; m != 0; m &= m - 1) {
      int w = Long.numberOfTrailingZeros(m);
      long s = stamps[base + w];
      if (s < oldest) {
        oldest = s;
        best = w;
      }
    }
    return best;
  }

  @Override
  public String name() {
    return "lru";
  }
}
