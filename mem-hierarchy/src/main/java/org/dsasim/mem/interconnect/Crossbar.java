package org.dsasim.mem.interconnect;

import java.util.Arrays;
import java.util.Map;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Link;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;

/**
 * Routes requests from compute-unit groups to LLC slices by address and the responses back.
 *
 * <p>Ports: {@code group.<g>} faces group {@code g} (requests in, responses out) and
 * {@code slice.<s>} faces slice {@code s}. Every hop is a {@link Link}, so the latency and the
 * bandwidth of each direction are the links' (see {@link CrossbarParams}). A request to a slice of
 * the other partition waits {@code crossingLatencyPs} before it is queued for the slice, and its
 * response waits as long before it leaves for the group.
 *
 * <p>Flow control is credit based, hop by hop: a group holds {@link #credits(int) credits} for its
 * requests inside the crossbar; the crossbar holds the slices' credits and forwards a slice's queue
 * in arrival order while it has them. A group's credit returns when its request leaves for the
 * slice, so a slice that stops taking requests (full MSHRs) backs up to the groups that use it.
 */
public final class Crossbar extends Component {
  private static final int FORWARD_FAR = 0;
  private static final int RESPOND_FAR = 1;

  private final Messages messages;
  private final CrossbarParams params;
  private final SliceMap slices;
  private final Port[] groupPorts;
  private final Port[] slicePorts;
  private final Credits[] groupCredits;
  private final int[] groupPartition;
  private Credits[] sliceCredits;
  /** Per slice, a FIFO ring of requests waiting for the slice's credits. */
  private final int[][] sliceQueue;
  private final int[] queueHead;
  private final int[] queueSize;
  /** The group each request in flight came from, indexed by message handle. */
  private int[] groupOfMessage = new int[256];

  private long requests;
  private long farRequests;
  private long dataBytes;
  private long farDataBytes;

  public Crossbar(
      Simulator sim, String name, Messages messages, CrossbarParams params, SliceMap slices) {
    super(sim, name);
    this.messages = messages;
    this.params = params;
    this.slices = slices;
    int g = params.groups();
    int s = slices.slices();
    groupPorts = new Port[g];
    groupCredits = new Credits[g];
    groupPartition = new int[g];
    for (int i = 0; i < g; i++) {
      final int group = i;
      groupPorts[i] = addPort("group." + i, (at, m) -> fromGroup(group, m));
      groupCredits[i] = new Credits(name + ".group." + i, params.groupBuffer());
      groupPartition[i] = params.partitionOfGroup(i, slices.partitions());
    }
    slicePorts = new Port[s];
    sliceQueue = new int[s][Math.max(16, g * params.groupBuffer())];
    queueHead = new int[s];
    queueSize = new int[s];
    for (int i = 0; i < s; i++) {
      final int slice = i;
      slicePorts[i] = addPort("slice." + i, (at, m) -> fromSlice(slice, m));
    }
  }

  /** Connects group {@code g}'s port both ways with the group-side latencies and bandwidth. */
  public void connectGroup(int g, Port requesterPort) {
    new Link(sim, messages, requesterPort, groupPorts[g], params.requestLatencyPs(),
        params.groupBandwidth(), Integer.MAX_VALUE);
    new Link(sim, messages, groupPorts[g], requesterPort, params.responseLatencyPs(),
        params.groupBandwidth(), Integer.MAX_VALUE);
  }

  /**
   * Connects every slice: {@code cpuSidePorts[s]} is the slice's request/response port and
   * {@code credits[s]} its input buffer's credits.
   */
  public void connectSlices(Port[] cpuSidePorts, Credits[] credits) {
    if (cpuSidePorts.length != slicePorts.length || credits.length != slicePorts.length) {
      throw new IllegalArgumentException(name() + ": expected " + slicePorts.length
          + " slice ports and credits, got " + cpuSidePorts.length + " and " + credits.length);
    }
    sliceCredits = credits.clone();
    for (int s = 0; s < slicePorts.length; s++) {
      final int slice = s;
      Link.connect(sim, messages, slicePorts[s], cpuSidePorts[s], 0, params.sliceBandwidth());
      Link.connect(sim, messages, cpuSidePorts[s], slicePorts[s], 0, params.sliceBandwidth());
      sliceCredits[s].onAvailable(() -> drain(slice));
    }
  }

