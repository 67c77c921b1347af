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
    long total = 0;
    for (Requester r : requesters) {
      total += r.total();
    }
    // steady state: between a quarter and nine tenths of the requests completed
    long warm = total / 4;
    long end = total * 9 / 10;
    sim.run(Simulator.StopAt.when(() -> completed() >= warm).andTime(limitPs));
    long t0 = sim.now();
    long b0 = bytesDone();
    sim.run(Simulator.StopAt.when(() -> completed() >= end).andTime(limitPs));
    steadyBandwidth = (bytesDone() - b0) / ((sim.now() - t0) / 1e12);
    sim.run(Simulator.StopAt.when(this::done).andTime(limitPs));
    if (!done()) {
      throw new AssertionError("traffic did not finish within " + limitPs + " ps");
    }
    return this;
  }

  private double steadyBandwidth;

  /**
   * Bytes per second in steady state: over the requests completed between a quarter and nine
   * tenths of the total, leaving out the ramp-up (the first loop latency) and the drain.
   */
  double steadyBandwidth() {
    return steadyBandwidth;
  }

  long completed() {
    long n = 0;
    for (Requester r : requesters) {
      n += r.completed();
    }
    return n;
  }

  long bytesDone() {
    long n = 0;
    for (Requester r : requesters) {
      n += r.bytesDone;
    }
    return n;
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

  /** Consecutive blocks of {@code bytes} from {@code base}, numbered per requester. */
  static LongUnaryOperator sequential(long base, int bytes) {
    return n -> base + n * bytes;
  }

  /**
   * One sequential stream shared by every requester given this operator: each new request takes
   * the next block, as the warps of a grid-stride loop do.
   */
  static LongUnaryOperator shared(long base, int bytes) {
    long[] next = {0};
    return n -> base + next[0]++ * bytes;
  }
}
