package org.dsasim.accel.memory;

import java.util.Arrays;
import org.dsasim.accel.replay.LaunchState;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;

/**
 * The memory side as the compute units see it: one port per unit ({@code sm0}, {@code sm1}, ...)
 * where read and write requests arrive. A read is answered on the same port, as the same message
 * turned into a response, once its data is ready; a write is absorbed and its message released.
 *
 * <p>Subclasses decide when data is ready ({@link #onRead}) and say so through {@link #respond},
 * which also records what {@link MemoryTiming} reports about the response.
 */
public abstract class MemorySystem extends Component implements MemoryTiming {
  private static final int RESPOND = 0;

  protected final Messages messages;
  private final Port[] smPorts;
  private byte[] servedBy = new byte[256];
  private long[] unloaded = new long[256];
  private long[] ready = new long[256];

  protected MemorySystem(Simulator sim, String name, Messages messages, int units) {
    super(sim, name);
    this.messages = messages;
    smPorts = new Port[units];
    for (int i = 0; i < units; i++) {
      final int unit = i;
      smPorts[i] = addPort("sm" + i, (port, m) -> receive(unit, m));
    }
  }

  /** The port of compute unit {@code unit}. */
  public Port smSide(int unit) {
    return smPorts[unit];
  }

  public int units() {
    return smPorts.length;
  }

  /**
   * Hands request {@code m} of {@code unit} over at once, as an ideal link (no latency, no
   * bandwidth limit) would deliver it: the memory side sees requests in the order sent either way,
   * without an event per request.
   */
  public final void request(int unit, int m) {
    receive(unit, m);
  }

  private void receive(int unit, int m) {
    if (messages.isWrite(m)) {
      onWrite(unit, m);
      messages.release(m);
    } else {
      onRead(unit, m);
    }
  }

  /** A read arrived from {@code unit}; the implementation must eventually {@link #respond}. */
  protected abstract void onRead(int unit, int m);

  /** A write arrived from {@code unit}; its message is released after this returns. */
  protected abstract void onWrite(int unit, int m);

  /**
   * Serves read {@code m} of {@code unit}, handed over directly ({@link #request}), at once if
   * its completion cannot depend on requests still to come (a bulk copy on a queue of its own):
   * returns when its data is ready, the message turned into its response and what
   * {@link MemoryTiming} reports recorded, and the requester takes it from there. -1: not such a
   * read; the caller hands it over with {@link #request} and it is answered as usual.
   */
  public long readAtIssue(int unit, int m) {
    return -1;
  }

  /**
   * Sends the response to read {@code m} when its data is ready at {@code readyAt} (not before
   * now), recording the serving level and the unloaded latency.
   */
  protected final void respond(int m, byte level, long unloadedPs, long readyAt) {
    long t = record(m, level, unloadedPs, readyAt);
    sim.scheduleAt(t, Simulator.DEFAULT_PRIORITY, this, RESPOND, m);
  }

  /**
   * For {@link #readAtIssue}: turns read {@code m} into its response, ready at {@code readyAt}
   * (not before now), and records its level and unloaded latency; returns when it is ready.
   */
  protected final long answeredAtIssue(int m, byte level, long unloadedPs, long readyAt) {
    long t = record(m, level, unloadedPs, readyAt);
    messages.markResponse(m);
    return t;
  }

  private long record(int m, byte level, long unloadedPs, long readyAt) {
    if (m >= servedBy.length) {
      int n = Math.max(m + 1, servedBy.length * 2);
      servedBy = Arrays.copyOf(servedBy, n);
      unloaded = Arrays.copyOf(unloaded, n);
      ready = Arrays.copyOf(ready, n);
    }
    long t = Math.max(readyAt, sim.now());
    servedBy[m] = level;
    unloaded[m] = unloadedPs;
    ready[m] = t;
    return t;
  }

  @Override
  public void onEvent(int kind, long arg) {
    if (kind != RESPOND) {
      super.onEvent(kind, arg);
      return;
    }
    int m = (int) arg;
    messages.markResponse(m);
    smPorts[messages.source(m)].send(m);
  }

  @Override
  public byte servedBy(int m) {
    return servedBy[m];
  }

  @Override
  public long unloadedPs(int m) {
    return unloaded[m];
  }

  @Override
  public long readyAt(int m) {
    return ready[m];
  }

  /** The pool of gather lists this memory reads, or null if it takes only single loads. */
  public GatherLists gatherLists() {
    return null;
  }

  /**
   * Whether this memory side models the interconnect to the units itself; the links to the units
   * are then ideal (no latency, no bandwidth limit) instead of the {@code fastmem.interconnect.*}
   * ones.
   */
  public boolean modelsInterconnect() {
    return false;
  }

  /**
   * Whether this memory keeps events queued while nothing is requested (DRAM refresh), so that a
   * run ends when the units are idle and {@link #idle} holds rather than when the queue drains.
   */
  public boolean hasBackgroundEvents() {
    return false;
  }

  /** Whether every request has been answered and every write absorbed. */
  public boolean idle() {
    return true;
  }

  /** A decode step ended (reservations whose policies count steps hear of it). */
  public void endDecodeStep() {}

  /**
   * For launch replay (see {@code Gpu}): whether every read of at least {@code bytes} of
   * {@code trafficClass} is answered at issue ({@link #readAtIssue}) from a queue that is idle at
   * {@code now} and changes nothing but what {@link #replayState} passes, so that a launch of only
   * such reads, started now, does what an earlier one did. No memory offers this by default.
   */
  public boolean replaysReads(int bytes, int trafficClass, long now) {
    return false;
  }

  /**
   * Passes what a launch of reads {@link #replaysReads} accepts changes here through {@code s}
   * (see {@link LaunchState}).
   */
  public void replayState(LaunchState s) {}

  /** Counters since the last {@link #resetStats}. */
  public abstract MemoryStats stats();

  /**
   * Tells {@code observer} of LLC lookups and HBM transfers (null: nobody). A memory model without
   * partitions or channels reports nothing.
   */
  public void setActivityObserver(org.dsasim.accel.timeline.ActivityObserver observer) {}

  public abstract void resetStats();

  /** One line describing the configuration, for reports. */
  public abstract String describe();
}