  /** The credits group {@code g} must hold to send a request. */
  public Credits credits(int g) {
    return groupCredits[g];
  }

  /** The partition group {@code g} sits in. */
  public int partitionOfGroup(int g) {
    return groupPartition[g];
  }

  public int groups() {
    return groupPorts.length;
  }

  private void fromGroup(int g, int m) {
    if (m >= groupOfMessage.length) {
      groupOfMessage = Arrays.copyOf(groupOfMessage, Math.max(m + 1, groupOfMessage.length * 2));
    }
    groupOfMessage[m] = g;
    requests++;
    int s = slices.sliceOf(messages.addr(m));
    if (!messages.isResponse(m) && messages.isWrite(m)) {
      countData(m, s);
    }
    if (groupPartition[g] != slices.partitionOfSlice(s)) {
      farRequests++;
      sim.schedule(params.crossingLatencyPs(), this, FORWARD_FAR, m);
    } else {
      enqueue(s, m);
    }
  }

  private void fromSlice(int s, int m) {
    int g = groupOfMessage[m];
    if (!messages.isWrite(m)) {
      countData(m, s);
    }
    if (groupPartition[g] != slices.partitionOfSlice(s)) {
      sim.schedule(params.crossingLatencyPs(), this, RESPOND_FAR, m);
    } else {
      groupPorts[g].send(m);
    }
  }

  private void countData(int m, int s) {
    int bytes = messages.bytes(m);
    dataBytes += bytes;
    if (groupPartition[groupOfMessage[m]] != slices.partitionOfSlice(s)) {
      farDataBytes += bytes;
    }
  }

  @Override
  public void onEvent(int kind, long arg) {
    int m = (int) arg;
    switch (kind) {
      case FORWARD_FAR -> enqueue(slices.sliceOf(messages.addr(m)), m);
      case RESPOND_FAR -> groupPorts[groupOfMessage[m]].send(m);
      default -> super.onEvent(kind, arg);
    }
  }

  private void enqueue(int s, int m) {
    int[] q = sliceQueue[s];
    if (queueSize[s] == q.length) {
      // cannot happen while groups respect their credits; grow rather than drop
      int[] bigger = new int[q.length * 2];
      for (int i = 0; i < queueSize[s]; i++) {
        bigger[i] = q[(queueHead[s] + i) % q.length];
      }
      sliceQueue[s] = q = bigger;
      queueHead[s] = 0;
    }
    q[(queueHead[s] + queueSize[s]) % q.length] = m;
    queueSize[s]++;
    drain(s);
  }

  private void drain(int s) {
    if (sliceCredits == null) {
      throw new IllegalStateException(name() + ": slices not connected");
    }
    Credits credits = sliceCredits[s];
    int[] q = sliceQueue[s];
    while (queueSize[s] > 0 && credits.available()) {
      int m = q[queueHead[s]];
      queueHead[s] = (queueHead[s] + 1) % q.length;
      queueSize[s]--;
      credits.take();
      slicePorts[s].send(m);
      groupCredits[groupOfMessage[m]].give();
    }
  }

  /**
   * Adds this crossbar's statistics under {@code prefix}: requests routed, requests that crossed
   * to the far partition, data bytes carried (read responses and write requests) and the share
   * of them that crossed.
   */
  public void exportStats(String prefix, Map<String, Number> out) {
    out.put(prefix + ".requests", requests);
    out.put(prefix + ".far_requests", farRequests);
    out.put(prefix + ".data_bytes", dataBytes);
    out.put(prefix + ".far_data_bytes", farDataBytes);
  }

  public long dataBytes() {
    return dataBytes;
  }

  public long farDataBytes() {
    return farDataBytes;
  }

  /** Clears the statistics (at the end of a warm-up). */
  public void resetStats() {
    requests = 0;
    farRequests = 0;
    dataBytes = 0;
    farDataBytes = 0;
  }
}
