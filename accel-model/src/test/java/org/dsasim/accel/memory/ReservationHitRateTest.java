package org.dsasim.accel.memory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dsasim.accel.TestConfigs;
import org.dsasim.accel.kernel.KvLayout;
import org.dsasim.accel.kernel.TrafficClass;
import org.dsasim.core.config.Config;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Link;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
import org.junit.jupiter.api.Test;

/**
 * The KV reservation of the fast memory model on an LRU-friendly workload: gathers issued one at
 * a time (so the order of accesses does not depend on timing), at growing reservation sizes.
 */
class ReservationHitRateTest {
  private static final int ENTRY = 656;

  /** Issues the next gather when the previous one has returned. */
  private static final class Requester extends Component {
    final Port port;
    final long[] addrs;
    final Messages messages;
    int next;

    Requester(Simulator sim, Messages messages, long[] addrs) {
      super(sim, "requester");
      this.messages = messages;
      this.addrs = addrs;
      this.port = addPort("mem", (p, m) -> {
        messages.release(m);
        issue();
      });
    }

    void issue() {
      if (next < addrs.length) {
        port.send(messages.acquire(addrs[next++], ENTRY, Messages.READ, TrafficClass.KV_GATHER, 0,
            0, sim.now()));
      }
    }
  }

  private static double reservedHitRate(long reservedBytes, long[] addrs, KvLayout kv) {
    Config cfg = TestConfigs.with();
    Simulator sim = new Simulator();
    Messages messages = new Messages();
    PartitionedLlcMemory mem =
        new PartitionedLlcMemory(sim, "mem", messages, 1, cfg, 0, reservedBytes, ENTRY);
    mem.setKvLayout(kv);
    Requester r = new Requester(sim, messages, addrs);
    Link.connect(sim, messages, r.port, mem.smSide(0), 0, Double.POSITIVE_INFINITY);
    Link.connect(sim, messages, mem.smSide(0), r.port, 0, Double.POSITIVE_INFINITY);
    r.issue();
    sim.run();
    return mem.stats().reservedHitRate();
  }

  @Test
  void moreReservationNeverLowersTheReservedHitRate() {
    KvLayout kv = new KvLayout(0, 2, 4, 8192, ENTRY);
    SplittableRandom rng = new SplittableRandom(3);
    long[] addrs = new long[30_000];
    int[] recent = new int[512];
    for (int i = 0; i < addrs.length; i++) {
      int token = rng.nextInt(3) == 0 ? rng.nextInt(8192) : recent[rng.nextInt(recent.length)];
      recent[i % recent.length] = token;
      addrs[i] = kv.address(rng.nextInt(2), rng.nextInt(4), token);
    }
    double previous = -1;
    for (long mib = 0; mib <= 24; mib += 4) {
      double rate = reservedHitRate(mib << 20, addrs, kv);
      assertTrue(rate >= previous, mib + " MiB: " + rate + " < " + previous);
      previous = rate;
    }
    assertTrue(previous > 0.3, "a reservation holding the working set hits often: " + previous);
  }
}
