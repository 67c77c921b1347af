package org.dsasim.mem.hbm;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Messages;

/** Builds a device with several requesters, runs them to completion and reports bandwidth. */
final class Traffic {
  final Simulator sim = new Simulator();
  final Messages messages = new Messages(4096);
  final HbmMemory hbm;
  final List<Requester> requesters = new ArrayList<>();

  Traffic(HbmConfig config) {
    hbm = new HbmMemory(sim, messages, "hbm", config);
  }

  Requester add(LongUnaryOperator address, int bytes, long total, int window, long writeEvery) {
    Requester r = new Requester(sim, messages, hbm, requesters.size(), address, bytes, total,
        window, writeEvery);
    requesters.add(r);
    return r;
  }

  /** Runs until every requester is done; fails after {@code limitPs} of simulated time. */
  Traffic run(long limitPs) {
    requesters.forEach(Requester::start);
    sim.run(Simulator.StopAt.when(this::done).andTime(limitPs));
    if (!done()) {
      throw new AssertionError("traffic did not finish within " + limitPs + " ps");
    }
    return this;
  }

  boolean done() {
    for (Requester r : requesters) {
      if (!r.done()) {
        return false;
      }
    }
    return true;
  }

  /** Bytes per second over all requesters, from the first issue to the last completion. */
  double bandwidth() {
    long first = Long.MAX_VALUE;
    long last = 0;
    long bytes = 0;
    for (Requester r : requesters) {
      first = Math.min(first, r.firstIssuePs);
      last = Math.max(last, r.lastCompletionPs);
      bytes += r.bytesDone;
    }
    return bytes / ((last - first) / 1e12);
  }

  /** Uniformly random aligned addresses of {@code bytes} over {@code span} bytes. */
  static LongUnaryOperator random(long seed, long span, int bytes) {
    SplittableRandom rng = new SplittableRandom(seed);
    long blocks = span / bytes;
    return n -> rng.nextLong(blocks) * bytes;
  }

  /** Consecutive blocks of {@code bytes} from {@code base}. */
  static LongUnaryOperator sequential(long base, int bytes) {
    return n -> base + n * bytes;
  }
}
