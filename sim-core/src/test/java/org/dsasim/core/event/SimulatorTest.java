package org.dsasim.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.dsasim.core.event.Simulator.RunResult;
import org.dsasim.core.event.Simulator.StopAt;
import org.junit.jupiter.api.Test;

class SimulatorTest {
  /** Records (time, kind, arg) of every event it receives. */
  private static final class Recorder implements EventHandler {
    final Simulator sim;
    final List<long[]> seen = new ArrayList<>();

    Recorder(Simulator sim) {
      this.sim = sim;
    }

    @Override
    public void onEvent(int kind, long arg) {
      seen.add(new long[] {sim.now(), kind, arg});
    }

    List<Long> args() {
      return seen.stream().map(e -> e[2]).toList();
    }
  }

  @Test
  void simultaneousEventsRunByPriorityThenInScheduleOrder() {
    Simulator sim = new Simulator();
    Recorder r = new Recorder(sim);
    sim.scheduleAt(100, 1, r, 0, 1);
    sim.scheduleAt(100, 0, r, 0, 2);
    sim.schedule(100, r, 0, 3); // default priority 0, after 2
    sim.scheduleAt(100, -5, r, 0, 4);
    sim.scheduleAt(50, r, 0, 5);
    sim.schedule(100, 1, r, 0, 6);
    assertEquals(RunResult.DRAINED, sim.run());
    assertEquals(List.of(5L, 4L, 2L, 3L, 1L, 6L), r.args());
    assertEquals(100, sim.now(), "after draining, the clock reads the last event's time");
    assertEquals(6, sim.dispatched());
  }

  /**
   * What event {@code id} schedules when it runs: {delay, priority} pairs drawn from a generator
   * seeded by the id, so that the simulator and the reference below make the same choices.
   */
  private static long[][] followUps(long id) {
    SplittableRandom rng = new SplittableRandom(id * 0x9E3779B97F4A7C15L);
    long[][] next = new long[rng.nextInt(id < 150_000 ? 4 : 1)][];
    int[] priorities = {0, 0, 0, 0, 1, -1};
    for (int i = 0; i < next.length; i++) {
      long delay = switch (rng.nextInt(4)) {
        case 0 -> 0; // same time, behind the events already there
        case 1 -> rng.nextLong(64);
        case 2 -> 505L * (1 + rng.nextInt(8));
        default -> rng.nextLong(50_000);
      };
      next[i] = new long[] {delay, priorities[rng.nextInt(priorities.length)]};
    }
    return next;
  }

