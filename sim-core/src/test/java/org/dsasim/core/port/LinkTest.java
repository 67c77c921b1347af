package org.dsasim.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.dsasim.core.event.Simulator;
import org.junit.jupiter.api.Test;

class LinkTest {
  private static final BigInteger PS_PER_S = BigInteger.TEN.pow(12);

  /** A component with one port that records what arrives. */
  static final class Endpoint extends Component {
    final Port io;
    final List<Integer> received = new ArrayList<>();
    final List<Long> arrivals = new ArrayList<>();

    Endpoint(Simulator sim, String name) {
      super(sim, name);
      io = addPort("io", (at, message) -> {
        received.add(message);
        arrivals.add(sim.now());
      });
    }
  }

  private static long ceilDiv(BigInteger a, long b) {
    BigInteger[] qr = a.divideAndRemainder(BigInteger.valueOf(b));
    return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
  }

  @Test
  void backToBackMessagesArriveAtTheSerialisationTimesPlusLatency() {
    Simulator sim = new Simulator();
    Messages msgs = new Messages();
    Endpoint a = new Endpoint(sim, "a");
    Endpoint b = new Endpoint(sim, "b");
    long latency = 250_000;
    long rate = 4_800_000_000_000L;
    Link.connect(sim, msgs, a.io, b.io, latency, rate);
    SplittableRandom rng = new SplittableRandom(1);
    int n = 5_000;
    List<Long> expected = new ArrayList<>();
    List<Long> returned = new ArrayList<>();
    long t0 = 1_000;
    sim.scheduleAt(t0, (kind, arg) -> {
      long cumulative = 0;
      for (int i = 0; i < n; i++) {
        int bytes = rng.nextInt(4) == 0 ? 656 : 64 * rng.nextInt(1, 5);
        cumulative += bytes;
        expected.add(t0 + ceilDiv(BigInteger.valueOf(cumulative).multiply(PS_PER_S), rate) + latency);
        returned.add(a.io.send(msgs.acquire(i, bytes, Messages.READ, 0, 0, i, t0)));
      }
    }, 0, 0);
    sim.run();
    assertEquals(expected, b.arrivals);
    assertEquals(expected, returned, "send() returns the arrival time");
    for (int i = 0; i < n; i++) {
      assertEquals(i, msgs.addr(b.received.get(i)), "FIFO order");
    }
    assertEquals(n, a.io.link().messagesSent());
  }

  @Test
  void aLinkIdleWhenAMessageIsSentStartsItThen() {
    Simulator sim = new Simulator();
    Messages msgs = new Messages();
    Endpoint a = new Endpoint(sim, "a");
    Endpoint b = new Endpoint(sim, "b");
    Link link = Link.connect(sim, msgs, a.io, b.io, 100, 64e9); // 1 B per 15.625 ps
    sendAt(sim, msgs, a, 0, 64); // on the wire 0..1000
    sendAt(sim, msgs, a, 500, 64); // waits for the wire: 1000..2000
    sendAt(sim, msgs, a, 2_500, 64); // idle wire: 2500..3500
    sendAt(sim, msgs, a, 3_600, 3); // 3600..3646.875
    sendAt(sim, msgs, a, 3_600, 3); // ..3693.75
    sendAt(sim, msgs, a, 3_650, 3); // busy until 3693.75, not 3694: ..3740.625
    sim.run();
    assertEquals(List.of(1_100L, 2_100L, 3_600L, 3_747L, 3_794L, 3_841L), b.arrivals);
    assertEquals(201, link.bytesSent());
    assertEquals(3_741, link.wireFreeAt());
  }

  private static void sendAt(Simulator sim, Messages msgs, Endpoint from, long time, int bytes) {
    sim.scheduleAt(time, (k, x) -> from.io.send(msgs.acquire(0, bytes, Messages.READ, 0, 0, 0, time)), 0, 0);
  }

  @Test
  void aLongStreamMovesExactlyTheBandwidth() {
    Simulator sim = new Simulator();
    Messages msgs = new Messages();
    Endpoint a = new Endpoint(sim, "a");
    Endpoint b = new Endpoint(sim, "b");
    double bandwidth = 4.8e12;
    long latency = 300_000;
    Link.connect(sim, msgs, a.io, b.io, latency, bandwidth);
    int n = 300_000;
    sim.scheduleAt(0, (kind, arg) -> {
      for (int i = 0; i < n; i++) {
        a.io.send(msgs.acquire(i, 64, Messages.READ, 0, 0, 0, 0));
      }
    }, 0, 0);
    sim.run();
    long wireTime = b.arrivals.get(n - 1) - latency;
    assertEquals(4_000_000, wireTime); // 19.2 MB at 4.8 TB/s: 4 us, where 14 ps per message gives 4.2
    assertEquals(bandwidth, n * 64.0 * 1e12 / wireTime, 1e-6 * bandwidth);
  }

