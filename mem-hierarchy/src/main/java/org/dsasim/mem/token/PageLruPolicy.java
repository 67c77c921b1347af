package org.dsasim.mem.token;

/**
 * {@code page-lru}: caching at the granularity of the serving engine's KV pages. A gather of any
 * token of a page that is not resident fetches the whole page ({@code pageTokens} entries) and
 * inserts it; pages are evicted least recently used first.
 *
 * <p>To compare equal bytes, a capacity of {@code C} token entries holds {@code floor(C /
 * pageTokens)} pages. Because a miss brings the page's other tokens along, this policy can hit
 * tokens never gathered before, so it is not bounded by the token-granular Belady bound (it is by
 * Belady over pages); its cost shows in {@link #entriesPerMiss}.
 */
public final class PageLruPolicy implements TokenCachePolicy {
  private final int capacityTokens;
  private final int pageTokens;
  private final LongLruSet pages;

  public PageLruPolicy(int capacityTokens, int pageTokens) {
    if (pageTokens < 1) {
      throw new IllegalArgumentException("pageTokens < 1: " + pageTokens);
    }
    this.capacityTokens = capacityTokens;
    this.pageTokens = pageTokens;
    this.pages = new LongLruSet(capacityTokens / pageTokens);
  }

  @Override
  public boolean access(int seq, int layer, int token) {
    return pages.access(TokenSpace.key(seq, layer, token / pageTokens));
  }

  @Override
  public void endStep() {}

  @Override
  public int capacityTokens() {
    return capacityTokens;
  }

  @Override
  public int entriesPerMiss() {
    return pageTokens;
  }
}
