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
 *   <li>{@link TimingWheel}: no buckets to open: a ring of one-picosecond positions over the same
 *       horizon, each with a first-in-first-out list per priority that events are appended to
 *       when they are scheduled, and a bitmap of the non-empty positions. It dispatches in the same
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
  /** The end of a list of event slots. */
  static final int NONE = -1;

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
      StrippedQueue stripped = switch (queue) {
        case "calendar" -> new MinimalCalendarQueue(pending);
        case "wheel" -> new TimingWheel(pending);
        case "fifo" -> new Fifo(pending);
        default -> throw new IllegalArgumentException("queue " + queue);
      };
      populate(stripped, delays.equals("clocked"), pending, fifo);
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
        EventKernelBenchmark.uniformDelays(rng, delays, EventKernelBenchmark.DENSE_MAX_DELAY_PS);
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

  /**
   * The event slots of the ordered stripped queues, laid out as the kernel's: time, priority,
   * argument and kind side by side (half a cache line per event), the handlers and the links of
   * the queue's lists and of the free list in arrays of their own.
   */
  static final class Slots {
    static final int TIME = 0;
    static final int PRIORITY = 1;
    static final int ARG = 2;
    static final int KIND = 3;
    final long[] data;
    final EventHandler[] handler;
    /** The next slot in the slot's list; the free list hands out the lowest slot first. */
    final int[] next;
    private int free;

    Slots(int capacity) {
      data = new long[4 * capacity];
      handler = new EventHandler[capacity];
      next = new int[capacity];
      for (int s = 0; s < capacity; s++) {
        next[s] = s + 1 < capacity ? s + 1 : NONE;
      }
    }

    boolean full() {
      return free == NONE;
    }

    /** Stores an event in a free slot, which it returns. Not full. */
    int store(long time, int priority, EventHandler h, int kind, long arg) {
      int s = free;
      free = next[s];
      int d = 4 * s;
      data[d + TIME] = time;
      data[d + PRIORITY] = priority;
      data[d + ARG] = arg;
      data[d + KIND] = kind;
      if (handler[s] != h) { // as the kernel: no store, and no write barrier, for the same handler
        handler[s] = h;
      }
      return s;
    }

    /** Frees slot {@code s} and calls its event's handler, which may take the slot again. */
    void dispatch(int s) {
      int d = 4 * s;
      next[s] = free;
      free = s;
      handler[s].onEvent((int) data[d + KIND], data[d + ARG]);
    }
  }

  /**
   * The first set bit at or after {@code from} in a circular bitmap of {@code words.length} words
   * (a power of two), wrapping past its end; NONE when no bit is set.
   */
  static int nextSetBit(long[] words, int from) {
    int word = from >>> 6;
    long bits = words[word] & (-1L << from);
    for (int scanned = 0; bits == 0; scanned++) {
      if (scanned == words.length) {
        return NONE; // back at the first word, read whole this time
      }
      word = (word + 1) & (words.length - 1);
      bits = words[word];
    }
    return (word << 6) | Long.numberOfTrailingZeros(bits);
  }

  /** What the two ordered stripped queues share: their slots, their clock, their limits. */
  abstract static class OrderedQueue implements StrippedQueue {
    final Slots slots;
    final long[] slotData;
    final int[] slotNext;
    long now;

    OrderedQueue(int pending) {
      slots = new Slots(pending + 1);
      slotData = slots.data;
      slotNext = slots.next;
    }

    @Override
    public final long now() {
      return now;
    }

    /**
     * Stores an event in a free slot and returns it, or refuses an event the queue is not built
     * to hold: in the past, not {@code withinHorizon}, of a priority other than 0 or 1, or one
     * more than its slots.
     */
    final int store(boolean withinHorizon, long time, int priority, EventHandler handler,
        int kind, long arg) {
      if (time < now || !withinHorizon || (priority & ~1) != 0 || slots.full()) {
        throw new IllegalArgumentException("outside what this queue holds: time " + time
            + " ps at " + now + " ps, priority " + priority);
      }
      return slots.store(time, priority, handler, kind, arg);
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
   * A calendar queue reduced to what the dense models need; see the class comment. Its events
   * live in {@link Slots}, as the kernel's do.
   */
  static final class MinimalCalendarQueue extends OrderedQueue {
    private static final int SHIFT = 5; // 32-ps buckets: 32 ps x 2 priorities = 64 lists
    private static final int RING = 2048; // 65.5 ns of buckets
    private final int[] bucketHead = new int[RING];
    private final long[] bucketNonEmpty = new long[RING / 64];
    private long cur = -1;
    private final int[] listHead = new int[64];
    private final int[] listTail = new int[64];
    private long listMask;
    private long listStart;

    MinimalCalendarQueue(int pending) {
      super(pending);
      Arrays.fill(bucketHead, NONE);
    }

    @Override
    public void scheduleAt(long time, int priority, EventHandler handler, int kind, long arg) {
      long bucket = time >> SHIFT;
      int s = store(bucket - cur < RING, time, priority, handler, kind, arg);
      if (bucket > cur) {
        int b = (int) bucket & (RING - 1);
        int head = bucketHead[b];
        slotNext[s] = head;
        bucketHead[b] = s;
        if (head == NONE) {
          bucketNonEmpty[b >>> 6] |= 1L << b;
        }
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
        now = slotData[4 * s + Slots.TIME];
        slots.dispatch(s);
      }
      return now;
    }

    /**
     * Moves the next non-empty bucket's events to the lists: each is put in front of its list, and
     * the bucket's list holds the latest insertion first, so each list ends up oldest first.
     */
    private long openNextBucket() {
      int from = (int) (cur + 1) & (RING - 1);
      int b = nextSetBit(bucketNonEmpty, from);
      if (b == NONE) {
        throw new IllegalStateException("no events left");
      }
      cur += 1 + ((b - from) & (RING - 1));
      bucketNonEmpty[b >>> 6] &= ~(1L << b);
      long start = cur << SHIFT;
      long mask = 0;
      int s = bucketHead[b];
      bucketHead[b] = NONE;
      while (s != NONE) {
        int next = slotNext[s];
        int d = 4 * s;
        int o = (int) ((slotData[d + Slots.TIME] - start) << 1)
            | (int) slotData[d + Slots.PRIORITY];
        long bit = 1L << o;
        if ((mask & bit) == 0) {
          slotNext[s] = NONE;
          listTail[o] = s;
          mask |= bit;
        } else {
          slotNext[s] = listHead[o];
        }
        listHead[o] = s;
        s = next;
      }
      listMask = mask;
      listStart = start;
      return mask;
    }
  }

  /**
   * A timing wheel of one-picosecond positions, reduced like {@link MinimalCalendarQueue}:
   * priorities 0 and 1, events within 65,536 ps of now, no re-sizing. Position t keeps the head and
   * tail of one first-in-first-out list per priority side by side (one cache line holds four
   * positions' lists), so an event is appended where it belongs when it is scheduled and nothing is
   * sorted later.
   */
  static final class TimingWheel extends OrderedQueue {
    private static final int SPAN = 1 << 16;
    /** Heads and tails of the (picosecond t, priority p) lists: lists[4 t + 2 p], then its tail. */
    private final int[] lists = new int[4 * SPAN];
    private final long[] picosecondNonEmpty = new long[SPAN / 64];
    /** The picosecond being dispatched: every pending event lies at or after it. */
    private long cur;

    TimingWheel(int pending) {
      super(pending);
      Arrays.fill(lists, NONE);
    }

    @Override
    public void scheduleAt(long time, int priority, EventHandler handler, int kind, long arg) {
      int e = store(time - cur < SPAN, time, priority, handler, kind, arg);
      int ps = (int) time & (SPAN - 1);
      int list = 4 * ps + 2 * priority;
      slotNext[e] = NONE;
      if (lists[list] == NONE) {
        lists[list] = e;
        picosecondNonEmpty[ps >>> 6] |= 1L << ps;
      } else {
        slotNext[lists[list + 1]] = e;
      }
      lists[list + 1] = e;
    }

    @Override
    public long dispatch(int events) {
      for (int n = 0; n < events; n++) {
        int list = 4 * ((int) cur & (SPAN - 1));
        int e = lists[list];
        if (e == NONE) {
          list += 2;
          e = lists[list];
          if (e == NONE) {
            list = advance();
            e = lists[list];
          }
        }
        lists[list] = slotNext[e];
        now = slotData[4 * e + Slots.TIME];
        slots.dispatch(e);
      }
      return now;
    }

    /** The current picosecond is used up: moves to the next non-empty one; returns its 1st list. */
    private int advance() {
      int ps = (int) cur & (SPAN - 1);
      picosecondNonEmpty[ps >>> 6] &= ~(1L << ps);
      int next = nextSetBit(picosecondNonEmpty, ps);
      if (next == NONE) {
        throw new IllegalStateException("no events left");
      }
      cur += (next - ps) & (SPAN - 1);
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
