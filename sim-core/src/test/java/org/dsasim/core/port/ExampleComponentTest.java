package org.dsasim.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.time.ClockDomain;
import org.dsasim.core.time.Time;
import org.junit.jupiter.api.Test;

/** The component example of docs/event-kernel.md, run and checked. */
class ExampleComponentTest {
  /** Answers each request a fixed number of its clock's cycles after it arrives. */
  static final class FixedLatencyMemory extends Component {
    private static final int RESPOND = 0; // event kind
    private final Messages msgs;
    private final ClockDomain clock;
    private final long cycles;
    private final Port cpuSide;

    FixedLatencyMemory(Simulator sim, String name, Messages msgs, ClockDomain clock, long cycles) {
      super(sim, name);
      this.msgs = msgs;
      this.clock = clock;
      this.cycles = cycles;
      // a request arrives: answer it on the clock edge `cycles` cycles after the next edge
      this.cpuSide = addPort("cpu_side",
          (at, m) -> sim.scheduleAt(clock.edgeAfter(sim.now(), cycles), this, RESPOND, m));
    }

    @Override
    public void onEvent(int kind, long arg) {
      int m = (int) arg; // the message handle travelled as the event's argument
      msgs.markResponse(m);
      cpuSide.send(m); // back over the link attached to cpu_side
    }
  }

  /** Sends requests and records their round-trip times. */
  static final class Requester extends Component {
    final List<Long> roundTrips = new ArrayList<>();
    private final Messages msgs;
    private final Port mem;

    Requester(Simulator sim, String name, Messages msgs) {
      super(sim, name);
      this.msgs = msgs;
      this.mem = addPort("mem", (at, m) -> {
        roundTrips.add(sim.now() - msgs.created(m));
        msgs.release(m);
      });
    }

    @Override
    public void onEvent(int kind, long arg) {
      mem.send(msgs.acquire(arg * 64, 64, Messages.READ, 0, 0, arg, sim.now()));
    }
  }

  @Test
  void roundTripIsWireLatencyAndClockAlignedService() {
    Simulator sim = new Simulator();
    Messages msgs = new Messages();
    ClockDomain hbm = new ClockDomain("hbm", 3.201e9);
    Requester cpu = new Requester(sim, "sys.cpu", msgs);
    FixedLatencyMemory mem = new FixedLatencyMemory(sim, "sys.mem", msgs, hbm, 100);
    Link.connect(sim, msgs, cpu.port("mem"), mem.port("cpu_side"), 20 * Time.NS, 64e9);
    Link.connect(sim, msgs, mem.port("cpu_side"), cpu.port("mem"), 20 * Time.NS, 64e9);
    long[] sendTimes = {0, 7_777, 123_456_789};
    for (int i = 0; i < sendTimes.length; i++) {
      sim.scheduleAt(sendTimes[i], cpu, 0, i);
    }
    sim.run();
    assertEquals(0, msgs.live());
    for (int i = 0; i < sendTimes.length; i++) {
      long arrival = sendTimes[i] + 1_000 + 20_000; // 64 B at 64 GB/s, then the latency
      // first edge at or after the arrival, then 100 cycles: edge n = round(n * 1e12 / 3.201e9)
      long n = 0;
      while (edge(n) < arrival) {
        n = Math.max(n + 1, n + (arrival - edge(n)) / 313);
      }
      long answered = edge(n + 100);
      assertEquals(answered + 1_000 + 20_000 - sendTimes[i], cpu.roundTrips.get(i), "request " + i);
    }
  }

  private static long edge(long n) {
    BigInteger hz = BigInteger.valueOf(3_201_000_000L);
    return BigInteger.valueOf(n).multiply(BigInteger.TEN.pow(12)).shiftLeft(1).add(hz)
        .divide(hz.shiftLeft(1)).longValueExact();
  }
}
