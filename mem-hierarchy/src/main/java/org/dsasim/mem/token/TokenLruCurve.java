package org.dsasim.mem.token;

import org.dsasim.core.reuse.LruStackDistance;

/**
 * The hits of {@code token-lru} at every capacity at once, from one pass: an exact LRU stack
 * distance per gathered entry ({@link LruStackDistance}). {@link #hits} of any capacity equals what
 * a {@link TokenLruPolicy} of that capacity would have counted over the same accesses.
 */
public final class TokenLruCurve {
  private final TokenSpace space;
  private final LruStackDistance distances;

  public TokenLruCurve(TokenSpace space) {
    this.space = space;
    int direct = space.directKeys(Long.MAX_VALUE);
    this.distances = new LruStackDistance(direct > 0 ? 0 : 1 << 16, direct);
  }

  /**
   * Gathers one entry.
   *
   * @return its stack distance, or {@link LruStackDistance#COLD} on its first gather
   */
  public int access(int seq, int layer, int token) {
    return distances.access(space.entryIndex(seq, layer, token));
  }

  /** Hits of a token-LRU reservation of {@code capacityTokens} entries. */
  public long hits(long capacityTokens) {
    return distances.hits(capacityTokens);
  }

  public long accesses() {
    return distances.accesses();
  }

  /** The underlying stack distances, for the histogram itself. */
  public LruStackDistance distances() {
    return distances;
  }
}
