package org.dsasim.mem.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Messages;
import org.dsasim.mem.energy.EnergyParams;
import org.dsasim.mem.interconnect.Crossbar;
import org.dsasim.mem.interconnect.CrossbarParams;
import org.dsasim.mem.llc.FixedLatencyMemory;
import org.dsasim.mem.llc.Llc;
import org.dsasim.mem.llc.LlcParams;
import org.dsasim.mem.llc.LlcScheme;
import org.dsasim.mem.llc.LlcSystem;
import org.dsasim.mem.reservation.KvLayout;

/**
 * Requesters -> crossbar -> LLC -> fixed-latency memory, wired for tests. Requests go through a
 * crossbar (zero latency and unlimited bandwidth unless given) so any slice count works.
 */
public final class Rig {
  public final Simulator sim = new Simulator();
  public final Messages messages = new Messages();
  public final LlcSystem system;
  public final Llc llc;
  public final Crossbar crossbar;
  public final FixedLatencyMemory memory;
  public final Requester[] requesters;

  public Rig(
      LlcParams params,
      LlcScheme scheme,
      KvLayout layout,
      CrossbarParams xbar,
      long memoryLatencyPs,
      double memoryBandwidth,
      long memoryLinkLatencyPs,
      int memoryMaxInFlight) {
    system = new LlcSystem(sim, messages, "system", params, scheme, layout, xbar);
    llc = system.llc();
    crossbar = system.crossbar();
    memory = new FixedLatencyMemory(sim, "system.mem", messages, memoryLatencyPs, memoryBandwidth);
    system.connectMemory(memory.port(), memoryLinkLatencyPs, Double.POSITIVE_INFINITY,
        memoryMaxInFlight);
    requesters = new Requester[xbar.groups()];
    for (int g = 0; g < requesters.length; g++) {
      requesters[g] = new Requester(sim, "system.cu" + g, messages, g);
      system.connectGroup(g, requesters[g].port());
      requesters[g].useCredits(system.credits(g));
    }
  }

  /** One requester, an ideal crossbar, memory of {@code memoryLatencyPs}, unlimited bandwidth. */
  public static Rig simple(LlcParams params, LlcScheme scheme, KvLayout layout,
      long memoryLatencyPs) {
    return new Rig(params, scheme, layout, idealCrossbar(1), memoryLatencyPs,
        Double.POSITIVE_INFINITY, 0, Integer.MAX_VALUE);
  }

  public static CrossbarParams idealCrossbar(int groups) {
    return new CrossbarParams(groups, 0, 0, 0, Double.POSITIVE_INFINITY,
        Double.POSITIVE_INFINITY, 1 << 16);
  }

  public Requester cu() {
    return requesters[0];
  }

  /** Runs until nothing is pending. */
  public void drain() {
    sim.run();
  }

  /** Sends one read through requester 0 and runs to completion; returns its id. */
  public int readNow(long address, int bytes, int cls) {
    int id = cu().read(address, bytes, cls);
    sim.run();
    return id;
  }

  public int writeNow(long address, int bytes, int cls) {
    int id = cu().write(address, bytes, cls);
    sim.run();
    return id;
  }

  public long total(int counter) {
    return llc.stats().total(counter);
  }

  public Map<String, Number> statsMap() {
    Map<String, Number> out = new LinkedHashMap<>();
    system.exportStats("system", EnergyParams.defaults(), 0, out);
    return out;
  }

  /** Small LLC params for tests: {@code slices} x {@code sets} x {@code ways} x 128 B lines. */
  public static LlcParams small(int slices, int setsPerSlice, int ways) {
    return LlcParams.h200()
        .withCapacity((long) slices * setsPerSlice * ways * 128, ways, slices)
        .withLatencies(10_000, 2_000, 3_000)
        .withMshrs(16, 8, 16)
        .withMemoryPathBandwidth(Double.POSITIVE_INFINITY);
  }
}
