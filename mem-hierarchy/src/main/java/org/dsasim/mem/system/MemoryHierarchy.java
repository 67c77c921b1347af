package org.dsasim.mem.system;

import java.util.Map;
import org.dsasim.core.UserInputException;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Link;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
import org.dsasim.mem.hbm.HbmMemory;
import org.dsasim.mem.hbm.HbmStats;
import org.dsasim.mem.interconnect.CrossbarParams;
import org.dsasim.mem.interconnect.Credits;
import org.dsasim.mem.llc.LinePlacement;
import org.dsasim.mem.llc.LlcParams;
import org.dsasim.mem.llc.LlcScheme;
import org.dsasim.mem.llc.LlcSystem;
import org.dsasim.mem.reservation.ReservationParams;

/**
 * The one place that wires a memory hierarchy: requester ports -> per-partition crossbar -> LLC
 * partition ({@link LlcSystem}) -> home partition or HBM ({@link HbmMemory}).
 *
 * <h2>Partitions, homes and replicas</h2>
 *
 * The LLC ({@code llc.capacity} in {@code llc.slices}) is split into {@code llc.partitions} equal
 * partitions, each an {@link LlcSystem} of its own: a crossbar and the partition's slices. Every
 * line has a home partition ({@link HomeMap}: granules of {@code llc.home_interleave} bytes, one
 * line by default, interleaved one by one, balanced). A requester
 * port belongs to one partition and sends every request to it: that partition caches whatever its
 * requesters touch, its own homed lines and copies of lines homed elsewhere (as the NVIDIA
 * A100/H100 L2, where "each L2 partition localizes and caches data for memory accesses from SMs in
 * the GPCs directly connected to the partition"). A miss goes to the line's home: the HBM if the
 * partition homes it, otherwise the home partition's LLC, which hits or fetches from the HBM
 * itself, keeping the line for everyone. Write-backs go to the home the same way. (The copies are
 * not kept coherent: the workloads studied do not write lines that another partition has read.)
 *
 * <p>A KV reservation is split evenly over the partitions, and each keeps only the units (token
 * entries or pages) homed in it, a unit's home being that of its first byte: a gather of a unit
 * homed elsewhere passes through the requester's partition uncached (no replica there) to the
 * home, whose reservation serves or admits it. A unit is then reserved once, in one LRU pool per
 * home, and every gather of it refreshes its place there. With a home granule at least as large
 * as the (power-of-two) unit, all of a unit's lines share its home. A line of a unit that lies in
 * another home's granule (units not a power of two, such as 656-B entries) goes to that line's
 * home, which passes it through: it is reserved for the requesters of the unit's home only, and
 * the others read it from the HBM (misses are routed by the line's home, not the unit's).
 *
 * <p>So a single requester sees three levels: its partition (near hit), the home partition (a miss
 * near, a hit far: request crossing, far crossbar and slice, response crossing), and the HBM, to
 * which a line homed near goes directly and a line homed far goes through its home.
 *
 * <h2>Ports and bandwidth</h2>
 *
 * Port {@code i} of {@code ports} sits in partition {@code i mod partitions}: neighbouring ports
 * alternate between the partitions, as the GPU's block scheduler spreads a kernel's consecutive
 * blocks over all GPCs (and so over both L2 partitions). A kernel of fewer blocks than SMs then
 * loads every partition, not only the first (with ports split in two contiguous halves a
 * 32-block decode kernel's units all sat in partition 0, whose slices and memory path carried the
 * whole chip's traffic while the other partition only served its homed lines). The
 * interconnect's {@code groups x group_bandwidth} (and {@code groups x group_buffer} credits) is
 * the chip's injection capacity and is shared evenly among the ports, so one port drives the whole
 * chip. A partition's crossbar has its ports plus one port per other partition (the requests from
 * that partition's misses), at {@code interconnect.crossing_bandwidth} per direction with credits
 * in proportion ({@link CrossbarParams#crossingBuffer}); a request crossing partitions waits
 * {@code interconnect.crossing_latency} each way on top of the crossbar's latencies.
 *
 * <h2>Deadlock freedom</h2>
 *
 * A local miss of a line homed elsewhere holds its MSHR until the home answers, so the home's
 * service of remote requests must never wait on local requests: remote requests travel in lanes
 * of their own (the router's per-home buffer, the crossbar's and the slice's remote queues) and
 * {@link #REMOTE_MSHRS} MSHRs per slice are kept for them. Serving them then waits only on the
 * HBM, which always drains.
 */
public final class MemoryHierarchy {
  /**
   * MSHRs per slice that only other partitions' requests may take. One suffices for progress: a
   * remote request's miss waits only on the HBM.
   */
  static final int REMOTE_MSHRS = 1;

