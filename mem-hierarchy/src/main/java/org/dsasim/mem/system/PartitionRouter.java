package org.dsasim.mem.system;

import org.dsasim.core.event.EventHandler;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.IntFifo;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
import org.dsasim.mem.hbm.HbmMemory;
import org.dsasim.mem.interconnect.Credits;
import org.dsasim.mem.llc.MemoryFlowControl;

/**
 * The memory side of one LLC partition: sends each miss and write-back of the partition's LLC to
 * the line's home, which is the HBM when the partition homes the line and the home partition's
 * LLC (through its crossbar) otherwise, and brings the responses back. Requests to and responses
 * from another partition wait the partition-crossing latency.
 *
 * <p>Ports: {@code llc} faces this partition's LLC {@code mem_side}; {@code hbm} sends requests to
 * the HBM and receives its responses; {@code remote.<q>} sends requests to partition {@code q}'s
 * crossbar and receives its responses.
 *
 * <p>It is the LLC's {@link MemoryFlowControl}: space for a request homed here is the HBM queue's.
 * A request homed in partition {@code q} is always taken: it waits here, in a FIFO per home, for
 * one of the credits of {@code q}'s crossbar port. Were the LLC to wait for those credits in its
 * own single memory queue, its HBM fills would wait behind them, and the fills that serve other
 * partitions' requests with them; two partitions could then each wait for the other. It holds
 * at most the LLC's fills in flight plus the write-backs the home has not yet taken.
 */
final class PartitionRouter extends Component implements MemoryFlowControl {
  private final Messages messages;
  private final int partition;
  private final HomeMap homes;
  private final HbmMemory hbm;
  private final Port llcPort;
  private final Port hbmPort;
  private final Port[] remotePorts;
  private final Credits[] remoteCredits;
  /** Per home partition, a FIFO ring of requests waiting for its credits. */
  private final IntFifo[] pending;
  private final long crossingPs;
  private long remoteRequests;

  private static final int SEND_REMOTE = 0;
  private static final int RETURN_REMOTE = 1;

  PartitionRouter(Simulator sim, String name, Messages messages, int partition, HomeMap homes,
      HbmMemory hbm, long crossingPs) {
    super(sim, name);
    this.messages = messages;
    this.crossingPs = crossingPs;
    this.partition = partition;
    this.homes = homes;
    this.hbm = hbm;
    int partitions = homes.partitions();
    this.llcPort = addPort("llc", (at, m) -> fromLlc(m));
    this.hbmPort = addPort("hbm", (at, m) -> llcPort.send(m));
    this.remotePorts = new Port[partitions];
    this.remoteCredits = new Credits[partitions];
    this.pending = new IntFifo[partitions];
    for (int q = 0; q < partitions; q++) {
      if (q != partition) {
        remotePorts[q] = addPort("remote." + q,
            (at, m) -> sim.schedule(crossingPs, this, RETURN_REMOTE, m));
        pending[q] = new IntFifo(16);
      }
    }
  }

  Port llcPort() {
    return llcPort;
  }

  Port hbmPort() {
    return hbmPort;
  }

  Port remotePort(int q) {
    return remotePorts[q];
  }

  /** Uses {@code credits} for requests to partition {@code q}'s crossbar. */
  void useRemoteCredits(int q, Credits credits) {
    remoteCredits[q] = credits;
    credits.onAvailable(() -> drainRemote(q));
  }

  private void fromLlc(int m) {
    int home = homes.homeOf(messages.addr(m));
    if (home == partition) {
      hbmPort.send(m);
    } else {
      remoteRequests++;
      sim.schedule(crossingPs, this, SEND_REMOTE, m);
    }
  }

  @Override
  public void onEvent(int kind, long arg) {
    int m = (int) arg;
    switch (kind) {
      case SEND_REMOTE -> sendRemote(homes.homeOf(messages.addr(m)), m);
      case RETURN_REMOTE -> llcPort.send(m);
      default -> super.onEvent(kind, arg);
    }
  }

  @Override
  public int contiguousBytes() {
    return hbm.contiguousBytes();
  }

  @Override
  public boolean tryReserve(long addr, int bytes, boolean write) {
    int home = homes.homeOf(addr);
    if (home == partition) {
      return hbm.tryReserve(addr, bytes, write);
    }
    return true;
  }

  @Override
  public void awaitSlot(long addr, boolean write, EventHandler handler, int kind, long arg) {
    int home = homes.homeOf(addr);
    if (home == partition) {
      hbm.awaitSlot(addr, write, handler, kind, arg);
      return;
    }
    throw new IllegalStateException(name() + ": requests homed in partition " + home
        + " are always taken");
  }

  /** Queues {@code m} for home partition {@code q} behind those already waiting there. */
  private void sendRemote(int q, int m) {
    pending[q].add(m);
    drainRemote(q);
  }

  /** Sends partition {@code q}'s waiting requests while its crossbar port has credits. */
  private void drainRemote(int q) {
    Credits credits = remoteCredits[q];
    IntFifo waiting = pending[q];
    while (!waiting.isEmpty() && credits.available()) {
      credits.take();
      remotePorts[q].send(waiting.poll());
    }
  }

  /** Requests (fills and write-backs) this partition sent to another partition's LLC. */
  long remoteRequests() {
    return remoteRequests;
  }

  void resetStats() {
    remoteRequests = 0;
  }
}
