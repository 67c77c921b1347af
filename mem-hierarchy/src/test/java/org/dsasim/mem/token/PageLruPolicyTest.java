package org.dsasim.mem.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PageLruPolicyTest {
  @Test
  void cachesWholePagesLeastRecentlyUsedFirst() {
    // 4-token pages, capacity 8 tokens = 2 pages; tokens 0 1 5 9 2 13 6 are pages 0 0 1 2 0 3 1
    // 0 p0 miss {0}   1 p0 hit   5 p1 miss {1 0}   9 p2 miss, evicts p0 {2 1}
    // 2 p0 miss, evicts p1 {0 2}   13 p3 miss, evicts p2 {3 0}   6 p1 miss, evicts p0 {1 3}
    // 1 hit, 6 misses, 24 entries fetched
    TestTrace t = new TestTrace(TestTrace.single(7, 16)).step(0, 1, 5, 9, 2, 13, 6);
    PageLruPolicy pages = new PageLruPolicy(8, 4);
    assertEquals(1, t.hits(pages));
    assertEquals(4, pages.entriesPerMiss());
    assertEquals(8, pages.capacityTokens());
  }

  @Test
  void capacityRoundsDownToWholePagesAndPagesBelongToOneLayerAndSequence() {
    // capacity 7 tokens of 4-token pages: 1 page
    PageLruPolicy pages = new PageLruPolicy(7, 4);
    assertEquals(false, pages.access(0, 0, 1));
    assertEquals(true, pages.access(0, 0, 3));
    assertEquals(false, pages.access(0, 1, 3)); // another layer's page 0, evicts (0, 0, page 0)
    assertEquals(false, pages.access(0, 0, 2));
    assertEquals(false, pages.access(1, 0, 2)); // another sequence
    assertEquals(0, new TestTrace(TestTrace.single(2, 8)).step(0, 1).hits(new PageLruPolicy(3, 4)));
  }
}