  private final HierarchyParams params;
  private final int partitions;
  private final int ports;
  private final int[] portPartition;
  private final int[] portGroup;
  private final HomeMap homes;
  private final LlcSystem[] caches;
  private final PartitionRouter[] routers;
  private final HbmMemory hbm;

  /**
   * Builds {@code <prefix>.p<i>.llc}, {@code <prefix>.p<i>.xbar}, {@code <prefix>.p<i>.router}
   * and {@code <prefix>.hbm} for {@code ports} requester ports.
   *
   * @throws UserInputException if the parameters cannot be split into partitions
   */
  public MemoryHierarchy(
      Simulator sim, Messages messages, String prefix, HierarchyParams params, int ports) {
    this.params = params;
    LlcParams chip = params.cache().llc();
    this.partitions = chip.partitions();
    String source = "memory hierarchy '" + params.preset() + "'";
    if (Integer.bitCount(partitions) != 1) {
      throw new UserInputException(source + ": llc.partitions must be a power of two, got "
          + partitions);
    }
    if (chip.slices() % partitions != 0 || chip.capacityBytes() % partitions != 0) {
      throw new UserInputException(source + ": llc.slices (" + chip.slices() + ") and"
          + " llc.capacity must split evenly into llc.partitions = " + partitions);
    }
    if (partitions > 1 && chip.mshrsPerSlice() <= REMOTE_MSHRS) {
      throw new UserInputException(source + ": llc.mshrs must be more than " + REMOTE_MSHRS
          + " with more than one LLC partition (each slice keeps " + REMOTE_MSHRS
          + " for other partitions' requests), got " + chip.mshrsPerSlice());
    }
    if (ports < 1) {
      throw new IllegalArgumentException("ports must be >= 1, got " + ports);
    }
    this.ports = ports;
    int lineShift = Integer.numberOfTrailingZeros(chip.lineBytes());
    int granuleShift = Integer.numberOfTrailingZeros(params.cache().homeInterleaveBytes());
    this.homes = new HomeMap(partitions, granuleShift);
    this.hbm = new HbmMemory(sim, messages, prefix + ".hbm", params.hbm());

    portPartition = new int[ports];
    portGroup = new int[ports];
    int[] localPorts = new int[partitions];
    for (int i = 0; i < ports; i++) {
      portPartition[i] = i % partitions;
      portGroup[i] = localPorts[portPartition[i]]++;
    }
    CrossbarParams chipXbar = params.cache().interconnect();
    double portBandwidth = chipXbar.groupBandwidth() * chipXbar.groups() / ports;
    int portBuffer = Math.max(1, chipXbar.groupBuffer() * chipXbar.groups() / ports);
    LlcScheme scheme = perPartition(params.cache().scheme(), partitions, source);

    caches = new LlcSystem[partitions];
    routers = new PartitionRouter[partitions];
    for (int p = 0; p < partitions; p++) {
      LlcParams part = partitionParams(chip, partitions, p);
      LinePlacement placement = params.balancedPlacement()
          ? LinePlacement.balanced(part.slices(), part.setsPerSlice(), homes.groupBits(),
              granuleShift - lineShift)
          : LinePlacement.hashed(part.slices(), part.setsPerSlice());
      CrossbarParams xbar = new CrossbarParams(localPorts[p] + partitions - 1,
          chipXbar.requestLatencyPs(), chipXbar.responseLatencyPs(), 0, portBandwidth,
          chipXbar.sliceBandwidth(), portBuffer, chipXbar.crossingBandwidth());
      String name = prefix + ".p" + p;
      caches[p] = new LlcSystem(sim, messages, name, part, scheme, params.cache().kv(), xbar,
          placement);
      if (partitions > 1) {
        int home = p;
        caches[p].llc().reserveHomedUnitsOnly(address -> homes.homeOf(address) == home);
      }
      routers[p] = new PartitionRouter(sim, name + ".router", messages, p, homes, hbm,
          chipXbar.crossingLatencyPs());
      caches[p].connectMemoryRequests(routers[p].llcPort(), routers[p], 0,
          Double.POSITIVE_INFINITY);
      Link.connect(sim, messages, routers[p].llcPort(), caches[p].llc().memSide(), 0,
          Double.POSITIVE_INFINITY);
      Link.connect(sim, messages, routers[p].hbmPort(), hbm.port("req"),
          params.memoryLatencyPs(), Double.POSITIVE_INFINITY);
      hbm.connectRequester(part.memorySourceId(), routers[p].hbmPort(), params.memoryLatencyPs(),
          Double.POSITIVE_INFINITY);
    }
    // partition p's misses homed in q enter q's crossbar on the port after q's own requesters,
    // in q's remote lanes (see Llc: what serves them must never wait behind what waits on them)
    if (partitions > 1) {
      for (LlcSystem cache : caches) {
        cache.acceptRemoteRequests(REMOTE_MSHRS);
      }
    }
    for (int p = 0; p < partitions; p++) {
      for (int q = 0; q < partitions; q++) {
        if (q != p) {
          int group = localPorts[q] + (p < q ? p : p - 1);
          caches[q].connectRemoteGroup(group, routers[p].remotePort(q));
          routers[p].useRemoteCredits(q, caches[q].credits(group));
        }
      }
    }
    sim.onWarmupEnd(this::resetStats);
  }

