package org.dsasim.mem.llc;

import java.util.Arrays;
import org.dsasim.core.event.EventHandler;
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
 *
 * <p>Built with a queue depth it also speaks the HBM model's flow control
 * ({@link MemoryFlowControl}): at most {@code queueDepth} requests reserved or in service, each
 * inside one aligned {@code contiguousBytes} block; a request sent without a reservation, or
 * crossing a block, is an error.
 */
public final class FixedLatencyMemory extends Component implements MemoryFlowControl {
  private static final int RESPOND = 0;

  private final Messages messages;
  private final Port port;
  private final long latencyPs;
  private final double psPerByte;
  private final int contiguousBytes;
  private final int queueDepth;
  private long busyUntil;
  private int reservedNotArrived;
  private int outstanding;
  private int peakOutstanding;
  private EventHandler[] waitHandler = new EventHandler[4];
  private int[] waitKind = new int[4];
  private long[] waitArg = new long[4];
  private int waiting;
  private long reads;
  private long writes;
  private long readBytes;
  private long writeBytes;

  /** Without flow control: any number of requests, of any size. */
  public FixedLatencyMemory(
      Simulator sim, String name, Messages messages, long latencyPs, double bytesPerSecond) {
    this(sim, name, messages, latencyPs, bytesPerSecond, 1 << 30, 0);
  }

  /**
   * @param contiguousBytes requests must not cross an aligned block of this many bytes
   * @param queueDepth requests reserved or in service at most; 0 for no flow control
   */
  public FixedLatencyMemory(Simulator sim, String name, Messages messages, long latencyPs,
      double bytesPerSecond, int contiguousBytes, int queueDepth) {
    super(sim, name);
    if (Integer.bitCount(contiguousBytes) != 1 || queueDepth < 0) {
      throw new IllegalArgumentException(name + ": contiguousBytes must be a power of two and"
          + " queueDepth >= 0");
    }
    this.messages = messages;
    this.latencyPs = latencyPs;
    this.psPerByte = Double.isInfinite(bytesPerSecond) ? 0 : 1e12 / bytesPerSecond;
    this.contiguousBytes = contiguousBytes;
    this.queueDepth = queueDepth;
    this.port = addPort("port", (at, m) -> request(m));
  }

  public Port port() {
    return port;
  }

  @Override
  public int contiguousBytes() {
    return contiguousBytes;
  }

  @Override
  public boolean tryReserve(long addr, int bytes, boolean write) {
    if (outstanding == queueDepth) {
      return false;
    }
    outstanding++;
    reservedNotArrived++;
    peakOutstanding = Math.max(peakOutstanding, outstanding);
    return true;
  }

  @Override
  public void awaitSlot(long addr, boolean write, EventHandler handler, int kind, long arg) {
    if (waiting == waitHandler.length) {
      waitHandler = Arrays.copyOf(waitHandler, waiting * 2);
      waitKind = Arrays.copyOf(waitKind, waiting * 2);
      waitArg = Arrays.copyOf(waitArg, waiting * 2);
    }
    waitHandler[waiting] = handler;
    waitKind[waiting] = kind;
    waitArg[waiting] = arg;
    waiting++;
  }

  private void request(int m) {
    long addr = messages.addr(m);
    int bytes = messages.bytes(m);
    if (messages.isResponse(m)) {
      throw new IllegalArgumentException(port + ": expected a request, got a response");
    }
    if (addr / contiguousBytes != (addr + bytes - 1) / contiguousBytes) {
      throw new IllegalArgumentException(port + ": request of " + bytes + " B at " + addr
          + " crosses a " + contiguousBytes + "-B block");
    }
    if (queueDepth > 0) {
      if (reservedNotArrived == 0) {
        throw new IllegalStateException(port + ": request without a reservation");
      }
      reservedNotArrived--;
    }
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

  @Override
  public void onEvent(int kind, long arg) {
    int m = (int) arg;
    messages.markResponse(m);
    port.send(m);
    if (queueDepth > 0) {
      outstanding--;
      for (int i = 0; i < waiting; i++) {
        sim.schedule(0, waitHandler[i], waitKind[i], waitArg[i]);
        waitHandler[i] = null;
      }
      waiting = 0;
    }
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

  /** The most requests reserved or in service at once. */
  public int peakOutstanding() {
    return peakOutstanding;
  }
}
