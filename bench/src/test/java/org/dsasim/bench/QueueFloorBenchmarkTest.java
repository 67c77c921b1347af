package org.dsasim.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.dsasim.bench.QueueFloorBenchmark.CoreRescheduler;
import org.dsasim.bench.QueueFloorBenchmark.MemoryRescheduler;
import org.dsasim.bench.QueueFloorBenchmark.MinimalCalendarQueue;
import org.dsasim.bench.QueueFloorBenchmark.StrippedQueue;
import org.dsasim.bench.QueueFloorBenchmark.TimingWheel;
import org.dsasim.core.event.EventHandler;
import org.dsasim.core.event.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stripped-down ordered queues that bound the kernel's speed must order events exactly as the
 * kernel does, or the bound means nothing. Both run the benchmark's own set-up and handlers;
 * every event a handler schedules is logged with the time it was scheduled at, which is the time
 * of the event being dispatched, so equal logs mean equal dispatch orders.
 */
class QueueFloorBenchmarkTest {
  private static final int EVENTS = 200_000;

  /** The kernel behind the stripped queues' interface. */
  private static final class Kernel implements StrippedQueue {
    private final Simulator sim = new Simulator();

    @Override
    public long now() {
      return sim.now();
    }

    @Override
    public void scheduleAt(long time, int priority, EventHandler handler, int kind, long arg) {
      sim.scheduleAt(time, priority, handler, kind, arg);
    }

    @Override
    public long dispatch(int events) {
      sim.run(Simulator.StopAt.events(events));
      return sim.now();
    }
  }

  /** Logs (time, handler class, kind, argument) of each scheduling, then passes it on. */
  private static final class Recording implements StrippedQueue {
    private final StrippedQueue queue;
    private final long[] log;
    private int logged;

    /** For the schedulings of {@code pending} initial events and of {@link #EVENTS} dispatches. */
    Recording(StrippedQueue queue, int pending) {
      this.queue = queue;
      this.log = new long[4 * (pending + EVENTS)];
    }

    @Override
    public long now() {
      return queue.now();
    }

    @Override
    public void scheduleAt(long time, int priority, EventHandler handler, int kind, long arg) {
      int i = 4 * logged++;
      log[i] = time;
      log[i + 1] = handler instanceof CoreRescheduler ? 1 : handler instanceof MemoryRescheduler ? 2 : 0;
      log[i + 2] = kind;
      log[i + 3] = arg;
      queue.scheduleAt(time, priority, handler, kind, arg);
    }

    @Override
    public long dispatch(int events) {
      return queue.dispatch(events);
    }
  }

  private static long[] log(StrippedQueue queue, boolean clocked, int pending) {
    Recording recording = new Recording(queue, pending);
    new QueueFloorBenchmark.Model().populate(recording, clocked, pending, false);
    recording.dispatch(EVENTS);
    assertEquals(pending + EVENTS, recording.logged);
    return recording.log;
  }

  @ParameterizedTest
  @ValueSource(ints = {10, 1000, 16000})
  void theOrderedQueuesDispatchInTheKernelsOrder(int pending) {
    for (boolean clocked : new boolean[] {true, false}) {
      long[] kernel = log(new Kernel(), clocked, pending);
      String model = (clocked ? "clocked" : "random") + " model, " + pending + " pending";
      assertArrayEquals(kernel, log(new MinimalCalendarQueue(pending), clocked, pending),
          "calendar queue, " + model);
      assertArrayEquals(kernel, log(new TimingWheel(pending), clocked, pending),
          "timing wheel, " + model);
    }
  }

  @Test
  void nextSetBitFindsTheFirstBitFromAnyPositionAroundTheRing() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int trial = 0; trial < 200; trial++) {
      long[] words = new long[4];
      int bitsSet = trial % 5; // 0 to 4 bits over 256 positions
      for (int i = 0; i < bitsSet; i++) {
        int b = rng.nextInt(256);
        words[b >>> 6] |= 1L << b;
      }
      for (int from = 0; from < 256; from++) {
        int expected = QueueFloorBenchmark.NONE;
        for (int step = 0; step < 256; step++) { // a naive scan around the ring
          int b = (from + step) & 255;
          if ((words[b >>> 6] & (1L << b)) != 0) {
            expected = b;
            break;
          }
        }
        assertEquals(expected, QueueFloorBenchmark.nextSetBit(words, from), "from " + from);
      }
    }
  }

  @Test
  void theOrderedQueuesRefuseWhatTheyCannotHold() {
    for (StrippedQueue q : new StrippedQueue[] {new MinimalCalendarQueue(4), new TimingWheel(4)}) {
      EventHandler ignore = (kind, arg) -> { };
      assertThrows(IllegalArgumentException.class, () -> q.scheduleAt(100_000, 0, ignore, 0, 0));
      assertThrows(IllegalArgumentException.class, () -> q.scheduleAt(10, 2, ignore, 0, 0));
    }
  }
}
