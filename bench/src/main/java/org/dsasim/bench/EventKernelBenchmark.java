package org.dsasim.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.dsasim.core.event.EventHandler;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.event.Simulator.StopAt;
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
 * Throughput of the event kernel: events scheduled and dispatched per second.
 *
 * <p>Both models keep a fixed population of {@code pending} events (the classic "hold" model):
 * every dispatched event schedules one new event, so each operation is one removal plus one
 * insertion at a realistic queue size. Delays come from a precomputed table of seeded
 * pseudo-random values so that generating them costs nothing.
 *
 * <ul>
 *   <li>{@code holdRandomDelay}: one handler class, delays uniform in [1 ps, 20 ns], so ties are
 *       rare.
 *   <li>{@code clockedComponents}: three handler classes (the dispatch call site is megamorphic,
 *       as in a real model); delays are whole cycles (1 to 64) of a 1.98 GHz core clock or a
 *       3.201 GHz memory clock, with priority 0 or 1, so many events share a clock edge.
 *   <li>{@code sparseLongLatencies}: the regime of the decode simulation itself, which keeps
 *       about 10 events pending (up to a few hundred) with delays of up to microseconds (HBM and
 *       launch latencies): one handler class, delays uniform in [1 ps, 4 us].
 * </ul>
 *
 * One operation is one dispatched event, so the score in ops/s is events per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EventKernelBenchmark {
  static final int EVENTS_PER_INVOCATION = 1 << 20;
  static final int TABLE_SIZE = 1 << 16;
  /** The longest delay of {@code holdRandomDelay}, 20 ns (shared with QueueFloorBenchmark). */
  static final long DENSE_MAX_DELAY_PS = 20_000;

  /** Common set-up: a simulator holding {@link #pending()} events. */
  @State(Scope.Thread)
  public abstract static class Model {
    final Simulator sim = new Simulator();
    final long[] delays = new long[TABLE_SIZE];
    final int[] priorities = new int[TABLE_SIZE];

    @Setup(Level.Trial)
    public void populate() {
      SplittableRandom rng = new SplittableRandom(42);
      fillTables(rng);
      EventHandler[] handlers = handlers();
      for (int i = 0; i < pending(); i++) {
        int slot = rng.nextInt(TABLE_SIZE);
        sim.scheduleAt(delays[slot], priorities[slot], handlers[i % handlers.length], 0, i);
      }
    }

    abstract int pending();

    abstract void fillTables(SplittableRandom rng);

    /** One handler class, unless a model needs several. */
    EventHandler[] handlers() {
      return new EventHandler[] {new Rescheduler(this, 0)};
    }
  }

  /** The benchmark's populations of the short-delay models. */
  public abstract static class DenseModel extends Model {
    @Param({"1000", "4000", "16000"})
    int pending;

    @Override
    int pending() {
      return pending;
    }
  }

  public static class RandomDelayModel extends DenseModel {
    @Override
    void fillTables(SplittableRandom rng) {
      uniformDelays(rng, delays, DENSE_MAX_DELAY_PS);
    }
  }

  public static class ClockedModel extends DenseModel {
    @Override
    void fillTables(SplittableRandom rng) {
      clockedDelays(rng, delays, priorities);
    }

    @Override
    EventHandler[] handlers() {
      return new EventHandler[] {
        new Rescheduler(this, 0), new CoreRescheduler(this, 17), new MemoryRescheduler(this, 31)
      };
    }
  }

  public static class SparseModel extends Model {
    @Param({"10", "100"})
    int pendingSparse;

    @Override
    int pending() {
      return pendingSparse;
    }

    @Override
    void fillTables(SplittableRandom rng) {
      uniformDelays(rng, delays, 4_000_000);
    }
  }

  /** Delays uniform in [1 ps, {@code maxPs}]; the priorities stay 0. */
  static void uniformDelays(SplittableRandom rng, long[] delays, long maxPs) {
    for (int i = 0; i < delays.length; i++) {
      delays[i] = 1 + rng.nextLong(maxPs);
    }
  }

  /** Whole cycles (1 to 64) of a 1.98 GHz or a 3.201 GHz clock, at priority 0 or 1. */
  static void clockedDelays(SplittableRandom rng, long[] delays, int[] priorities) {
    for (int i = 0; i < delays.length; i++) {
      long cycles = 1 + rng.nextInt(64);
      // 1.98 GHz: 505.0505 ps; 3.201 GHz: 312.4024 ps (whole cycles, rounded to the ps)
      delays[i] = rng.nextBoolean()
          ? (cycles * 1_000_000 + 990) / 1980
          : (cycles * 1_000_000 + 1600) / 3201;
      priorities[i] = rng.nextInt(2);
    }
  }

  /** Schedules its next event after the next delay of the table, at the table's priority. */
  static class Rescheduler implements EventHandler {
    private final Simulator sim;
    private final long[] delays;
    private final int[] priorities;
    private int next;

    Rescheduler(Model model, int start) {
      this.sim = model.sim;
      this.delays = model.delays;
      this.priorities = model.priorities;
      this.next = start;
    }

    @Override
    public void onEvent(int kind, long arg) {
      int i = next++ & (TABLE_SIZE - 1);
      sim.scheduleAt(sim.now() + delays[i], priorities[i], this, kind, arg);
    }
  }

  /** Distinct classes so that the kernel's dispatch site sees several receiver types. */
  static final class CoreRescheduler extends Rescheduler {
    CoreRescheduler(Model model, int start) {
      super(model, start);
    }

    @Override
    public void onEvent(int kind, long arg) {
      super.onEvent(kind + 1, arg);
    }
  }

  static final class MemoryRescheduler extends Rescheduler {
    MemoryRescheduler(Model model, int start) {
      super(model, start);
    }

    @Override
    public void onEvent(int kind, long arg) {
      super.onEvent(kind, arg + 1);
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS_PER_INVOCATION)
  public long holdRandomDelay(RandomDelayModel model) {
    model.sim.run(StopAt.events(EVENTS_PER_INVOCATION));
    return model.sim.now();
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS_PER_INVOCATION)
  public long clockedComponents(ClockedModel model) {
    model.sim.run(StopAt.events(EVENTS_PER_INVOCATION));
    return model.sim.now();
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS_PER_INVOCATION)
  public long sparseLongLatencies(SparseModel model) {
    model.sim.run(StopAt.events(EVENTS_PER_INVOCATION));
    return model.sim.now();
  }
}
