package org.dsasim.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.dsasim.bench.QueueFloorBenchmark.MinimalCalendarQueue;
import org.dsasim.bench.QueueFloorBenchmark.StrippedQueue;
import org.dsasim.core.event.EventHandler;
import org.dsasim.core.event.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The stripped-down calendar queue that bounds the kernel's speed must order events exactly as
 * the kernel does, or the bound means nothing: both run the benchmark's hold model with recording
 * handlers, and their logs of (time, handler, kind, argument) must be equal.
 */
class QueueFloorBenchmarkTest {
  private static final int EVENTS = 200_000;

  /** Where a recording handler schedules: the kernel or a stripped queue. */
  private interface Target {
    long now();

    void scheduleAt(long time, int priority, EventHandler handler, int kind, long arg);
  }

  /** Logs each event, then reschedules as the benchmark's handler with the same start does. */
  private static final class Recorder implements EventHandler {
    private final Target target;
    private final long[] delays;
    private final int[] priorities;
    private final int id;
    private final long[] log;
    private final int[] logged;
    private int next;

    Recorder(Target target, long[] delays, int[] priorities, int id, int start, long[] log,
        int[] logged) {
      this.target = target;
      this.delays = delays;
      this.priorities = priorities;
      this.id = id;
      this.next = start;
      this.log = log;
      this.logged = logged;
    }

    @Override
    public void onEvent(int kind, long arg) {
      int n = logged[0]++;
      if (n < EVENTS) {
        log[4 * n] = target.now();
        log[4 * n + 1] = id;
        log[4 * n + 2] = kind;
        log[4 * n + 3] = arg;
      }
      int i = next++ & (QueueFloorBenchmark.TABLE_SIZE - 1);
      // as CoreRescheduler (id 1) and MemoryRescheduler (id 2)
      target.scheduleAt(target.now() + delays[i], priorities[i], this,
          id == 1 ? kind + 1 : kind, id == 2 ? arg + 1 : arg);
    }
  }

  private static long[] record(Target target, boolean clocked, int pending, Runnable dispatch) {
    SplittableRandom rng = new SplittableRandom(42);
    long[] delays = new long[QueueFloorBenchmark.TABLE_SIZE];
    int[] priorities = new int[QueueFloorBenchmark.TABLE_SIZE];
    if (clocked) {
      EventKernelBenchmark.clockedDelays(rng, delays, priorities);
    } else {
      EventKernelBenchmark.uniformDelays(rng, delays, 20_000);
    }
    long[] log = new long[4 * EVENTS];
    int[] logged = new int[1];
    int[] starts = clocked ? new int[] {0, 17, 31} : new int[] {0};
    Recorder[] handlers = new Recorder[starts.length];
    for (int h = 0; h < starts.length; h++) {
      handlers[h] = new Recorder(target, delays, priorities, h, starts[h], log, logged);
    }
    for (int i = 0; i < pending; i++) {
      int slot = rng.nextInt(QueueFloorBenchmark.TABLE_SIZE);
      target.scheduleAt(delays[slot], priorities[slot], handlers[i % handlers.length], 0, i);
    }
    dispatch.run();
    assertEquals(EVENTS, logged[0]);
    return log;
  }

  private static long[] kernelLog(boolean clocked, int pending) {
    Simulator sim = new Simulator();
    Target target = new Target() {
      @Override
      public long now() {
        return sim.now();
      }

      @Override
      public void scheduleAt(long time, int priority, EventHandler handler, int kind, long arg) {
        sim.scheduleAt(time, priority, handler, kind, arg);
      }
    };
    return record(target, clocked, pending, () -> sim.run(Simulator.StopAt.events(EVENTS)));
  }

  private static long[] minimalQueueLog(boolean clocked, int pending) {
    MinimalCalendarQueue q = new MinimalCalendarQueue(pending);
    Target target = new Target() {
      @Override
      public long now() {
        return q.now();
      }

      @Override
      public void scheduleAt(long time, int priority, EventHandler handler, int kind, long arg) {
        q.scheduleAt(time, priority, handler, kind, arg);
      }
    };
    return record(target, clocked, pending, () -> q.dispatch(EVENTS));
  }

  @ParameterizedTest
  @ValueSource(ints = {10, 1000, 16000})
  void theMinimalCalendarQueueDispatchesInTheKernelsOrder(int pending) {
    for (boolean clocked : new boolean[] {true, false}) {
      assertArrayEquals(kernelLog(clocked, pending), minimalQueueLog(clocked, pending),
          (clocked ? "clocked" : "random") + " model, " + pending + " pending");
    }
  }

  @Test
  void theMinimalCalendarQueueRefusesWhatItCannotHold() {
    StrippedQueue q = new MinimalCalendarQueue(4);
    EventHandler ignore = (kind, arg) -> { };
    assertThrows(IllegalArgumentException.class, () -> q.scheduleAt(100_000, 0, ignore, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> q.scheduleAt(10, 2, ignore, 0, 0));
  }
}
