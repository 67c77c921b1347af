package org.dsasim.mem.hbm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Link;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
import org.dsasim.core.time.ClockDomain;

/** Sends single 32 B reads at chosen times and records when each (by tag) comes back. */
final class Probe extends Component {
  final Messages messages = new Messages();
  final HbmMemory hbm;
  private final Port out;
  /** {tag, response time, latency} per response, in arrival order. */
  final List<long[]> done = new ArrayList<>();

  Probe(Simulator sim, HbmConfig config) {
    super(sim, "probe");
    hbm = new HbmMemory(sim, messages, "hbm", config);
    out = addPort("out", (at, m) -> {});
    Port in = addPort("in", (at, m) -> {
      done.add(new long[] {messages.tag(m), sim.now(), sim.now() - messages.created(m)});
      messages.release(m);
    });
    Link.connect(sim, messages, out, hbm.port("req"), 0, Double.POSITIVE_INFINITY);
    hbm.connectRequester(0, in, 0, Double.POSITIVE_INFINITY);
  }

  /** Schedules a read of 32 B at {@code addr} at time {@code at}. */
  void read(long addr, long tag, long at) {
    sim.scheduleAt(at, 0, (k, a) -> {
      if (!hbm.tryReserve(addr, 32, false)) {
        throw new AssertionError("the probe's single request was refused");
      }
      out.send(messages.acquire(addr, 32, Messages.READ, 0, 0, tag, sim.now()));
    }, 0, 0);
  }

  /** Reads at time {@code at}, runs until the device is idle, and returns the latency. */
  long readAt(long addr, long at) {
    read(addr, done.size(), at);
    sim.run();
    return done.get(done.size() - 1)[2];
  }

  /**
   * Reads at the clock edge 1000 cycles after the last activity (so that no earlier command
   * constrains it) and returns the latency minus {@code frontendPs}, in cycles.
   */
  long readCycles(long addr, ClockDomain ck, long frontendPs) {
    long start = ck.cyclesAt(sim.now()) + 1000;
    long latency = readAt(addr, ck.ticks(start)) - frontendPs;
    long end = ck.cyclesAt(ck.ticks(start) + latency);
    assertEquals(ck.ticks(end), ck.ticks(start) + latency, "responses leave on a clock edge");
    return end - start;
  }
}