  /** Connects requester port {@code port}'s {@code requesterPort} (requests out, responses in). */
  public void connectPort(int port, Port requesterPort) {
    caches[portPartition[port]].connectGroup(portGroup[port], requesterPort);
  }

  /** The credits requester port {@code port} must hold to send a request. */
  public Credits credits(int port) {
    return caches[portPartition[port]].credits(portGroup[port]);
  }

  public int ports() {
    return ports;
  }

  public int partitions() {
    return partitions;
  }

  /** The partition requester port {@code port} belongs to. */
  public int partitionOfPort(int port) {
    return portPartition[port];
  }

  /** The home partition of {@code address}. */
  public int homeOf(long address) {
    return homes.homeOf(address);
  }

  /** Partition {@code p}'s crossbar and LLC. */
  public LlcSystem partition(int p) {
    return caches[p];
  }

  public HbmMemory hbm() {
    return hbm;
  }

  public HierarchyParams params() {
    return params;
  }

  /**
   * Adds the statistics: per partition its LLC ({@code <prefix>.p<i>.llc.*}), crossbar
   * ({@code .xbar.*}), energy ({@code .energy.*}, HBM activations counted in partition 0) and the
   * requests it sent to other partitions ({@code .remote_requests}); and the HBM's
   * ({@code <prefix>.hbm.*}).
   */
  public void exportStats(String prefix, Map<String, Number> out) {
    HbmStats h = hbm.stats();
    for (int p = 0; p < partitions; p++) {
      String name = prefix + ".p" + p;
      caches[p].exportStats(name, params.cache().energy(), p == 0 ? h.activates() : 0, out);
      out.put(name + ".remote_requests", routers[p].remoteRequests());
    }
    String hp = prefix + ".hbm.";
    out.put(hp + "read_requests", h.readRequests());
    out.put(hp + "write_requests", h.writeRequests());
    out.put(hp + "read_bursts", h.readBursts());
    out.put(hp + "write_bursts", h.writeBursts());
    out.put(hp + "row_hits", h.rowHits());
    out.put(hp + "row_misses", h.rowMisses());
    out.put(hp + "row_conflicts", h.rowConflicts());
    out.put(hp + "activates", h.activates());
  }

  private void resetStats() {
    for (PartitionRouter r : routers) {
      r.resetStats();
    }
    hbm.resetStats();
  }

  /** Partition {@code p} of {@code chip}: its share of slices, capacity and memory path. */
  static LlcParams partitionParams(LlcParams chip, int partitions, int p) {
    return new LlcParams(chip.capacityBytes() / partitions, chip.lineBytes(), chip.sectorBytes(),
        chip.ways(), chip.slices() / partitions, 1, chip.clockHz(), chip.sliceBytesPerCycle(),
        chip.hitLatencyPs(), chip.tagLatencyPs(), chip.fillLatencyPs(), chip.mshrsPerSlice(),
        chip.targetsPerMshr(), chip.inputQueue(), chip.writePolicy(), chip.replacement(),
        chip.seed() + p, chip.memoryPathBandwidth() / partitions, p);
  }

  /** The scheme of one partition: a reservation's size is split evenly like the capacity. */
  private static LlcScheme perPartition(LlcScheme scheme, int partitions, String source) {
    if (partitions == 1 || (scheme.reservation() == null && scheme.window() == null)) {
      return scheme;
    }
    if (scheme.window() != null) {
      throw new UserInputException(source + ": llc.reservation.baseline 'window' is not"
          + " supported with more than one LLC partition (set llc.partitions: 1)");
    }
    ReservationParams r = scheme.reservation();
    return LlcScheme.reservation(scheme.baseline(), new ReservationParams(
        r.sizeBytes() / partitions, r.unitTokens(), r.admission(), r.sharing(), r.lend(),
        r.retention(), r.ghostUnits()));
  }
}
