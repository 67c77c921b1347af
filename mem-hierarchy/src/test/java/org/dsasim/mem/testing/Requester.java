package org.dsasim.mem.testing;

import java.util.Arrays;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
import org.dsasim.mem.interconnect.Credits;

/**
 * Sends queued requests as credits allow (never polling: it waits for the credit callback),
 * records when each was sent and answered, and fails on a duplicated or unknown response.
 */
public final class Requester extends Component {
  private final Messages messages;
  private final Port port;
  private final int sourceId;
  private Credits credits;

  private long[] addr = new long[64];
  private int[] bytes = new int[64];
  private int[] command = new int[64];
  private int[] cls = new int[64];
  private long[] sentAt = new long[64];
  private long[] answeredAt = new long[64];
  private int queued;
  private int sent;
  private int answered;
  /** Times the credits ran out with requests waiting. */
  public int creditWaits;
  private boolean waiting;
  /** Times the credit callback ran while requests were waiting for it. */
  public int wakeups;

  public Requester(Simulator sim, String name, Messages messages, int sourceId) {
    super(sim, name);
    this.messages = messages;
    this.sourceId = sourceId;
    this.port = addPort("mem", (at, m) -> response(m));
  }

  public Port port() {
    return port;
  }

  public void useCredits(Credits c) {
    this.credits = c;
    c.onAvailable(() -> {
      if (waiting) {
        wakeups++;
        waiting = false;
      }
      pump();
    });
  }

  /** Queues a request; returns its id (the tag of its message). */
  public int request(long address, int size, int cmd, int trafficClass) {
    if (queued == addr.length) {
      int n = addr.length * 2;
      addr = Arrays.copyOf(addr, n);
      bytes = Arrays.copyOf(bytes, n);
      command = Arrays.copyOf(command, n);
      cls = Arrays.copyOf(cls, n);
      sentAt = Arrays.copyOf(sentAt, n);
      answeredAt = Arrays.copyOf(answeredAt, n);
    }
    int id = queued++;
    addr[id] = address;
    bytes[id] = size;
    command[id] = cmd;
    cls[id] = trafficClass;
    sentAt[id] = -1;
    answeredAt[id] = -1;
    pump();
    return id;
  }

  public int read(long address, int size, int trafficClass) {
    return request(address, size, Messages.READ, trafficClass);
  }

  public int write(long address, int size, int trafficClass) {
    return request(address, size, Messages.WRITE, trafficClass);
  }

  private void pump() {
    while (sent < queued) {
      if (!credits.available()) {
        if (!waiting) {
          waiting = true;
          creditWaits++;
        }
        return;
      }
      credits.take();
      int id = sent++;
      int m = messages.acquire(addr[id], bytes[id], command[id], cls[id], sourceId, id, sim.now());
      sentAt[id] = sim.now();
      port.send(m);
    }
  }

  private void response(int m) {
    if (!messages.isResponse(m)) {
      throw new AssertionError(name() + " got a request");
    }
    int id = (int) messages.tag(m);
    if (id < 0 || id >= sent) {
      throw new AssertionError(name() + " got a response to unknown request " + id);
    }
    if (answeredAt[id] >= 0) {
      throw new AssertionError(name() + " got a second response to request " + id);
    }
    if (messages.addr(m) != addr[id] || messages.bytes(m) != bytes[id]
        || (messages.command(m) & 0xff) != command[id] || messages.source(m) != sourceId) {
      throw new AssertionError(name() + ": response " + id + " does not match its request");
    }
    answeredAt[id] = sim.now();
    answered++;
    messages.release(m);
  }

  public int queued() {
    return queued;
  }

  public int sent() {
    return sent;
  }

  public int answered() {
    return answered;
  }

  public long sentAt(int id) {
    return sentAt[id];
  }

  public long answeredAt(int id) {
    return answeredAt[id];
  }

  /** Latency of request {@code id}, send to response. */
  public long latency(int id) {
    return answeredAt[id] - sentAt[id];
  }
}
