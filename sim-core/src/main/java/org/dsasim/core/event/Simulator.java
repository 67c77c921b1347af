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

  private final EventQueue queue;
  private final List<Runnable> warmupListeners = new ArrayList<>();
  private long now;
  private long dispatched;
  private boolean stopRequested;

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

  /** Schedules {@code handler.onEvent(kind, arg)} after {@code delay} ps. */
  public void schedule(long delay, EventHandler handler, int kind, long arg) {
    scheduleAt(now + delay, DEFAULT_PRIORITY, handler, kind, arg);
  }

  /** Schedules at an absolute time, which must not lie in the past. */
  public void scheduleAt(long time, int priority, EventHandler handler, int kind, long arg) {
    if (time < now) {
      throw new IllegalArgumentException(
          "event scheduled in the past: at " + time + " ps, now " + now + " ps");
    }
    queue.add(time, priority, handler, kind, arg);
  }

  /** Asks the running loop to return after the current event. */
  public void stop() {
    stopRequested = true;
  }

  /** Called once when {@link #warmUp} ends, typically to reset statistics. */
  public void onWarmupEnd(Runnable listener) {
    warmupListeners.add(listener);
  }

  /** Runs until {@code until} (inclusive) and then notifies the warm-up listeners. */
  public RunResult warmUp(long until) {
    RunResult r = run(StopAt.time(until));
    warmupListeners.forEach(Runnable::run);
    return r;
  }

  /** Runs until the queue is empty. */
  public RunResult run() {
    return run(StopAt.never());
  }

  /** Runs until the queue drains or {@code stop} says so. */
  public RunResult run(StopAt stop) {
    stopRequested = false;
    long maxTime = stop.maxTime;
    long maxEvents = stop.maxEvents == Long.MAX_VALUE ? Long.MAX_VALUE : dispatched + stop.maxEvents;
    BooleanSupplier until = stop.condition;
    EventQueue q = queue;
    while (!q.isEmpty()) {
      long t = q.peekTime();
      if (t > maxTime) {
        now = maxTime;
        return RunResult.TIME_LIMIT;
      }
      EventHandler h = q.topHandler();
      int kind = q.topKind();
      long arg = q.topArg();
      q.removeTop();
      now = t;
      dispatched++;
      h.onEvent(kind, arg);
      if (stopRequested) {
        return RunResult.STOPPED;
      }
      if (dispatched >= maxEvents) {
        return RunResult.EVENT_LIMIT;
      }
      if (until != null && until.getAsBoolean()) {
        return RunResult.CONDITION;
      }
    }
    if (maxTime != Long.MAX_VALUE && now < maxTime) {
      now = maxTime;
    }
    return RunResult.DRAINED;
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
