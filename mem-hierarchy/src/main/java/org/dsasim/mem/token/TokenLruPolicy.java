package org.dsasim.mem.token;

/**
 * {@code token-lru}: the proposal. The reservation holds {@code capacity} token entries and evicts
 * the least recently gathered one; every gathered entry is inserted.
 */
public final class TokenLruPolicy implements TokenCachePolicy {
  private final TokenSpace space;
  private final LongLruSet entries;

  public TokenLruPolicy(int capacityTokens, TokenSpace space) {
    this.space = space;
    this.entries = new LongLruSet(capacityTokens, space.directKeys(capacityTokens));
  }

  @Override
  public boolean access(int seq, int layer, int token) {
    return entries.access(space.entryIndex(seq, layer, token));
  }

  @Override
  public void endStep() {}

  @Override
  public int capacityTokens() {
    return entries.capacity();
  }
}
