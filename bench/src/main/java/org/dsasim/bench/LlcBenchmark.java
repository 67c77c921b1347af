package org.dsasim.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
import org.dsasim.mem.interconnect.Credits;
import org.dsasim.mem.interconnect.CrossbarParams;
import org.dsasim.mem.llc.FixedLatencyMemory;
import org.dsasim.mem.llc.LlcParams;
import org.dsasim.mem.llc.LlcScheme;
import org.dsasim.mem.llc.LlcSystem;
import org.dsasim.mem.llc.TrafficClass;
import org.dsasim.mem.reservation.KvLayout;
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
 * Simulated LLC accesses per wall-clock second through the timed LLC: 8 compute-unit groups
 * issuing 64-B KV-gather reads through the crossbar into the H200-like LLC (96 slices, 60 MiB)
 * over a 350-ns, 4.8-TB/s memory, each group keeping as many requests in flight as its credits
 * allow. {@code hit-heavy}: a warmed 8 MiB footprint; {@code miss-heavy}: random lines of a
 * 16 GiB footprint. {@code scheme}: no reservation, or a 30 MiB token-LRU reservation (every
 * access then also goes through the reservation's directory).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LlcBenchmark {
  static final int ACCESSES = 200_000;
  static final int GROUPS = 8;

  @Param({"hit-heavy", "miss-heavy"})
  public String pattern;

  @Param({"none", "token-lru"})
  public String scheme;

  private Simulator sim;
  private Driver[] drivers;

  @Setup(Level.Trial)
  public void build() {
    sim = new Simulator();
    Messages messages = new Messages(4096);
    // 8 sequences x 61 layers x 131072 tokens x 656 B = 42 GB of KV buffer
    KvLayout layout = new KvLayout(0, 8, 61, 131_072, 656);
    LlcScheme llcScheme = LlcScheme.named(scheme, 30L << 20, layout);
    CrossbarParams xbar = new CrossbarParams(GROUPS, 20_000, 20_000, 62_000, 128e9, 256e9, 64);
    LlcSystem system = new LlcSystem(sim, messages, "system", LlcParams.h200(), llcScheme,
        layout, xbar);
    FixedLatencyMemory memory =
        new FixedLatencyMemory(sim, "system.hbm", messages, 350_000, 4.8e12);
    system.connectMemory(memory.port(), 0, Double.POSITIVE_INFINITY, Integer.MAX_VALUE);
    boolean hits = pattern.equals("hit-heavy");
    long footprint = hits ? 8L << 20 : 16L << 30;
    drivers = new Driver[GROUPS];
    for (int g = 0; g < GROUPS; g++) {
      drivers[g] = new Driver(sim, "system.cu" + g, messages, footprint, new SplittableRandom(g),
          system.credits(g));
      system.connectGroup(g, drivers[g].port);
    }
    if (hits) {
      for (int i = 0; i < 4; i++) {
        run(); // warm the footprint: 800,000 random accesses over its 131,072 blocks
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(ACCESSES)
  public long accesses() {
    return run();
  }

  private long run() {
    for (Driver d : drivers) {
      d.start(ACCESSES / GROUPS);
    }
    sim.run();
    long done = 0;
    for (Driver d : drivers) {
      done += d.completed;
    }
    return done;
  }

  /** Keeps its credits' worth of reads of random 64-B blocks of a footprint in flight. */
  static final class Driver extends Component {
    final Port port;
    private final Messages messages;
    private final long blocks;
    private final SplittableRandom random;
    private final Credits credits;
    private int remaining;
    long completed;

    Driver(Simulator sim, String name, Messages messages, long footprint, SplittableRandom random,
        Credits credits) {
      super(sim, name);
      this.messages = messages;
      this.blocks = footprint / 64;
      this.random = random;
      this.credits = credits;
      this.port = addPort("mem", (at, m) -> {
        messages.release(m);
        completed++;
      });
      credits.onAvailable(this::pump);
    }

    void start(int n) {
      remaining = n;
      pump();
    }

    private void pump() {
      while (remaining > 0 && credits.available()) {
        credits.take();
        int m = messages.acquire(random.nextLong(blocks) * 64, 64, Messages.READ,
            TrafficClass.KV_GATHER, 0, 0, sim.now());
        remaining--;
        port.send(m);
      }
    }
  }
}
