package org.dsasim.mem.llc;

import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;

/**
 * A stand-in for the level below the LLC with one latency and one bandwidth: requests are served in
 * arrival order, each occupying the memory for {@code ceil(bytes / bandwidth)}, and answered
 * {@code latency} after that with the same handle marked as a response (writes included), which is
 * the contract of the LLC's {@code mem_side} port. Used by tests and benchmarks, and wherever an
 * ideal memory is wanted instead of the HBM model.
 */
public final class FixedLatencyMemory extends Component {
  private static final int RESPOND = 0;

  private final Messages messages;
  private final Port port;
  private final long latencyPs;
  private final double psPerByte;
  private long busyUntil;
  private long reads;
  private long writes;
  private long readBytes;
  private long writeBytes;

  public FixedLatencyMemory(
      Simulator sim, String name, Messages messages, long latencyPs, double bytesPerSecond) {
    super(sim, name);
    this.messages = messages;
    this.latencyPs = latencyPs;
    this.psPerByte = Double.isInfinite(bytesPerSecond) ? 0 : 1e12 / bytesPerSecond;
    this.port = addPort("port", (at, m) -> request(m));
  }

  public Port port() {
    return port;
  }

  private void request(int m) {
    if (messages.isResponse(m)) {
      throw new IllegalArgumentException(port + ": expected a request, got a response");
    }
    int bytes = messages.bytes(m);
    if (messages.isWrite(m)) {
      writes++;
      writeBytes += bytes;
    } else {
      reads++;
      readBytes += bytes;
    }
    long start = Math.max(sim.now(), busyUntil);
    busyUntil = start + (long) Math.ceil(bytes * psPerByte);
    sim.scheduleAt(busyUntil + latencyPs, Simulator.DEFAULT_PRIORITY, this, RESPOND, m);
  }

  public long reads() {
    return reads;
  }

  public long writes() {
    return writes;
  }

  public long readBytes() {
    return readBytes;
  }

  public long writeBytes() {
    return writeBytes;
  }

  @Override
  public void onEvent(int kind, long arg) {
    int m = (int) arg;
    messages.markResponse(m);
    port.send(m);
  }
}
