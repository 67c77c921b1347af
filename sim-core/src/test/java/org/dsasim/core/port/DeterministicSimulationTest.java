package org.dsasim.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.event.Simulator.StopAt;
import org.junit.jupiter.api.Test;

/**
 * A small randomized memory system (requesters issuing reads and writes over links with limited
 * credits to memories that answer after a random service time) run twice from the same seed must
 * produce the same trace of every event and message, and a different seed a different one.
 */
class DeterministicSimulationTest {
  private static final int ISSUE = 0;
  private static final int RESPOND = 1;

  /** Per-run state: the trace and the pool. */
  private static final class World {
    final Simulator sim = new Simulator();
    final Messages msgs = new Messages(16);
    final List<String> trace = new ArrayList<>();

    void log(String who, String what, int m) {
      trace.add(sim.now() + " " + who + " " + what + " " + msgs.addr(m) + "/" + msgs.bytes(m)
          + "/" + msgs.command(m) + "/" + msgs.tag(m));
    }
  }

  private static final class Requester extends Component {
    final World w;
    final SplittableRandom rng;
    final Port mem;
    final int id;
    int outstanding;
    int issued;
    final int toIssue;

    Requester(World w, int id, long seed, int toIssue) {
      super(w.sim, "req" + id);
      this.w = w;
      this.id = id;
      this.rng = new SplittableRandom(seed);
      this.toIssue = toIssue;
      this.mem = addPort("mem", (at, m) -> {
        w.log(name(), "got", m);
        w.msgs.release(m);
        outstanding--;
      });
      mem.onCredit(() -> sim.schedule(0, rng.nextInt(3), this, ISSUE, 0));
    }

    @Override
    public void onEvent(int kind, long arg) {
      if (issued == toIssue || !mem.canSend()) {
        return;
      }
      int m = w.msgs.acquire(rng.nextLong(1L << 30) & ~63L, rng.nextBoolean() ? 64 : 656,
          rng.nextInt(4) == 0 ? Messages.WRITE : Messages.READ, 0, id, issued, sim.now());
      w.log(name(), "send", m);
      mem.send(m);
      issued++;
      outstanding++;
      sim.schedule(rng.nextInt(4) * 505L, rng.nextInt(3) - 1, this, ISSUE, 0);
    }
  }

  /** Serves requests after a random time and sends the response back on its reply port. */
  private static final class Memory extends Component {
    final World w;
    final SplittableRandom rng;
    final Port in;
    final List<Port> replies = new ArrayList<>();

    Memory(World w, int id, long seed) {
      super(w.sim, "mem" + id);
      this.w = w;
      this.rng = new SplittableRandom(seed);
      this.in = addPort("in", (at, m) -> {
        w.log(name(), "serve", m);
        sim.schedule(20_000 + rng.nextInt(200) * 312L, rng.nextInt(2), this, RESPOND, m);
      });
    }

    Port addReplyPort(int requester) {
      Port p = addPort("reply" + requester, (at, m) -> {});
      replies.add(p);
      return p;
    }

    @Override
    public void onEvent(int kind, long arg) {
      int m = (int) arg;
      w.msgs.markResponse(m);
      w.log(name(), "respond", m);
      replies.get(w.msgs.source(m)).send(m);
    }
  }

  private static World simulate(long seed) {
    World w = new World();
    SplittableRandom rng = new SplittableRandom(seed);
    int requesters = 6;
    int memories = 3;
    List<Memory> mems = new ArrayList<>();
    for (int i = 0; i < memories; i++) {
      mems.add(new Memory(w, i, rng.nextLong()));
    }
    for (int r = 0; r < requesters; r++) {
      Requester q = new Requester(w, r, rng.nextLong(), 300);
      Memory target = mems.get(r % memories);
      new Link(w.sim, w.msgs, q.mem, target.in, 1_000 + rng.nextInt(5_000), 64e9 * (1 + rng.nextInt(4)),
          1 + rng.nextInt(8));
      // every memory gets a reply port per requester, so that source ids index them
      for (Memory m : mems) {
        Port reply = m.addReplyPort(r);
        if (m == target) {
          Link.connect(w.sim, w.msgs, reply, q.mem, 2_000, 128e9);
        }
      }
      w.sim.scheduleAt(rng.nextInt(10_000), q, ISSUE, 0);
    }
    w.sim.run(StopAt.time(1_000_000_000));
    return w;
  }

  @Test
  void sameSeedGivesTheSameTraceAndADifferentSeedDoesNot() {
    World a = simulate(7);
    World b = simulate(7);
    World c = simulate(8);
    assertTrue(a.trace.size() > 5_000, "the simulation did something: " + a.trace.size());
    assertEquals(a.trace, b.trace);
    assertEquals(a.sim.dispatched(), b.sim.dispatched());
    assertNotEquals(a.trace, c.trace);
    assertEquals(0, a.msgs.live(), "every request was answered and released");
    assertEquals(6 * 300 * 4, a.trace.size(), "send, serve, respond, got for every request");
  }
}
