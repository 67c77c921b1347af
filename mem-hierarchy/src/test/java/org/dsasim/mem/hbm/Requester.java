package org.dsasim.mem.hbm;

import java.util.function.LongUnaryOperator;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Link;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;

/**
 * A test requester: issues {@code total} requests whose addresses come from a function of the
 * request number, keeping at most {@code window} outstanding, and follows the device's credit
 * protocol (reserve, or wait for a slot and retry the same request).
 */
final class Requester extends Component {
  private static final int RETRY = 1;

  private final Messages messages;
  private final HbmMemory hbm;
  private final int id;
  private final Port out;
  private final LongUnaryOperator address;
  private final int bytes;
  private final long total;
  private final int window;
  private final long writeEvery;
  private long issued;
  private long completed;
  private int outstanding;
  private boolean waitingForSlot;
  /** The address of request number {@code issued}, drawn once even if it has to be retried. */
  private long nextAddr = -1;
  long firstIssuePs = -1;
  long lastCompletionPs;
  long bytesDone;
  long latencySumPs;
  long maxLatencyPs;
  long refusals;

  /**
   * @param writeEvery every n-th request is a write (0: reads only)
   */
  Requester(Simulator sim, Messages messages, HbmMemory hbm, int id, LongUnaryOperator address,
      int bytes, long total, int window, long writeEvery) {
    super(sim, "requester" + id);
    this.messages = messages;
    this.hbm = hbm;
    this.id = id;
    this.address = address;
    this.bytes = bytes;
    this.total = total;
    this.window = window;
    this.writeEvery = writeEvery;
    this.out = addPort("out", (at, m) -> {
      throw new IllegalStateException("requests only");
    });
    Port in = addPort("in", (at, m) -> complete(m));
    Link.connect(sim, messages, out, hbm.port("req"), 0, Double.POSITIVE_INFINITY);
    hbm.connectRequester(id, in, 0, Double.POSITIVE_INFINITY);
  }

  void start() {
    sim.schedule(0, this, RETRY, 0);
  }

  boolean done() {
    return completed == total;
  }

  long completed() {
    return completed;
  }

  long total() {
    return total;
  }

  private boolean isWrite(long n) {
    return writeEvery > 0 && n % writeEvery == writeEvery - 1;
  }

  private void pump() {
    while (!waitingForSlot && outstanding < window && issued < total) {
      if (nextAddr < 0) {
        nextAddr = address.applyAsLong(issued);
      }
      long addr = nextAddr;
      boolean write = isWrite(issued);
      if (!hbm.tryReserve(addr, bytes, write)) {
        refusals++;
        waitingForSlot = true;
        hbm.awaitSlot(addr, write, this, RETRY, 0);
        return;
      }
      int m = messages.acquire(addr, bytes, write ? Messages.WRITE : Messages.READ, 0, id,
          issued, sim.now());
      if (firstIssuePs < 0) {
        firstIssuePs = sim.now();
      }
      out.send(m);
      nextAddr = -1;
      issued++;
      outstanding++;
    }
  }

  private void complete(int m) {
    if (!messages.isResponse(m) || messages.source(m) != id) {
      throw new AssertionError("unexpected message at " + name());
    }
    long latency = sim.now() - messages.created(m);
    latencySumPs += latency;
    maxLatencyPs = Math.max(maxLatencyPs, latency);
    bytesDone += messages.bytes(m);
    lastCompletionPs = sim.now();
    messages.release(m);
    outstanding--;
    completed++;
    pump();
  }

  @Override
  public void onEvent(int kind, long arg) {
    waitingForSlot = false;
    pump();
  }
}
