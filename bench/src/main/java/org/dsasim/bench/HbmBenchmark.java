package org.dsasim.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Link;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
import org.dsasim.mem.hbm.HbmConfig;
import org.dsasim.mem.hbm.HbmMemory;
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
 * Simulated HBM requests per wall-clock second: uniformly random aligned reads over 16 GiB,
 * issued by 32 requesters that keep enough requests in flight to hold the device at its
 * random-access limit (about half the peak for 64 B reads), with refresh on. One operation is
 * one request completed, from the requester's send to its response.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HbmBenchmark {
  private static final int BATCH = 20_000;
  private static final int REQUESTERS = 32;

  @Param({"h200", "hbm3"})
  public String preset;

  @Param({"64"})
  public int bytes;

  private Simulator sim;
  private long completed;

  /** Issues random reads forever, keeping {@code window} in flight. */
  private final class RandomReader extends Component {
    private final Messages messages;
    private final HbmMemory hbm;
    private final Port out;
    private final int id;
    private final int window;
    private final SplittableRandom rng;
    private final long blocks;
    private int outstanding;
    private long pending = -1;
    private boolean waiting;

    RandomReader(Simulator sim, Messages messages, HbmMemory hbm, int id, int window) {
      super(sim, "reader" + id);
      this.messages = messages;
      this.hbm = hbm;
      this.id = id;
      this.window = window;
      this.rng = new SplittableRandom(1000 + id);
      this.blocks = (16L << 30) / bytes;
      out = addPort("out", (at, m) -> {});
      Port in = addPort("in", (at, m) -> {
        messages.release(m);
        outstanding--;
        completed++;
        issue();
      });
      Link.connect(sim, messages, out, hbm.port("req"), 0, Double.POSITIVE_INFINITY);
      hbm.connectRequester(id, in, 0, Double.POSITIVE_INFINITY);
    }

    void issue() {
      while (!waiting && outstanding < window) {
        if (pending < 0) {
          pending = rng.nextLong(blocks) * bytes;
        }
        if (!hbm.tryReserve(pending, bytes, false)) {
          waiting = true;
          hbm.awaitSlot(pending, false, this, 0, 0);
          return;
        }
        out.send(messages.acquire(pending, bytes, Messages.READ, 0, id, 0, sim.now()));
        pending = -1;
        outstanding++;
      }
    }

    @Override
    public void onEvent(int kind, long arg) {
      waiting = false;
      issue();
    }
  }

  @Setup(Level.Trial)
  public void build() {
    sim = new Simulator();
    Messages messages = new Messages(1 << 16);
    HbmConfig cfg = HbmConfig.preset(preset);
    HbmMemory hbm = new HbmMemory(sim, messages, "hbm", cfg);
    // twice the peak-bandwidth x loop-latency product in flight (Little's law)
    double loop = (cfg.controller().frontendLatencyPs() + 100_000) / 1e12;
    int inFlight = (int) (2 * cfg.peakBytesPerSecond() * loop / bytes);
    for (int r = 0; r < REQUESTERS; r++) {
      new RandomReader(sim, messages, hbm, r, Math.max(1, inFlight / REQUESTERS)).issue();
    }
    runBatch(); // reach steady state
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long randomReads() {
    return runBatch();
  }

  private long runBatch() {
    long target = completed + BATCH;
    sim.run(Simulator.StopAt.when(() -> completed >= target));
    return sim.now();
  }
}
