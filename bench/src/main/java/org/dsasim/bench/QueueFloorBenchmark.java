package org.dsasim.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.dsasim.core.event.EventHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * How fast any queue of the kernel's kind can go on {@link EventKernelBenchmark}'s dense models on
 * this machine: the same hold models, delay tables and handler classes, run on two stripped-down
 * queues instead of the kernel's {@code Simulator}. Neither is for use in a simulation.
 *
 * <ul>
 *   <li>{@link MinimalCalendarQueue}: the structure the kernel settles on for these models, without
 *       its generality: a fixed ring of 32-ps buckets, each opened into one first-in-first-out list
 *       per (picosecond, priority), priorities 0 and 1 only, no events beyond the ring's 65-ns
 *       horizon, no re-sizing, no statistics, no run control beyond an event count. It dispatches
 *       in the kernel's exact order (time, priority, insertion), which a test checks.
 *   <li>{@link TimingWheel}: no buckets to open: a ring of one-picosecond slots over the same
 *       horizon, each with a first-in-first-out list per priority that events are appended to
 *       when they are scheduled, and a bitmap of the non-empty slots. It dispatches in the same
 *       order. It trades the opening pass for list heads spread over 512 KB.
 *   <li>{@link Fifo}: no ordering at all; events are dispatched in the order they were scheduled.
 *       What the dispatch loop, the handlers and the call through the handler interface cost
 *       by themselves.
 * </ul>
 *
 * The kernel's events per second divided by these say how much its generality costs, and whether
 * a target is within reach of this kind of queue at all.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class QueueFloorBenchmark {
  static final int EVENTS_PER_INVOCATION = EventKernelBenchmark.EVENTS_PER_INVOCATION;
  static final int TABLE_SIZE = EventKernelBenchmark.TABLE_SIZE;

  /** A queue that handlers schedule into and that dispatches a number of events. */
  interface StrippedQueue {
    long now();

    void scheduleAt(long time, int priority, EventHandler handler, int kind, long arg);

    /** Dispatches {@code events} events; returns the time of the last. */
    long dispatch(int events);
  }

  /** The model of {@link EventKernelBenchmark}'s dense cells on one of the stripped queues. */
  @State(Scope.Thread)
  public static class Model {
    @Param({"clocked", "random"})
    String delays;

    @Param({"1000", "4000", "16000"})
    int pending;

    @Param({"calendar", "wheel", "fifo"})
    String queue;

    StrippedQueue q;

    @Setup(Level.Trial)
    public void populate() {
      boolean fifo = queue.equals("fifo");
      StrippedQueue q = switch (queue) {
        case "calendar" -> new MinimalCalendarQueue(pending);
        case "wheel" -> new TimingWheel(pending);
        case "fifo" -> new Fifo(pending);
        default -> throw new IllegalArgumentException("queue " + queue);
      };
      populate(q, delays.equals("clocked"), pending, fifo);
    }

    /**
     * Fills the tables as {@link EventKernelBenchmark} does (same seed, same order of draws) and
     * schedules {@code pending} events. Their handlers take turns, as in the kernel's benchmark,
     * unless {@code shuffledHandlers}: a first-in-first-out queue would then call them in a
     * repeating order, which the processor predicts, while an ordered queue calls them in an
     * order it cannot predict. A seeded random choice keeps the floor honest about that call.
     */
    void populate(StrippedQueue queue, boolean clocked, int pending, boolean shuffledHandlers) {
      q = queue;
      SplittableRandom rng = new SplittableRandom(42);
      long[] delays = new long[TABLE_SIZE];
      int[] priorities = new int[TABLE_SIZE];
      if (clocked) {
        EventKernelBenchmark.clockedDelays(rng, delays, priorities);
      } else {
        EventKernelBenchmark.uniformDelays(rng, delays, 20_000);
      }
      EventHandler[] handlers = clocked
          ? new EventHandler[] {
              new Rescheduler(q, delays, priorities, 0),
              new CoreRescheduler(q, delays, priorities, 17),
              new MemoryRescheduler(q, delays, priorities, 31)}
          : new EventHandler[] {new Rescheduler(q, delays, priorities, 0)};
      SplittableRandom handlerChoice = new SplittableRandom(7);
      for (int i = 0; i < pending; i++) {
        int slot = rng.nextInt(TABLE_SIZE);
        int h = shuffledHandlers ? handlerChoice.nextInt(handlers.length) : i % handlers.length;
        q.scheduleAt(delays[slot], priorities[slot], handlers[h], 0, i);
      }
    }
  }

  /** As {@link EventKernelBenchmark}'s handler of the same name, on a stripped queue. */
  static class Rescheduler implements EventHandler {
    private final StrippedQueue q;
    private final long[] delays;
    private final int[] priorities;
    private int next;

    Rescheduler(StrippedQueue q, long[] delays, int[] priorities, int start) {
      this.q = q;
      this.delays = delays;
      this.priorities = priorities;
      this.next = start;
    }

    @Override
    public void onEvent(int kind, long arg) {
      int i = next++ & (TABLE_SIZE - 1);
      q.scheduleAt(q.now() + delays[i], priorities[i], this, kind, arg);
    }
  }

  static final class CoreRescheduler extends Rescheduler {
    CoreRescheduler(StrippedQueue q, long[] delays, int[] priorities, int start) {
      super(q, delays, priorities, start);
    }

    @Override
    public void onEvent(int kind, long arg) {
      super.onEvent(kind + 1, arg);
    }
  }

  static final class MemoryRescheduler extends Rescheduler {
    MemoryRescheduler(StrippedQueue q, long[] delays, int[] priorities, int start) {
      super(q, delays, priorities, start);
    }

    @Override
    public void onEvent(int kind, long arg) {
      super.onEvent(kind, arg + 1);
    }
  }

  /**
   * A calendar queue reduced to what the dense models need; see the class comment. Events live in
   * slots of primitive arrays (time, priority, argument, kind) with a link array, as in the kernel.
   */
  static final class MinimalCalendarQueue implements StrippedQueue {
    private static final int NONE = -1;
    private static final int SHIFT = 5; // 32-ps buckets: 32 ps x 2 priorities = 64 lists
    private static final int RING = 2048; // 65.5 ns of buckets
    private final long[] slotData;
    private final EventHandler[] slotHandler;
    private final int[] slotNext;
    private int freeSlot;
    private final int[] bucketHead = new int[RING];
    private final long[] bucketNonEmpty = new long[RING / 64];
    private int ringCount;
    private long cur = -1;
    private final int[] listHead = new int[64];
    private final int[] listTail = new int[64];
    private long listMask;
    private long listStart;
    private long now;

    MinimalCalendarQueue(int pending) {
      int capacity = pending + 1;
      slotData = new long[4 * capacity];
      slotHandler = new EventHandler[capacity];
      slotNext = new int[capacity];
      for (int s = 0; s < capacity; s++) {
        slotNext[s] = s + 1 < capacity ? s + 1 : NONE;
      }
      Arrays.fill(bucketHead, NONE);
    }

    @Override
    public long now() {
      return now;
    }

    @Override
    public void scheduleAt(long time, int priority, EventHandler handler, int kind, long arg) {
      long bucket = time >> SHIFT;
      if (time < now || bucket - cur >= RING || (priority & ~1) != 0 || freeSlot == NONE) {
        throw new IllegalArgumentException("outside what this queue holds: time " + time
            + " ps at " + now + " ps, priority " + priority);
      }
      int s = freeSlot;
      freeSlot = slotNext[s];
      int d = 4 * s;
      slotData[d] = time;
      slotData[d + 1] = priority;
      slotData[d + 2] = arg;
      slotData[d + 3] = kind;
      if (slotHandler[s] != handler) {
        slotHandler[s] = handler;
      }
      if (bucket > cur) {
        int b = (int) bucket & (RING - 1);
        int head = bucketHead[b];
        slotNext[s] = head;
        bucketHead[b] = s;
        if (head == NONE) {
          bucketNonEmpty[b >>> 6] |= 1L << b;
        }
        ringCount++;
      } else {
        // the current bucket: after the events of its (picosecond, priority) list
        int o = (int) ((time - listStart) << 1) | priority;
        long bit = 1L << o;
        if ((listMask & bit) == 0) {
          listHead[o] = s;
          listMask |= bit;
        } else {
          slotNext[listTail[o]] = s;
        }
        slotNext[s] = NONE;
        listTail[o] = s;
      }
    }

    @Override
    public long dispatch(int events) {
      for (int e = 0; e < events; e++) {
        long m = listMask;
        if (m == 0) {
          m = openNextBucket();
        }
        int o = Long.numberOfTrailingZeros(m);
        int s = listHead[o];
        int next = slotNext[s];
        listHead[o] = next;
        listMask = next == NONE ? m & (m - 1) : m;
        int d = 4 * s;
        now = slotData[d];
        long arg = slotData[d + 2];
        int kind = (int) slotData[d + 3];
        slotNext[s] = freeSlot;
        freeSlot = s;
        slotHandler[s].onEvent(kind, arg);
      }
      return now;
    }

    /**
     * Moves the next non-empty bucket's events to the lists: each is put in front of its list, and
     * the bucket's list holds the latest insertion first, so each list ends up oldest first.
     */
    private long openNextBucket() {
      if (ringCount == 0) {
        throw new IllegalStateException("no events left");
      }
      int from = (int) (cur + 1) & (RING - 1);
      int word = from >>> 6;
      long bits = bucketNonEmpty[word] & (-1L << from);
      while (bits == 0) {
        word = (word + 1) & (RING / 64 - 1);
        bits = bucketNonEmpty[word];
      }
      int b = (word << 6) | Long.numberOfTrailingZeros(bits);
      cur += 1 + ((b - from) & (RING - 1));
      bucketNonEmpty[word] &= ~(1L << b);
      long start = cur << SHIFT;
      long mask = 0;
      int s = bucketHead[b];
      bucketHead[b] = NONE;
      while (s != NONE) {
        int next = slotNext[s];
        int d = 4 * s;
        int o = (int) ((slotData[d] - start) << 1) | (int) slotData[d + 1];
        long bit = 1L << o;
        if ((mask & bit) == 0) {
          slotNext[s] = NONE;
          listTail[o] = s;
          mask |= bit;
        } else {
          slotNext[s] = listHead[o];
        }
        listHead[o] = s;
        ringCount--;
        s = next;
      }
      listMask = mask;
      listStart = start;
      return mask;
    }
  }

  /**
   * A timing wheel of one-picosecond slots, reduced like {@link MinimalCalendarQueue}: priorities 0
   * and 1, events within 65,536 ps of now, no re-sizing. Slot t keeps the head and tail of one
   * first-in-first-out list per priority side by side (one cache line holds four slots' lists),
   * so an event is appended where it belongs when it is scheduled and nothing is sorted later.
   */
  static final class TimingWheel implements StrippedQueue {
    private static final int NONE = -1;
    private static final int SLOTS = 1 << 16;
    /** (slot, priority) list heads and tails: lists[4 t + 2 p] is the head, the next the tail. */
    private final int[] lists = new int[4 * SLOTS];
    private final long[] slotNonEmpty = new long[SLOTS / 64];
    private final long[] eventTime;
    private final long[] eventArg;
    private final int[] eventKind;
    private final EventHandler[] eventHandler;
    private final int[] eventNext;
    private int freeEvent;
    /** The slot being dispatched: every pending event lies at or after it. */
    private long cur;
    private long now;

    TimingWheel(int pending) {
      int capacity = pending + 1;
      eventTime = new long[capacity];
      eventArg = new long[capacity];
      eventKind = new int[capacity];
      eventHandler = new EventHandler[capacity];
      eventNext = new int[capacity];
      for (int e = 0; e < capacity; e++) {
        eventNext[e] = e + 1 < capacity ? e + 1 : NONE;
      }
      Arrays.fill(lists, NONE);
    }

    @Override
    public long now() {
      return now;
    }

    @Override
    public void scheduleAt(long time, int priority, EventHandler handler, int kind, long arg) {
      if (time < now || time - cur >= SLOTS || (priority & ~1) != 0 || freeEvent == NONE) {
        throw new IllegalArgumentException("outside what this queue holds: time " + time
            + " ps at " + now + " ps, priority " + priority);
      }
      int e = freeEvent;
      freeEvent = eventNext[e];
      eventTime[e] = time;
      eventArg[e] = arg;
      eventKind[e] = kind;
      if (eventHandler[e] != handler) {
        eventHandler[e] = handler;
      }
      int slot = (int) time & (SLOTS - 1);
      int list = 4 * slot + 2 * priority;
      eventNext[e] = NONE;
      if (lists[list] == NONE) {
        lists[list] = e;
        slotNonEmpty[slot >>> 6] |= 1L << slot;
      } else {
        eventNext[lists[list + 1]] = e;
      }
      lists[list + 1] = e;
    }

    @Override
    public long dispatch(int events) {
      for (int n = 0; n < events; n++) {
        int list = 4 * ((int) cur & (SLOTS - 1));
        int e = lists[list];
        if (e == NONE) {
          list += 2;
          e = lists[list];
          if (e == NONE) {
            list = advance();
            e = lists[list];
          }
        }
        lists[list] = eventNext[e];
        now = eventTime[e];
        eventNext[e] = freeEvent;
        freeEvent = e;
        eventHandler[e].onEvent(eventKind[e], eventArg[e]);
      }
      return now;
    }

    /** The current slot is used up: moves to the next non-empty one; returns its first list. */
    private int advance() {
      int slot = (int) cur & (SLOTS - 1);
      int word = slot >>> 6;
      slotNonEmpty[word] &= ~(1L << slot);
      long bits = slotNonEmpty[word] & (-1L << slot); // the bits above slot's: it is clear now
      while (bits == 0) {
        word = (word + 1) & (SLOTS / 64 - 1);
        bits = slotNonEmpty[word];
        if (word == slot >>> 6 && bits == 0) {
          throw new IllegalStateException("no events left");
        }
      }
      int next = (word << 6) | Long.numberOfTrailingZeros(bits);
      cur += (next - slot) & (SLOTS - 1);
      int list = 4 * next;
      return lists[list] != NONE ? list : list + 2;
    }
  }

  /** Dispatches in scheduling order: a ring buffer of events, nothing else. */
  static final class Fifo implements StrippedQueue {
    private final long[] time;
    private final long[] arg;
    private final int[] kind;
    private final int[] priority;
    private final EventHandler[] handler;
    private final int mask;
    private int head;
    private int tail;
    private long now;

    Fifo(int pending) {
      int capacity = Integer.highestOneBit(pending) * 2;
      time = new long[capacity];
      arg = new long[capacity];
      kind = new int[capacity];
      priority = new int[capacity];
      handler = new EventHandler[capacity];
      mask = capacity - 1;
    }

    @Override
    public long now() {
      return now;
    }

    @Override
    public void scheduleAt(long t, int p, EventHandler h, int k, long a) {
      if (tail - head > mask) {
        throw new IllegalStateException("full");
      }
      int i = tail++ & mask;
      time[i] = t;
      arg[i] = a;
      kind[i] = k;
      priority[i] = p; // stored, not used: the other queues store it too
      handler[i] = h;
    }

    @Override
    public long dispatch(int events) {
      for (int e = 0; e < events; e++) {
        int i = head++ & mask;
        now = time[i];
        handler[i].onEvent(kind[i], arg[i]);
      }
      return now;
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS_PER_INVOCATION)
  public long hold(Model model) {
    return model.q.dispatch(EVENTS_PER_INVOCATION);
  }
}
