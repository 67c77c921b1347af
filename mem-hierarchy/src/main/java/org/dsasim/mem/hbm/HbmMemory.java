package org.dsasim.mem.hbm;

import java.util.Arrays;
import java.util.List;
import org.dsasim.core.event.EventHandler;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Link;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
import org.dsasim.mem.llc.MemoryFlowControl;

/**
 * An HBM device: one {@link HbmController} per pseudo-channel behind an address-routing front
 * end. This is what the rest of the system talks to.
 *
 * <p><b>Sending a request</b> (for example an LLC miss): the requester connects a link to
 * {@code port("req")} and registers its own response port once with {@link #connectRequester}.
 * For each request of {@code bytes} at {@code addr} (inside one {@link #contiguousBytes()} block)
 * it calls {@link #tryReserve}; on success it sends a pooled message ({@link Messages#acquire},
 * command READ or WRITE, {@code source} = its requester id) through its link. On failure it calls
 * {@link #awaitSlot} and retries when its event fires. The response is the same message with
 * {@link Messages#RESPONSE} set, delivered to the requester's response port when the data is
 * back; the requester releases it.
 */
public final class HbmMemory extends Component implements MemoryFlowControl {
  private final Messages messages;
  private final HbmConfig config;
  private final HbmTiming timing;
  private final AddressMapping mapping;
  private final HbmController[] controllers;
  private Port[] responsePorts = new Port[0];

  public HbmMemory(Simulator sim, Messages messages, String name, HbmConfig config) {
    super(sim, name);
    this.messages = messages;
    this.config = config;
    HbmOrganization org = config.organization();
    ControllerParams params = config.controller();
    this.timing = config.timing();
    this.mapping = AddressMappings.create(params.addressMapping(), org, params.interleaveBytes());
    List<TimingConstraint> table = HbmConstraintTable.build(timing);
    BurstCounter bursts = new BurstCounter();
    controllers = new HbmController[org.pseudoChannels()];
    addPort("req", (at, m) -> controllerFor(messages.addr(m)).accept(m));
    for (int i = 0; i < controllers.length; i++) {
      int ch = i / org.pseudoChannelsPerChannel();
      String pcName = name + ".ch" + ch + ".pc" + (i % org.pseudoChannelsPerChannel());
      controllers[i] = new HbmController(sim, messages, pcName, i, org, timing, table, params,
          mapping, bursts, this::respond);
    }
  }

  /**
   * Creates the response port for requester {@code requesterId} (the {@code source} its messages
   * carry) and links it to {@code requesterPort}. The link must not limit messages in flight:
   * responses are not flow-controlled.
   *
   * @return the new port, named {@code resp<requesterId>}
   */
  public Port connectRequester(int requesterId, Port requesterPort, long latencyPs,
      double bytesPerSecond) {
    if (requesterId < 0) {
      throw new IllegalArgumentException("requester id must be >= 0, got " + requesterId);
    }
    if (requesterId < responsePorts.length && responsePorts[requesterId] != null) {
      throw new IllegalArgumentException(name() + ": requester " + requesterId
          + " is already connected");
    }
    Port out = addPort("resp" + requesterId, (at, m) -> {
      throw new IllegalStateException(name() + ".resp" + requesterId + " only sends responses");
    });
    Link.connect(sim, messages, out, requesterPort, latencyPs, bytesPerSecond);
    if (requesterId >= responsePorts.length) {
      responsePorts = Arrays.copyOf(responsePorts, Math.max(requesterId + 1,
          responsePorts.length * 2));
    }
    responsePorts[requesterId] = out;
    return out;
  }

  private void respond(int m) {
    int s = messages.source(m);
    Port p = s >= 0 && s < responsePorts.length ? responsePorts[s] : null;
    if (p == null) {
      throw new IllegalStateException(name() + ": response for requester " + s
          + ", which was never connected with connectRequester");
    }
    p.send(m);
  }

  /** Reserves queue space for a request; false if its pseudo-channel's queue is full now. */
  @Override
  public boolean tryReserve(long addr, int bytes, boolean write) {
    return controllerFor(addr).tryReserve(addr, bytes, write);
  }

  /**
   * Schedules {@code handler.onEvent(kind, arg)} once, when the queue that refused a request to
   * {@code addr} has space again.
   */
  @Override
  public void awaitSlot(long addr, boolean write, EventHandler handler, int kind, long arg) {
    controllerFor(addr).awaitSlot(write, handler, kind, arg);
  }

  /** The controller of the pseudo-channel holding {@code addr}. */
  public HbmController controllerFor(long addr) {
    return controllers[mapping.pseudoChannel(addr)];
  }

  public HbmController controller(int pseudoChannel) {
    return controllers[pseudoChannel];
  }

  public int controllerCount() {
    return controllers.length;
  }

  public HbmConfig config() {
    return config;
  }

  public HbmTiming timing() {
    return timing;
  }

  public AddressMapping mapping() {
    return mapping;
  }

  /** Bytes of one burst: the unit of queue space and of DRAM transfers. */
  public int accessBytes() {
    return config.organization().accessBytes();
  }

  /** A request must lie inside one aligned block of this many bytes. */
  @Override
  public int contiguousBytes() {
    return mapping.contiguousBytes();
  }

  public double peakBytesPerSecond() {
    return config.peakBytesPerSecond();
  }

  /** Reports every command of every controller to {@code observer} (null to stop). */
  public void setCommandObserver(CommandObserver observer) {
    for (HbmController c : controllers) {
      c.setCommandObserver(observer);
    }
  }

  /**
   * Issues the refreshes that fell due while controllers were idle, up to the current time (idle
   * controllers issue them lazily, see {@link HbmController}). Requests and statistics do this by
   * themselves; call it before reading a command log.
   */
  public void catchUpRefresh() {
    for (HbmController c : controllers) {
      c.catchUpRefresh();
    }
  }

  /** Counters summed over all controllers. */
  public HbmStats stats() {
    HbmStats s = HbmStats.ZERO;
    for (HbmController c : controllers) {
      s = s.plus(c.stats());
    }
    return s;
  }

  public void resetStats() {
    for (HbmController c : controllers) {
      c.resetStats();
    }
  }
}
