package org.dsasim.mem.llc;

import java.util.Map;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Link;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
import org.dsasim.mem.energy.EnergyModel;
import org.dsasim.mem.energy.EnergyParams;
import org.dsasim.mem.interconnect.Credits;
import org.dsasim.mem.interconnect.Crossbar;
import org.dsasim.mem.interconnect.CrossbarParams;
import org.dsasim.mem.reservation.KvLayout;

/**
 * The cache level as a block: compute-unit groups -> crossbar -> LLC slices -> memory. Groups
 * attach with {@link #connectGroup} and send while they hold {@link #credits}; the memory (the HBM
 * controller, or a {@link FixedLatencyMemory}) attaches to the LLC's {@code mem_side} with
 * {@link #connectMemory}.
 */
public final class LlcSystem {
  private final Llc llc;
  private final Crossbar crossbar;
  private final Simulator sim;
  private final Messages messages;

  /** Builds {@code <prefix>.llc} and {@code <prefix>.xbar} and connects them. */
  public LlcSystem(
      Simulator sim,
      Messages messages,
      String prefix,
      LlcParams params,
      LlcScheme scheme,
      KvLayout layout,
      CrossbarParams interconnect) {
    this(sim, messages, prefix, params, scheme, layout, interconnect,
        LinePlacement.hashed(params.slices(), params.setsPerSlice()));
  }

  /** As above, with the LLC's lines placed by {@code placement}. */
  public LlcSystem(
      Simulator sim,
      Messages messages,
      String prefix,
      LlcParams params,
      LlcScheme scheme,
      KvLayout layout,
      CrossbarParams interconnect,
      LinePlacement placement) {
    this.sim = sim;
    this.messages = messages;
    this.llc = new Llc(sim, prefix + ".llc", messages, params, scheme, layout, placement);
    this.crossbar = new Crossbar(sim, prefix + ".xbar", messages, interconnect, llc);
    crossbar.connectSlices(llc.cpuSidePorts(), llc.allCredits());
    sim.onWarmupEnd(crossbar::resetStats);
  }

  public Llc llc() {
    return llc;
  }

  public Crossbar crossbar() {
    return crossbar;
  }

  /** Connects a compute-unit group's port (requests out, responses in). */
  public void connectGroup(int group, Port requesterPort) {
    crossbar.connectGroup(group, requesterPort);
  }

  /**
   * Gives the slices remote input queues, with {@code reservedMshrs} MSHRs per slice kept for
   * them, and connects them to the crossbar's remote lanes (see {@link Llc}); then
   * {@link #connectRemoteGroup} attaches other partitions.
   */
  public void acceptRemoteRequests(int reservedMshrs) {
    llc.acceptRemoteRequests(reservedMshrs);
    crossbar.connectRemoteSlices(llc.remoteSidePorts(), llc.remoteCredits());
  }

  /** Connects the port through which another partition sends its requests homed here. */
  public void connectRemoteGroup(int group, Port partitionPort) {
    crossbar.connectRemoteGroup(group, partitionPort);
  }

  /** The credits group {@code group} must hold to send a request. */
  public Credits credits(int group) {
    return crossbar.credits(group);
  }

  /**
   * Connects the LLC's memory side to {@code memoryPort} both ways, each way with
   * {@code latencyPs} and {@code bandwidth} (bytes/s); at most {@code maxInFlight} requests on the
   * way to memory at once (the memory's back-pressure).
   */
  public void connectMemory(Port memoryPort, long latencyPs, double bandwidth, int maxInFlight) {
    new Link(sim, messages, llc.memSide(), memoryPort, latencyPs, bandwidth, maxInFlight);
    new Link(sim, messages, memoryPort, llc.memSide(), latencyPs, bandwidth, Integer.MAX_VALUE);
  }

  /**
   * Sends the LLC's memory requests to a memory that reserves queue space per request (the HBM
   * model's protocol), with {@code latencyPs} and {@code bandwidth}. The memory connects its
   * responses to {@code llc().memSide()} itself (the HBM model's {@code connectRequester} with the
   * LLC's {@code memorySourceId}).
   */
  public void connectMemoryRequests(
      Port requestPort, MemoryFlowControl control, long latencyPs, double bandwidth) {
    llc.useMemoryFlowControl(control);
    Link.connect(sim, messages, llc.memSide(), requestPort, latencyPs, bandwidth);
  }

  /**
   * Adds the LLC's statistics under {@code <prefix>.llc}, the crossbar's under
   * {@code <prefix>.xbar} and the energy of both and of memory under {@code <prefix>.energy}
   * ({@code hbmActivations} from the memory model, 0 without one).
   */
  public void exportStats(
      String prefix, EnergyParams energy, long hbmActivations, Map<String, Number> out) {
    llc.exportStats(prefix + ".llc", out);
    crossbar.exportStats(prefix + ".xbar", out);
    EnergyModel.report(energy, LlcEnergy.traffic(llc.stats(), crossbar, hbmActivations),
        prefix + ".energy", out);
  }
}
