package org.dsasim.core.event;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The discrete-event kernel: a clock in picoseconds and the queue of pending events.
 *
 * <p>Simultaneous events run in (priority, insertion) order, so a run is a pure function of its
 * inputs. Run control: {@link #run} stops when the queue drains, at a time limit, after a number
 * of events, or when a condition becomes true (checked after each event); {@link #warmUp} runs a
 * warm-up phase and then tells the registered listeners to reset their statistics.
 */
public final class Simulator {
  /** Priority of events scheduled without one. */
  public static final int DEFAULT_PRIORITY = 0;

  private static final long DEFAULT_KEY_BASE = EventQueue.keyBase(DEFAULT_PRIORITY);

  private final EventQueue queue;
  private final List<Runnable> warmupListeners = new ArrayList<>();
  private long now;
  private long dispatched;
  private boolean stopRequested;
  private boolean running;
  private boolean warmedUp;
  private long warmupEndTime;

  public Simulator() {
    this(new EventQueue());
  }

  public Simulator(EventQueue queue) {
    this.queue = queue;
  }

  /** Current simulated time in picoseconds. */
  public long now() {
    return now;
  }

  /** Events dispatched since the simulator was created. */
  public long dispatched() {
    return dispatched;
  }

  public int pending() {
    return queue.size();
  }

  /** Schedules {@code handler.onEvent(kind, arg)} after {@code delay} ps, at the default priority. */
  public void schedule(long delay, EventHandler handler, int kind, long arg) {
    queue.addWithKeyBase(timeAfter(delay), DEFAULT_KEY_BASE, handler, kind, arg);
  }

  /** Schedules after {@code delay} ps with a priority (lower runs first among simultaneous events). */
  public void schedule(long delay, int priority, EventHandler handler, int kind, long arg) {
    queue.add(timeAfter(delay), priority, handler, kind, arg);
  }

  /** Schedules at an absolute time, which must not lie in the past, at the default priority. */
  public void scheduleAt(long time, EventHandler handler, int kind, long arg) {
    queue.addWithKeyBase(checkNotPast(time), DEFAULT_KEY_BASE, handler, kind, arg);
  }

  /** Schedules at an absolute time, which must not lie in the past. */
  public void scheduleAt(long time, int priority, EventHandler handler, int kind, long arg) {
    queue.add(checkNotPast(time), priority, handler, kind, arg);
  }

  private long timeAfter(long delay) {
    long time = now + delay;
    // one test catches both a negative delay and a sum past Long.MAX_VALUE
    if ((delay | time) < 0) {
      throw new IllegalArgumentException(delay < 0
          ? "negative delay " + delay + " ps"
          : "delay " + delay + " ps from " + now + " ps is beyond the end of time (2^63-1 ps)");
    }
    return time;
  }

  private long checkNotPast(long time) {
    if (time < now) {
      throw new IllegalArgumentException(
          "event scheduled in the past: at " + time + " ps, now " + now + " ps");
    }
    return time;
  }

  /** Asks the running loop to return after the current event. Ignored when not running. */
  public void stop() {
    stopRequested = true;
  }

  /** Called once when {@link #warmUp} ends, typically to reset statistics. */
  public void onWarmupEnd(Runnable listener) {
    if (warmedUp) {
      throw new IllegalStateException("the warm-up ended already, at " + warmupEndTime + " ps");
    }
    warmupListeners.add(listener);
  }

  /**
   * Runs the warm-up phase until {@code until} (inclusive, as {@link StopAt#time}) and then
   * notifies the warm-up listeners, once. The listeners also run if the phase ends early (the
   * queue drains, or {@link #stop} is called); {@link #warmupEndTime} says when it ended. A
   * simulation has at most one warm-up.
   */
  public RunResult warmUp(long until) {
    if (warmedUp) {
      throw new IllegalStateException("the warm-up ended already, at " + warmupEndTime + " ps");
    }
    RunResult r = run(StopAt.time(until));
    warmedUp = true;
    warmupEndTime = now;
    warmupListeners.forEach(Runnable::run);
    return r;
  }

  /** When the warm-up ended, so the start of the measured interval; 0 without a warm-up. */
  public long warmupEndTime() {
    return warmupEndTime;
  }

  /** Runs until the queue is empty. */
  public RunResult run() {
    return run(StopAt.never());
  }

  /**
   * Dispatches events in order until the queue drains or {@code stop} says so. After each event
   * the checks are, in this order: {@link #stop} was called, the event count is reached, the
   * condition holds. A time limit {@code T} dispatches every event at or before {@code T}
   * (including those scheduled at {@code T} by events at {@code T}) and leaves the clock at
   * {@code T}, also when the queue drains earlier; the other limits leave it at the last
   * event. Events left in the queue are dispatched by the next run.
   *
   * @throws IllegalArgumentException if the time limit lies before {@link #now}
   * @throws IllegalStateException if called from an event handler
   */
  public RunResult run(StopAt stop) {
    if (running) {
      throw new IllegalStateException("run() called from inside an event handler");
    }
    if (stop.maxTime < now) {
      throw new IllegalArgumentException(
          "stop time " + stop.maxTime + " ps lies before the current time " + now + " ps");
    }
    running = true;
    stopRequested = false;
    try {
      return loop(stop.maxTime, stop.maxEvents, stop.condition);
    } finally {
      running = false;
    }
  }

  private RunResult loop(long maxTime, long maxEvents, BooleanSupplier until) {
    EventQueue q = queue;
    long remaining = maxEvents; // Long.MAX_VALUE for no limit: never counts down to 0
    if (remaining == 0 && !q.isEmpty()) {
      return RunResult.EVENT_LIMIT;
    }
    EventHandler h;
    while ((h = q.pollFast(maxTime)) != null || (h = q.pollSlow(maxTime)) != null) {
      now = q.polledTime;
      dispatched++;
      h.onEvent(q.polledKind, q.polledArg);
      if (stopRequested) {
        return RunResult.STOPPED;
      }
      if (--remaining == 0) {
        return RunResult.EVENT_LIMIT;
      }
      if (until != null && until.getAsBoolean()) {
        return RunResult.CONDITION;
      }
    }
    // the queue is empty, or its next event lies after maxTime (so maxTime < Long.MAX_VALUE)
    if (maxTime != Long.MAX_VALUE) {
      now = maxTime;
    }
    return q.isEmpty() ? RunResult.DRAINED : RunResult.TIME_LIMIT;
  }

  /** Why {@link #run} returned. */
  public enum RunResult {
    DRAINED,
    TIME_LIMIT,
    EVENT_LIMIT,
    CONDITION,
    STOPPED
  }

  /** When a run stops, besides an empty queue. Combine limits with the {@code and*} methods. */
  public static final class StopAt {
    final long maxTime;
    final long maxEvents;
    final BooleanSupplier condition;

    private StopAt(long maxTime, long maxEvents, BooleanSupplier condition) {
      this.maxTime = maxTime;
      this.maxEvents = maxEvents;
      this.condition = condition;
    }

    public static StopAt never() {
      return new StopAt(Long.MAX_VALUE, Long.MAX_VALUE, null);
    }

    /** Dispatch events up to and including time {@code t}; the clock then reads {@code t}. */
    public static StopAt time(long t) {
      return never().andTime(t);
    }

    /** Dispatch at most {@code n} more events. */
    public static StopAt events(long n) {
      return never().andEvents(n);
    }

    /** Stop after the first event after which {@code c} holds. */
    public static StopAt when(BooleanSupplier c) {
      return never().andWhen(c);
    }

    public StopAt andTime(long t) {
      return new StopAt(t, maxEvents, condition);
    }

    public StopAt andEvents(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("negative event count " + n);
      }
      return new StopAt(maxTime, n, condition);
    }

    public StopAt andWhen(BooleanSupplier c) {
      return new StopAt(maxTime, maxEvents, c);
    }
  }
}
