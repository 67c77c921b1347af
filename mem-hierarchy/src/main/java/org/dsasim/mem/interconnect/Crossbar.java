package org.dsasim.mem.interconnect;

import java.util.Arrays;
import java.util.Map;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.IntFifo;
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
 *
 * <p>Groups connected with {@link #connectRemoteGroup} carry another LLC partition's requests to
 * this, their home, partition. They have a lane of their own all the way: per slice a queue of
 * their own here and the slice's remote input queue ({@link #connectRemoteSlices}), so they never
 * wait behind local requests that wait on another partition.
 */
public final class Crossbar extends Component {
  private static final int FORWARD_FAR = 0;
  private static final int RESPOND_FAR = 1;

  private final Messages messages;
  private final CrossbarParams params;
  private final SliceMap slices;
  private final Port[] groupPorts;
  /** Per lane (local slices {@code s}, remote {@code slices + s}): the slice's port. */
  private final Port[] slicePorts;
  private final Credits[] groupCredits;
  private final int[] groupPartition;
  /** 0 for a group of local requesters, the number of slices for a remote partition's group. */
  private final int[] groupLane;
  private final Credits[] sliceCredits;
  /** Per lane, a FIFO ring of requests waiting for the slice's credits. */
  private final IntFifo[] sliceQueue;
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
    groupLane = new int[g];
    for (int i = 0; i < g; i++) {
      final int group = i;
      groupPorts[i] = addPort("group." + i, (at, m) -> fromGroup(group, m));
      groupCredits[i] = new Credits(name + ".group." + i, params.groupBuffer());
      groupPartition[i] = params.partitionOfGroup(i, slices.partitions());
    }
    slicePorts = new Port[2 * s];
    sliceCredits = new Credits[2 * s];
    sliceQueue = new IntFifo[2 * s];
  }

  /** Connects group {@code g}'s port both ways with the group-side latencies and bandwidth. */
  public void connectGroup(int g, Port requesterPort) {
    connectGroup(g, requesterPort, params.groupBandwidth());
  }

  private void connectGroup(int g, Port requesterPort, double bandwidth) {
    new Link(sim, messages, requesterPort, groupPorts[g], params.requestLatencyPs(), bandwidth,
        Integer.MAX_VALUE);
    new Link(sim, messages, groupPorts[g], requesterPort, params.responseLatencyPs(), bandwidth,
        Integer.MAX_VALUE);
  }

  /**
   * Connects group {@code g}'s port as a group that carries another partition's requests: at the
   * crossing's bandwidth, with the crossing's credits ({@link CrossbarParams#crossingBuffer}), into
   * the slices' remote lanes ({@link #connectRemoteSlices}). Call before taking its
   * {@link #credits}.
   */
  public void connectRemoteGroup(int g, Port requesterPort) {
    if (slicePorts[slices.slices()] == null) {
      throw new IllegalStateException(name() + ": remote slice lanes not connected");
    }
    groupLane[g] = slices.slices();
    groupCredits[g] = new Credits(name() + ".group." + g, params.crossingBuffer());
    connectGroup(g, requesterPort, params.crossingBandwidth());
  }

  /**
   * Connects every slice: {@code cpuSidePorts[s]} is the slice's request/response port and
   * {@code credits[s]} its input buffer's credits.
   */
  public void connectSlices(Port[] cpuSidePorts, Credits[] credits) {
    connectLane(0, "slice.", cpuSidePorts, credits);
  }

  /** Connects every slice's remote input queue: its port and its credits, in slice order. */
  public void connectRemoteSlices(Port[] remoteSidePorts, Credits[] credits) {
    connectLane(slices.slices(), "remote_slice.", remoteSidePorts, credits);
  }

  private void connectLane(int lane, String portPrefix, Port[] ports, Credits[] credits) {
    int n = slices.slices();
    if (ports.length != n || credits.length != n) {
      throw new IllegalArgumentException(name() + ": expected " + n
          + " slice ports and credits, got " + ports.length + " and " + credits.length);
    }
    if (slicePorts[lane] != null) {
      throw new IllegalStateException(name() + ": " + portPrefix + "* already connected");
    }
    for (int s = 0; s < n; s++) {
      final int slice = s;
      final int q = lane + s;
      slicePorts[q] = addPort(portPrefix + s, (at, m) -> fromSlice(slice, m));
      sliceCredits[q] = credits[s];
      sliceQueue[q] = new IntFifo(Math.max(16, groupPorts.length * params.groupBuffer()));
      Link.connect(sim, messages, slicePorts[q], ports[s], 0, params.sliceBandwidth());
      Link.connect(sim, messages, ports[s], slicePorts[q], 0, params.sliceBandwidth());
      sliceCredits[q].onAvailable(() -> drain(q));
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
      enqueue(groupLane[g] + s, m);
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
      case FORWARD_FAR ->
          enqueue(groupLane[groupOfMessage[m]] + slices.sliceOf(messages.addr(m)), m);
      case RESPOND_FAR -> groupPorts[groupOfMessage[m]].send(m);
      default -> super.onEvent(kind, arg);
    }
  }

  /** Queues request {@code m} for lane {@code s} (a slice's local or remote input queue). */
  private void enqueue(int s, int m) {
    IntFifo q = sliceQueue[s];
    if (q == null) {
      throw new IllegalStateException(name() + ": slices not connected");
    }
    // it never grows while groups respect their credits; growing beats dropping
    q.add(m);
    drain(s);
  }

  private void drain(int s) {
    Credits credits = sliceCredits[s];
    IntFifo q = sliceQueue[s];
    while (!q.isEmpty() && credits.available()) {
      int m = q.poll();
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
