package org.dsasim.mem.replacement;

import java.util.SplittableRandom;

/** Evicts a candidate chosen uniformly at random from a seeded generator. */
public final class RandomPolicy implements ReplacementPolicy {
  private final SplittableRandom random;

  public RandomPolicy(long seed) {
    this.random = new SplittableRandom(seed);
  }

  @Override
  public void onFill(int set, int way) {}

  @Override
  public void onHit(int set, int way) {}

  @Override
  public int victim(int set, long candidates) {
    int pick = random.nextInt(Long.bitCount(candidates));
    long m = candidates;
    for (int i = 0; i < pick; i++) {
      m &= m - 1;
    }
    return Long.numberOfTrailingZeros(m);
  }

  @Override
  public String name() {
    return "random";
  }
}
