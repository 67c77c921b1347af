package org.dsasim.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The queue must hand out events in (time, priority, insertion order), whatever the pattern of
 * insertions. Every test compares against an order computed here: a sort, or a
 * {@link PriorityQueue} over (time, priority, sequence).
 */
class EventQueueTest {
  private static final EventHandler HANDLER = (kind, arg) -> {};
  private static final Comparator<long[]> TIME_PRIORITY_SEQ =
      Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1])
          .thenComparingLong(e -> e[2]);
  private static final int[] PRIORITIES = {
    0, 0, 0, 1, -1, 2, EventQueue.MIN_PRIORITY, EventQueue.MAX_PRIORITY
  };

  /** The queue under test and the expected order side by side; events are identified by arg. */
  private static final class Checked {
    final EventQueue queue;
    final PriorityQueue<long[]> expected = new PriorityQueue<>(TIME_PRIORITY_SEQ);
    long seq;

    Checked(EventQueue queue) {
      this.queue = queue;
    }

    void add(long time, int priority) {
      long id = seq++;
      expected.add(new long[] {time, priority, id});
      queue.add(time, priority, HANDLER, (int) id, id);
    }

    /** Removes the earliest event from both and checks they agree; returns its time. */
    long pollAndCheck() {
      long[] e = expected.poll();
      assertEquals(e[0], queue.peekTime(), "time of the earliest event");
      EventHandler h = queue.poll();
      assertEquals(HANDLER, h);
      assertEquals(e[2], queue.polledArg, "event at " + e[0] + " ps, priority " + e[1]);
      assertEquals((int) e[2], queue.polledKind);
      assertEquals(expected.size(), queue.size());
      return e[0];
    }

    /**
     * Polls up to {@code limit} and checks that the earliest event came out when due by then, and
     * nothing otherwise. Returns whether an event came out.
     */
    boolean pollUntilAndCheck(long limit) {
      long[] e = expected.peek();
      EventHandler h = queue.pollUntil(limit);
      if (e[0] > limit) {
        assertNull(h, "nothing is due by " + limit + " ps; the earliest event is at " + e[0]);
        assertEquals(expected.size(), queue.size());
        return false;
      }
      expected.poll();
      assertEquals(HANDLER, h);
      assertEquals(e[0], queue.polledTime, "time of the event due by " + limit + " ps");
      assertEquals(e[2], queue.polledArg, "event at " + e[0] + " ps, priority " + e[1]);
      assertEquals(expected.size(), queue.size());
      return true;
    }

    void drainAndCheck() {
      while (!expected.isEmpty()) {
        pollAndCheck();
      }
      assertTrue(queue.isEmpty());
      assertEquals(Long.MAX_VALUE, queue.peekTime());
    }
  }

  @Test
  void manyRandomEventsWithTiesComeOutSortedByTimePriorityThenInsertion() {
    SplittableRandom rng = new SplittableRandom(1);
    int n = 100_000;
    long[][] events = new long[n][];
    EventQueue q = new EventQueue();
    for (int i = 0; i < n; i++) {
      // few distinct times and priorities: most events tie with others
      long time = rng.nextInt(2_000) * 250L;
      int priority = PRIORITIES[rng.nextInt(PRIORITIES.length)];
      events[i] = new long[] {time, priority, i};
      q.add(time, priority, HANDLER, 0, i);
    }
    long[][] sorted = events.clone();
    java.util.Arrays.sort(sorted, TIME_PRIORITY_SEQ);
    for (long[] e : sorted) {
      assertEquals(e[0], q.peekTime());
      q.poll();
      assertEquals(e[2], q.polledArg);
    }
    assertTrue(q.isEmpty());
  }

  @Test
  void holdModelWithMixedDelaysMatchesTheReferenceOrder() {
    SplittableRandom rng = new SplittableRandom(2);
    Checked c = new Checked(new EventQueue(16));
    // phases with different populations and delay scales, so that buckets and ring re-size:
    // dense short delays, clock-edge delays with ties, sparse long delays, and mixtures
    holdPhase(c, rng, 20_000, 150_000, () -> rng.nextLong(40));
    holdPhase(c, rng, 3_000, 150_000, () -> (1 + rng.nextInt(64)) * (rng.nextBoolean() ? 505L : 312L));
    holdPhase(c, rng, 50, 50_000, () -> rng.nextLong(5_000_000_000L));
    holdPhase(c, rng, 2_000, 150_000, () -> switch (rng.nextInt(5)) {
      case 0 -> 0;
      case 1 -> rng.nextLong(100);
      case 2 -> 505L * (1 + rng.nextInt(16));
      case 3 -> rng.nextLong(1_000_000);
      default -> rng.nextLong(1_000_000_000_000L);
    });
    holdPhase(c, rng, 10_000, 100_000, () -> rng.nextLong(1 << 20));
    c.drainAndCheck();
    assertTrue(c.queue.resizes() >= 3, "the phases should exercise re-sizing, saw " + c.queue.resizes());
  }

  @Test
  void holdModelWithMostlyOnePriorityMatchesTheReferenceOrder() {
    // mostly priority 0, so that most buckets are opened into per-picosecond lists; the odd other
    // priority, same-time bursts and events behind the current time land in such a bucket too
    SplittableRandom rng = new SplittableRandom(8);
    int[] mostlyZero = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3};
    Checked c = new Checked(new EventQueue(16));
    holdPhase(c, rng, mostlyZero, 1_000, 100_000, () -> 1 + rng.nextLong(20_000));
    holdPhase(c, rng, mostlyZero, 16_000, 150_000, () -> 1 + rng.nextLong(20_000));
    holdPhase(c, rng, mostlyZero, 200, 50_000, () -> rng.nextLong(1L << 30));
    holdPhase(c, rng, mostlyZero, 4_000, 100_000,
        () -> rng.nextLong(64) + (rng.nextBoolean() ? 0 : 505));
    long now = c.expected.peek()[0];
    for (int i = 0; i < 20_000; i++) {
      now = c.pollAndCheck();
      c.add(Math.max(0, now - 40 + rng.nextLong(200)), mostlyZero[rng.nextInt(mostlyZero.length)]);
    }
    c.drainAndCheck();
    assertTrue(c.queue.listOpenings() > 10_000, "lists used " + c.queue.listOpenings() + " times");
    assertTrue(c.queue.resizes() >= 2, "the phases should re-size, saw " + c.queue.resizes());
  }

  @Test
  void denseHoldModelWithAFewPrioritiesMatchesTheReferenceOrder() {
    // many events per bucket, each bucket with several of the priorities: the queue narrows its
    // buckets until they can be opened into per-(picosecond, priority) lists
    SplittableRandom rng = new SplittableRandom(9);
    Checked c = new Checked(new EventQueue(16));
    holdPhase(c, rng, new int[] {0, 1}, 16_000, 200_000,
        () -> (1 + rng.nextInt(64)) * (rng.nextBoolean() ? 505L : 312L));
    long listsWithTwoPriorities = c.queue.listOpenings();
    holdPhase(c, rng, new int[] {-1, 0, 0, 1, 2}, 8_000, 200_000, () -> rng.nextLong(10_000));
    c.drainAndCheck();
    assertTrue(listsWithTwoPriorities > 2_000, "lists used " + listsWithTwoPriorities + " times");
    assertTrue(c.queue.listOpenings() > listsWithTwoPriorities + 4_000,
        "lists used " + c.queue.listOpenings() + " times");
  }

  @Test
  void widelySpreadPrioritiesShareOnePicosecondListInPriorityThenInsertionOrder() {
    // priorities too far apart for a list each: the lists hold one picosecond each, for all
    // priorities, and events that sort before others of their picosecond walk to their place,
    // both when a bucket is opened and when an event is added to the open bucket
    SplittableRandom rng = new SplittableRandom(10);
    int[] spread = {EventQueue.MIN_PRIORITY, -1, 0, 0, 0, 1, EventQueue.MAX_PRIORITY};
    Checked c = new Checked(new EventQueue(16));
    // sparse (few ties: the queue keeps the per-picosecond lists), then dense (many ties)
    holdPhase(c, rng, spread, 1_000, 100_000, () -> 1 + rng.nextLong(20_000));
    long rankedSparse = c.queue.rankedListOpenings();
    holdPhase(c, rng, spread, 4_000, 100_000, () -> rng.nextLong(3_000));
    c.drainAndCheck();
    assertTrue(rankedSparse > 1_000, "per-picosecond openings " + rankedSparse);
    assertTrue(c.queue.walkedInserts() > 1_000, "walks " + c.queue.walkedInserts());
  }

  @Test
  void clockEdgesWithTwoPrioritiesMatchTheReferenceOrderAtEveryDensity() {
    // the benchmark's clocked model: whole cycles of two clocks, priorities 0 and 1; sparse
    // populations use one list per picosecond, dense ones (many ties) one per priority
    SplittableRandom rng = new SplittableRandom(11);
    Checked c = new Checked(new EventQueue(16));
    LongSupplier edges = () -> {
      long cycles = 1 + rng.nextInt(64);
      return rng.nextBoolean() ? (cycles * 1_000_000 + 990) / 1980 : (cycles * 1_000_000 + 1600) / 3201;
    };
    int[] twoPriorities = {0, 1};
    holdPhase(c, rng, twoPriorities, 1_000, 100_000, edges);
    long rankedSparse = c.queue.rankedListOpenings();
    long listsBefore = c.queue.listOpenings();
    holdPhase(c, rng, twoPriorities, 16_000, 150_000, edges);
    long listsDense = c.queue.listOpenings() - listsBefore;
    long rankedDense = c.queue.rankedListOpenings() - rankedSparse;
    holdPhase(c, rng, twoPriorities, 1_000, 50_000, edges);
    c.drainAndCheck();
    assertTrue(rankedSparse > 10_000, "per-picosecond openings " + rankedSparse);
    assertTrue(rankedDense < listsDense / 2,
        "dense: " + rankedDense + " of " + listsDense + " list openings per picosecond");
  }

  @Test
  void thousandsOfTiesAtOneKeyWithEventsAddedAtThatKeyWhileItIsDispatched() {
    SplittableRandom rng = new SplittableRandom(12);
    Checked c = new Checked(new EventQueue());
    long t = 1_000_063; // the last picosecond of a 64-ps bucket
    for (int i = 0; i < 5_000; i++) {
      c.add(t, rng.nextInt(8) == 0 ? rng.nextInt(3) - 1 : 0);
    }
    for (int i = 0; i < 20_000; i++) {
      long now = c.pollAndCheck();
      // at the key being dispatched (same, lower and higher priority), and across the boundary
      switch (rng.nextInt(4)) {
        case 0 -> c.add(now, 0);
        case 1 -> c.add(now, rng.nextInt(3) - 1);
        case 2 -> c.add(now + 1, rng.nextInt(3) - 1);
        default -> { }
      }
    }
    c.drainAndCheck();
  }

  @Test
  void eventsAroundBucketBoundariesAndFarBeyondTheHorizonAreOrdered() {
    SplittableRandom rng = new SplittableRandom(13);
    Checked c = new Checked(new EventQueue());
    for (int i = 0; i < 20_000; i++) {
      long base = 64L * rng.nextInt(200);
      long time = switch (rng.nextInt(6)) {
        case 0 -> base - 1;
        case 1 -> base;
        case 2 -> base + 1;
        case 3 -> base + 63;
        case 4 -> base + (1L << (20 + rng.nextInt(40))); // far beyond any horizon
        default -> base + rng.nextInt(64);
      };
      c.add(Math.max(0, time), PRIORITIES[rng.nextInt(PRIORITIES.length)]);
    }
    for (int i = 0; i < 60_000; i++) {
      long now = c.pollAndCheck();
      long boundary = (now | 63) + 1;
      c.add(rng.nextBoolean() ? boundary - 1 + rng.nextInt(3) : now, PRIORITIES[rng.nextInt(PRIORITIES.length)]);
    }
    c.drainAndCheck();
  }

  @Test
  void aFewEventsAtLongDelaysWidenTheBucketsInsteadOfGrowingTheRing() {
    // a handful pending, microseconds apart (a memory system's responses): the buckets widen
    // until the smallest ring reaches the delays, rather than the ring growing to its largest
    // (256 KB of list heads) with hundreds of empty buckets between two events
    SplittableRandom rng = new SplittableRandom(11);
    Checked c = new Checked(new EventQueue(16));
    long maxDelay = 4_000_000;
    holdPhase(c, rng, 8, 200_000, () -> rng.nextLong(maxDelay));
    EventQueue q = c.queue;
    assertEquals(1024, q.ringSize(), "ring size of a sparse queue");
    assertTrue(q.ringSize() * q.bucketWidth() >= maxDelay,
        "the horizon, " + q.ringSize() + " buckets of " + q.bucketWidth() + " ps, should reach the "
            + maxDelay + "-ps delays");
    // 8 events within 4 us are about 500 ns apart: buckets of at most that hold about one each
    assertTrue(q.bucketWidth() <= 1 << 19, "buckets of " + q.bucketWidth() + " ps");
    // many pending at the same delays: narrower buckets again
    int resizes = q.resizes();
    holdPhase(c, rng, 2_000, 200_000, () -> rng.nextLong(maxDelay));
    c.drainAndCheck();
    assertTrue(q.resizes() > resizes, "a dense queue should re-size, saw " + q.resizes());
    assertTrue(q.bucketWidth() < 1 << 15, "buckets of " + q.bucketWidth() + " ps for 2,000 events");
  }

  @Test
  void pollingUpToATimeLimitLeavesLaterEventsInOrder() {
    // the simulator's poll: a limit before the earliest event returns nothing and removes
    // nothing, whatever form the next bucket takes (one event taken straight from the ring,
    // a run, lists, the far heap)
    SplittableRandom rng = new SplittableRandom(13);
    Checked c = new Checked(new EventQueue(16));
    long[][] phases = {{8, 4_000_000}, {300, 50_000_000}, {2_000, 20_000}, {5, 1L << 40}};
    for (long[] phase : phases) {
      int population = (int) phase[0];
      long maxDelay = phase[1];
      long now = c.expected.isEmpty() ? 0 : c.expected.peek()[0];
      while (c.queue.size() < population) {
        c.add(now + rng.nextLong(maxDelay), PRIORITIES[rng.nextInt(PRIORITIES.length)]);
      }
      for (int i = 0; i < 100_000; i++) {
        long next = c.expected.peek()[0];
        long limit = switch (rng.nextInt(4)) {
          case 0 -> next - 1 - rng.nextLong(Math.min(next, 1_000));
          case 1 -> next;
          case 2 -> next + rng.nextLong(1_000);
          default -> Long.MAX_VALUE;
        };
        if (c.pollUntilAndCheck(limit)) {
          c.add(next + rng.nextLong(maxDelay), PRIORITIES[rng.nextInt(PRIORITIES.length)]);
        }
      }
      while (c.queue.size() > population / 2) {
        c.pollUntilAndCheck(Long.MAX_VALUE);
      }
    }
    c.drainAndCheck();
  }

  /** Grows or shrinks the population to {@code population}, then does {@code ops} hold steps. */
  private static void holdPhase(
      Checked c, SplittableRandom rng, int population, int ops, LongSupplier delay) {
    holdPhase(c, rng, PRIORITIES, population, ops, delay);
  }

  private static void holdPhase(Checked c, SplittableRandom rng, int[] priorities, int population,
      int ops, LongSupplier delay) {
    long now = c.expected.isEmpty() ? 0 : c.expected.peek()[0];
    while (c.queue.size() < population) {
      c.add(now + delay.getAsLong(), priorities[rng.nextInt(priorities.length)]);
    }
    while (c.queue.size() > population) {
      c.pollAndCheck();
    }
    for (int i = 0; i < ops; i++) {
      now = c.pollAndCheck();
      c.add(now + delay.getAsLong(), priorities[rng.nextInt(priorities.length)]);
      if (rng.nextInt(8) == 0) {
        // bursts: the current time again, and a same-time event behind others
        c.add(now, priorities[rng.nextInt(priorities.length)]);
      }
      if (c.queue.size() > population && rng.nextBoolean()) {
        c.pollAndCheck();
      }
    }
  }

  @Test
  void largeSameTimeClumpsAreOrderedByPriorityThenInsertion() {
    SplittableRandom rng = new SplittableRandom(3);
    Checked c = new Checked(new EventQueue());
    for (int edge = 0; edge < 20; edge++) {
      int clump = 1 + rng.nextInt(5_000);
      for (int i = 0; i < clump; i++) {
        c.add(edge * 505L, rng.nextInt(3));
      }
    }
    // events for the edge being dispatched, added while it is dispatched
    for (int i = 0; i < 30_000; i++) {
      long now = c.pollAndCheck();
      if (rng.nextInt(3) == 0) {
        c.add(now + (rng.nextBoolean() ? 0 : 505), rng.nextInt(3));
      }
    }
    c.drainAndCheck();
  }

  @Test
  void eventsBeforeTheLastRemovedOneAreStillOrdered() {
    // the queue itself allows any time (the simulator forbids the past): times behind the
    // current bucket go to the run or the far heap and must still come out first
    SplittableRandom rng = new SplittableRandom(4);
    Checked c = new Checked(new EventQueue());
    for (int i = 0; i < 1_000; i++) {
      c.add(rng.nextLong(1_000_000), 0);
    }
    for (int i = 0; i < 100_000; i++) {
      long now = c.pollAndCheck();
      c.add(now - 2_000 + rng.nextLong(10_000), PRIORITIES[rng.nextInt(PRIORITIES.length)]);
    }
    c.drainAndCheck();
  }

  @Test
  void extremeTimesAreOrdered() {
    SplittableRandom rng = new SplittableRandom(5);
    Checked c = new Checked(new EventQueue());
    long[] times = {
      Long.MAX_VALUE, Long.MAX_VALUE - 1, 0, 1, -1, Long.MIN_VALUE, 1L << 62, (1L << 62) - 1, 505
    };
    for (int i = 0; i < 1_000; i++) {
      c.add(times[rng.nextInt(times.length)], rng.nextInt(3));
    }
    for (int i = 0; i < 500; i++) {
      c.pollAndCheck();
    }
    for (int i = 0; i < 500; i++) {
      c.add(Long.MAX_VALUE - rng.nextInt(3), rng.nextInt(3));
    }
    c.drainAndCheck();
  }

  @Test
  void insertionCounterRenumbersInsteadOfWrapping() {
    SplittableRandom rng = new SplittableRandom(6);
    Checked c = new Checked(new EventQueue(16, EventQueue.SEQ_LIMIT - 1_000));
    for (int i = 0; i < 3_000; i++) {
      c.add(rng.nextInt(50) * 100L, rng.nextInt(2));
    }
    for (int i = 0; i < 20_000; i++) {
      long now = c.pollAndCheck();
      c.add(now + rng.nextInt(50) * 100L, rng.nextInt(2));
    }
    c.drainAndCheck();
  }

  @Test
  void priorityRangeIsEnforced() {
    EventQueue q = new EventQueue();
    q.add(0, EventQueue.MIN_PRIORITY, HANDLER, 0, 0);
    q.add(0, EventQueue.MAX_PRIORITY, HANDLER, 0, 1);
    assertThrows(IllegalArgumentException.class,
        () -> q.add(0, EventQueue.MIN_PRIORITY - 1, HANDLER, 0, 2));
    assertThrows(IllegalArgumentException.class,
        () -> q.add(0, EventQueue.MAX_PRIORITY + 1, HANDLER, 0, 3));
    assertThrows(NullPointerException.class, () -> q.add(0, 0, null, 0, 4));
    assertEquals(2, q.size());
    q.poll();
    assertEquals(0, q.polledArg);
    q.poll();
    assertEquals(1, q.polledArg);
  }

  @Test
  void clearDropsEverythingAndTheQueueStaysUsable() {
    SplittableRandom rng = new SplittableRandom(7);
    Checked c = new Checked(new EventQueue());
    for (int i = 0; i < 5_000; i++) {
      c.add(rng.nextLong(1L << 40), 0);
    }
    for (int i = 0; i < 100; i++) {
      c.pollAndCheck();
    }
    c.queue.clear();
    c.expected.clear();
    assertTrue(c.queue.isEmpty());
    assertEquals(Long.MAX_VALUE, c.queue.peekTime());
    for (int i = 0; i < 5_000; i++) {
      c.add(rng.nextLong(1_000_000), rng.nextInt(2));
    }
    c.drainAndCheck();
  }

  @Test
  void handlersAndPayloadsTravelWithTheirEvents() {
    EventQueue q = new EventQueue();
    List<EventHandler> handlers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      handlers.add((kind, arg) -> {});
    }
    for (int i = 0; i < 100; i++) {
      q.add(1_000 - i, 0, handlers.get(i), 7 * i, -3L * i);
    }
    for (int i = 99; i >= 0; i--) {
      assertEquals(handlers.get(i), q.poll());
      assertEquals(7 * i, q.polledKind);
      assertEquals(-3L * i, q.polledArg);
    }
  }
}