  @Test
  void eventsScheduledByHandlersRunInTheOrderOfAnIndependentReference() {
    Simulator sim = new Simulator();
    List<Long> trace = new ArrayList<>(); // id, time, id, time...
    long[] ids = {0};
    EventHandler handler = new EventHandler() {
      @Override
      public void onEvent(int kind, long id) {
        trace.add(id);
        trace.add(sim.now());
        for (long[] f : followUps(id)) {
          sim.schedule(f[0], (int) f[1], this, 0, ids[0]++);
        }
      }
    };
    // reference: a priority queue of {time, priority, schedule order, id}
    PriorityQueue<long[]> reference = new PriorityQueue<>(
        Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1])
            .thenComparingLong(e -> e[2]));
    long scheduled = 0;
    SplittableRandom rng = new SplittableRandom(11);
    for (; ids[0] < 2_000; ids[0]++) {
      long time = rng.nextLong(20_000);
      int priority = rng.nextInt(2);
      sim.scheduleAt(time, priority, handler, 0, ids[0]);
      reference.add(new long[] {time, priority, scheduled++, ids[0]});
    }
    assertEquals(RunResult.DRAINED, sim.run());
    List<Long> expected = new ArrayList<>();
    long nextId = 2_000; // the ids of follow-ups continue after those of the initial events
    while (!reference.isEmpty()) {
      long[] e = reference.poll();
      expected.add(e[3]);
      expected.add(e[0]);
      for (long[] f : followUps(e[3])) {
        reference.add(new long[] {e[0] + f[0], f[1], scheduled++, nextId++});
      }
    }
    assertTrue(expected.size() > 2 * 100_000, "the run should be long, was " + expected.size() / 2);
    assertEquals(expected, trace);
  }

  @Test
  void timeLimitIsInclusiveAndLeavesTheClockAtTheLimit() {
    Simulator sim = new Simulator();
    Recorder r = new Recorder(sim);
    EventHandler chain = (kind, arg) -> sim.schedule(0, r, 0, 99); // same time, from an event
    sim.scheduleAt(999, r, 0, 1);
    sim.scheduleAt(1_000, chain, 0, 2);
    sim.scheduleAt(1_001, r, 0, 3);
    assertEquals(RunResult.TIME_LIMIT, sim.run(StopAt.time(1_000)));
    assertEquals(List.of(1L, 99L), r.args());
    assertEquals(1_000, sim.now());
    assertEquals(1, sim.pending());
    // the rest runs on the next call
    assertEquals(RunResult.DRAINED, sim.run());
    assertEquals(List.of(1L, 99L, 3L), r.args());
    assertEquals(1_001, sim.now());
  }

  @Test
  void timeLimitAdvancesTheClockWhenTheQueueDrainsEarlier() {
    Simulator sim = new Simulator();
    Recorder r = new Recorder(sim);
    sim.scheduleAt(10, r, 0, 1);
    assertEquals(RunResult.DRAINED, sim.run(StopAt.time(5_000)));
    assertEquals(5_000, sim.now());
    assertEquals(RunResult.DRAINED, sim.run(StopAt.time(5_000)), "a zero-length run is fine");
    assertEquals(5_000, sim.now());
  }

  @Test
  void stopTimeInThePastIsRejectedAndTheClockNeverGoesBack() {
    Simulator sim = new Simulator();
    Recorder r = new Recorder(sim);
    sim.scheduleAt(2_000, r, 0, 1);
    sim.run(StopAt.time(1_000));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sim.run(StopAt.time(999)));
    assertTrue(e.getMessage().contains("999"), e.getMessage());
    assertEquals(1_000, sim.now());
    assertEquals(1, sim.pending());
  }

  @Test
  void eventLimitDispatchesExactlyThatMany() {
    Simulator sim = new Simulator();
    Recorder r = new Recorder(sim);
    for (int i = 0; i < 10; i++) {
      sim.scheduleAt(i * 10L, r, 0, i);
    }
    assertEquals(RunResult.EVENT_LIMIT, sim.run(StopAt.events(0)));
    assertEquals(0, sim.dispatched());
    assertEquals(0, sim.now());
    assertEquals(RunResult.EVENT_LIMIT, sim.run(StopAt.events(3)));
    assertEquals(List.of(0L, 1L, 2L), r.args());
    assertEquals(20, sim.now(), "the clock reads the last dispatched event");
    assertEquals(RunResult.EVENT_LIMIT, sim.run(StopAt.events(3)), "counted per run");
    assertEquals(6, sim.dispatched());
    assertEquals(RunResult.EVENT_LIMIT, sim.run(StopAt.events(4)), "limit reached with the last event");
    assertEquals(RunResult.DRAINED, sim.run(StopAt.events(Long.MAX_VALUE)));
    assertEquals(10, sim.dispatched());
    assertThrows(IllegalArgumentException.class, () -> StopAt.events(-1));
  }

  @Test
  void combinedLimitsStopAtTheFirstThatApplies() {
    Simulator sim = new Simulator();
    Recorder r = new Recorder(sim);
    for (int i = 1; i <= 10; i++) {
      sim.scheduleAt(i * 100L, r, 0, i);
    }
    assertEquals(RunResult.TIME_LIMIT, sim.run(StopAt.events(5).andTime(250)));
    assertEquals(250, sim.now());
    assertEquals(RunResult.EVENT_LIMIT, sim.run(StopAt.time(900).andEvents(2)));
    assertEquals(400, sim.now());
    assertEquals(RunResult.CONDITION, sim.run(StopAt.time(900).andWhen(() -> r.seen.size() == 6)));
    assertEquals(600, sim.now());
  }

  @Test
  void conditionIsCheckedAfterEachEvent() {
    Simulator sim = new Simulator();
    Recorder r = new Recorder(sim);
    for (int i = 0; i < 10; i++) {
      sim.scheduleAt(i, r, 0, i);
    }
    assertEquals(RunResult.CONDITION, sim.run(StopAt.when(() -> r.seen.size() >= 4)));
    assertEquals(List.of(0L, 1L, 2L, 3L), r.args());
    assertEquals(3, sim.now());
  }

  @Test
  void stopFromAHandlerReturnsAfterThatEvent() {
    Simulator sim = new Simulator();
    Recorder r = new Recorder(sim);
    sim.scheduleAt(5, (kind, arg) -> sim.stop(), 0, 0);
    sim.scheduleAt(5, r, 0, 1);
    sim.scheduleAt(6, r, 0, 2);
    assertEquals(RunResult.STOPPED, sim.run(StopAt.time(100)));
    assertEquals(5, sim.now());
    assertEquals(List.of(), r.args());
    sim.stop(); // outside a run: ignored, the next run starts afresh
    assertEquals(RunResult.DRAINED, sim.run());
    assertEquals(List.of(1L, 2L), r.args());
  }

  @Test
  void warmUpNotifiesListenersOnceAtTheEndOfTheWarmUp() {
    Simulator sim = new Simulator();
    long[] counted = new long[1];
    List<Long> notifiedAt = new ArrayList<>();
    EventHandler tick = new EventHandler() {
      @Override
      public void onEvent(int kind, long arg) {
        counted[0]++;
        sim.schedule(100, this, 0, 0);
      }
    };
    sim.scheduleAt(0, tick, 0, 0);
    sim.onWarmupEnd(() -> {
      notifiedAt.add(sim.now());
      counted[0] = 0; // the typical use: reset statistics
    });
    assertEquals(RunResult.TIME_LIMIT, sim.warmUp(1_000));
    assertEquals(List.of(1_000L), notifiedAt);
    assertEquals(1_000, sim.warmupEndTime());
    assertEquals(0, counted[0]);
    sim.run(StopAt.time(5_000));
    assertEquals(List.of(1_000L), notifiedAt, "not notified again by later runs");
    assertEquals(40, counted[0], "events in (1000, 5000]");
    assertThrows(IllegalStateException.class, () -> sim.warmUp(6_000));
    assertThrows(IllegalStateException.class, () -> sim.onWarmupEnd(() -> {}));
    assertEquals(List.of(1_000L), notifiedAt);
  }

  @Test
  void withoutWarmUpTheMeasuredIntervalStartsAtZero() {
    Simulator sim = new Simulator();
    sim.scheduleAt(10, (kind, arg) -> {}, 0, 0);
    sim.run();
    assertEquals(0, sim.warmupEndTime());
  }

  @Test
  void schedulingInThePastOrBeyondTheEndOfTimeIsRejected() {
    Simulator sim = new Simulator();
    Recorder r = new Recorder(sim);
    sim.scheduleAt(500, r, 0, 0);
    sim.run();
    assertThrows(IllegalArgumentException.class, () -> sim.scheduleAt(499, r, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> sim.scheduleAt(499, 0, r, 0, 1));
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> sim.schedule(-1, r, 0, 1));
    assertTrue(negative.getMessage().contains("negative"), negative.getMessage());
    IllegalArgumentException overflow = assertThrows(
        IllegalArgumentException.class, () -> sim.schedule(Long.MAX_VALUE - 499, r, 0, 1));
    assertTrue(overflow.getMessage().contains("end of time"), overflow.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> sim.schedule(0, EventQueue.MAX_PRIORITY + 1, r, 0, 1));
    assertEquals(0, sim.pending());
    sim.schedule(Long.MAX_VALUE - 500, r, 0, 2); // the last representable time is fine
    sim.scheduleAt(500, r, 0, 3); // now is fine
    sim.run();
    assertEquals(Long.MAX_VALUE, sim.now());
    assertEquals(List.of(0L, 3L, 2L), r.args());
  }

  @Test
  void runFromAHandlerIsAnErrorAndAFailedEventLeavesTheSimulatorUsable() {
    Simulator sim = new Simulator();
    Recorder r = new Recorder(sim);
    sim.scheduleAt(1, (kind, arg) -> sim.run(), 0, 0);
    assertThrows(IllegalStateException.class, () -> sim.run());
    sim.scheduleAt(2, (kind, arg) -> {
      throw new ArithmeticException("model bug");
    }, 0, 0);
    sim.scheduleAt(3, r, 0, 7);
    assertThrows(ArithmeticException.class, () -> sim.run());
    assertEquals(2, sim.now());
    assertEquals(RunResult.DRAINED, sim.run());
    assertEquals(List.of(7L), r.args());
  }

  @Test
  void kindAndArgumentReachTheHandler() {
    Simulator sim = new Simulator();
    Recorder r = new Recorder(sim);
    sim.schedule(7, r, 42, Long.MIN_VALUE);
    sim.schedule(7, r, -1, Long.MAX_VALUE);
    sim.run();
    assertEquals(42, r.seen.get(0)[1]);
    assertEquals(Long.MIN_VALUE, r.seen.get(0)[2]);
    assertEquals(-1, r.seen.get(1)[1]);
    assertEquals(Long.MAX_VALUE, r.seen.get(1)[2]);
  }
}
