package org.dsasim.mem.token;

/**
 * {@code token-lru}: the proposal. The reservation holds {@code capacity} token entries and evicts
 * the least recently gathered one; every gathered entry is inserted.
 */
public final class TokenLruPolicy implements TokenCachePolicy {
  private final LongLruSet entries;

  public TokenLruPolicy(int capacityTokens) {
    this.entries = new LongLruSet(capacityTokens);
  }

  @Override
  public boolean access(int seq, int layer, int token) {
    return entries.access(TokenSpace.key(seq, layer, token));
  }

  @Override
  public void endStep() {}

  @Override
  public int capacityTokens() {
    return entries.capacity();
  }
}