  @Test
  void inFlightLimitBlocksTheSenderAndCreditsWakeIt() {
    Simulator sim = new Simulator();
    Messages msgs = new Messages();
    Endpoint b = new Endpoint(sim, "b");
    int window = 4;
    long latency = 10_000;
    List<Long> credits = new ArrayList<>();
    int total = 50;
    int[] sent = {0};
    int[] maxInFlight = {0};
    Component sender = new Component(sim, "sender") {
      final Port out = addPort("out", (at, m) -> {});
      Link link;

      void pump() {
        while (sent[0] < total && out.canSend()) {
          out.send(msgs.acquire(sent[0]++, 64, Messages.WRITE, 1, 0, 0, sim.now()));
          maxInFlight[0] = Math.max(maxInFlight[0], link.inFlight());
        }
      }

      @Override
      public void onEvent(int kind, long arg) {
        link = new Link(sim, msgs, out, b.io, latency, 64e9, window);
        out.onCredit(() -> {
          credits.add(sim.now());
          pump();
        });
        pump();
        assertFalse(out.canSend());
        assertThrows(IllegalStateException.class, () -> out.send(msgs.acquire()));
      }
    };
    sim.scheduleAt(0, sender, 0, 0);
    sim.run();
    assertEquals(total, b.received.size());
    assertEquals(window, maxInFlight[0]);
    // a credit comes with each delivery from a full link (the sender keeps it full until it runs
    // out of messages, so also the first delivery after its last send), at the delivery's time
    assertEquals(total - window + 1, credits.size());
    for (int i = 0; i < credits.size(); i++) {
      assertEquals(b.arrivals.get(i), credits.get(i));
    }
    // message k >= window is sent when message k - window arrives, and 64 B take 1000 ps
    for (int k = window; k < total; k++) {
      long sentAt = b.arrivals.get(k - window);
      long wireFree = b.arrivals.get(k - 1) - latency; // the previous message left the wire then
      assertEquals(Math.max(sentAt, wireFree) + 1_000 + latency, b.arrivals.get(k), "message " + k);
    }
    for (int k = 0; k < total; k++) {
      assertEquals(k, msgs.addr(b.received.get(k)));
    }
    assertEquals(total + 1, msgs.live(), "the receiver keeps what it got, plus the refused handle");
  }

  @Test
  void latencyOnlyLinkAndSameTimeOrder() {
    Simulator sim = new Simulator();
    Messages msgs = new Messages();
    Endpoint a = new Endpoint(sim, "a");
    Endpoint b = new Endpoint(sim, "b");
    Link link = Link.connect(sim, msgs, a.io, b.io, 0, Double.POSITIVE_INFINITY);
    sim.scheduleAt(42, (k, x) -> {
      for (int i = 0; i < 100; i++) {
        a.io.send(msgs.acquire(i, 1 << 20, Messages.READ, 0, 0, 0, 0));
      }
    }, 0, 0);
    sim.run();
    assertEquals(100, b.arrivals.size());
    assertTrue(b.arrivals.stream().allMatch(t -> t == 42));
    for (int i = 0; i < 100; i++) {
      assertEquals(i, msgs.addr(b.received.get(i)));
    }
    assertEquals(Double.POSITIVE_INFINITY, link.bandwidth());
    assertEquals(0, link.latency());
    assertEquals(Integer.MAX_VALUE, link.maxInFlight());
  }

  @Test
  void wiringMistakesAreReported() {
    Simulator sim = new Simulator();
    Messages msgs = new Messages();
    Endpoint a = new Endpoint(sim, "sys.a");
    Endpoint b = new Endpoint(sim, "sys.b");
    assertEquals("sys.a.io", a.io.name());
    assertFalse(a.io.isConnected());
    IllegalStateException unconnected =
        assertThrows(IllegalStateException.class, () -> a.io.send(msgs.acquire()));
    assertTrue(unconnected.getMessage().contains("sys.a.io"), unconnected.getMessage());
    Link.connect(sim, msgs, a.io, b.io, 1, 1e9);
    assertThrows(IllegalStateException.class, () -> Link.connect(sim, msgs, a.io, b.io, 1, 1e9));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> a.port("mem"));
    assertTrue(missing.getMessage().contains("[io]"), missing.getMessage());
    assertEquals(a.io, a.port("io"));
    assertThrows(IllegalArgumentException.class, () -> new Component(sim, "c") {
      {
        addPort("x", (at, m) -> {});
        addPort("x", (at, m) -> {});
      }
    });
    assertThrows(IllegalArgumentException.class, () -> new Link(sim, msgs, b.io, a.io, -1, 1e9, 1));
    assertThrows(IllegalArgumentException.class, () -> new Link(sim, msgs, b.io, a.io, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Link(sim, msgs, b.io, a.io, 1, 1e9, 0));
    assertFalse(b.io.isConnected(), "a rejected link does not connect the port");
    IllegalStateException unhandled =
        assertThrows(IllegalStateException.class, () -> a.onEvent(3, 0));
    assertTrue(unhandled.getMessage().contains("sys.a"), unhandled.getMessage());
  }
}
