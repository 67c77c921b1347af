package org.dsasim.accel.memory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.dsasim.accel.config.AccelKeys;
import org.dsasim.accel.kernel.TrafficClass;
import org.dsasim.core.config.Config;
import org.dsasim.core.config.SimKeys;
import org.dsasim.core.config.Units;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.IntFifo;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
import org.dsasim.mem.hbm.HbmConfig;
import org.dsasim.mem.hbm.HbmMemory;
import org.dsasim.mem.hbm.HbmStats;
import org.dsasim.mem.hbm.HbmTiming;
import org.dsasim.mem.hbm.TimingParam;
import org.dsasim.mem.interconnect.CrossbarParams;
import org.dsasim.mem.interconnect.Credits;
import org.dsasim.mem.llc.LlcParams;
import org.dsasim.mem.llc.LlcStats;
import org.dsasim.mem.reservation.KvLayout;
import org.dsasim.mem.system.HierarchyParams;
import org.dsasim.mem.system.MemoryHierarchy;

/**
 * The detailed memory side ({@code memory.fidelity: detailed}): every request of the compute
 * units is split into line requests and sent into a {@link MemoryHierarchy} of the
 * {@code mem-hierarchy} module (crossbar with credits, LLC slices with MSHRs and the KV
 * reservation controller, partition routing, HBM controllers with JEDEC timing and FR-FCFS), and
 * answered when its last line is back.
 *
 * <p>Units share the hierarchy's requester ports as its interconnect groups do (unit {@code u} on
 * port {@code u * ports / units}). A request is expanded lazily: each port keeps a FIFO of the
 * requests it has to send and cuts the head one into the next line piece whenever the port holds
 * a credit, so a 1 MiB stream chunk never holds 8192 messages at once. A gather list (one
 * message for a batch of KV entries) is expanded entry by entry; pieces are cut at line and entry
 * boundaries, so each piece's first byte lies in its entry and the reservation finds the token
 * through the shared {@link KvLayout}. Writes are copied (the unit releases its message) and sent
 * the same way. Nothing is allocated per request: per-request state lives in arrays indexed by
 * message handle, the FIFOs are int rings.
 *
 * <p>The hierarchy's crossbar is the interconnect, so the links to the units are ideal
 * ({@link #modelsInterconnect}). Its HBM refreshes forever, so the event queue never drains: the
 * device stops when the units are idle and {@link #idle} holds.
 *
 * <p>The LLC has the preset's partitions, the KV reservation a pool in each entry's home
 * partition (see {@link #params}). Statistics are the hierarchy's own counters, summed over
 * partitions (see
 * {@link #stats}); the level of each response, which only splits the units' stall time into
 * causes, is inferred from its slowest line's latency (at least half way from the unloaded LLC
 * hit to the unloaded HBM access: HBM).
 */
public final class HierarchyMemory extends MemorySystem {
  private static final int KV = org.dsasim.mem.llc.TrafficClass.KV_GATHER;
  private static final int CLASSES = org.dsasim.mem.llc.TrafficClass.COUNT;

  private final MemoryHierarchy hierarchy;
  private final HbmMemory hbm;
  private final boolean reservation;
  private final int lineBytes;
  private final int[] portOfUnit;
  private final Port[] ports;
  private final Credits[] credits;
  private final long nearHitPs;
  private final long hbmUnloadedPs;
  private final long hbmThresholdPs;
  private final double burstPs;
  private final String description;
  private final GatherLists lists = new GatherLists();
  private final MemoryStats stats = new MemoryStats();

  // per port: FIFO ring of requests (message handles) still being cut into line pieces
  private final IntFifo[] fifo;

  // per request, indexed by message handle
  private int[] entryIndex = new int[256];
  private long[] nextAddr = new long[256];
  private int[] linesInFlight = new int[256];
  private boolean[] cut = new boolean[256];
  private long[] slowestPs = new long[256];

  /** Requests (reads and copied writes) accepted and not yet completed. */
  private int open;
  /** Bytes the units asked to read, per hierarchy traffic class. */
  private final long[] requestedBytes = new long[CLASSES];
  // line pieces sent, per class, reads and writes: the LLC accesses the units made (a miss in the
  // requester's partition is looked up again in the line's home; that is not a second request)
  private final long[] requestedPieces = new long[CLASSES];

  /**
   * @param params the hierarchy, with the run's KV layout and reservation bound in
   *     ({@link #params})
   */
  public HierarchyMemory(Simulator sim, String name, Messages messages, int units,
      HierarchyParams params) {
    super(sim, name, messages, units);
    CrossbarParams xbar = params.cache().interconnect();
    int portCount = Math.min(units, xbar.groups());
    hierarchy = new MemoryHierarchy(sim, messages, name + ".hierarchy", params, portCount);
    hbm = hierarchy.hbm();
    LlcParams llc = params.cache().llc();
    lineBytes = llc.lineBytes();
    reservation = params.cache().scheme().reservation() != null;
    portOfUnit = new int[units];
    for (int u = 0; u < units; u++) {
      portOfUnit[u] = (int) ((long) u * portCount / units);
    }
    ports = new Port[portCount];
    credits = new Credits[portCount];
    fifo = new IntFifo[portCount];
    for (int i = 0; i < portCount; i++) {
      final int port = i;
      fifo[i] = new IntFifo(64);
      ports[i] = addPort("llc" + i, (at, m) -> lineDone(m));
      hierarchy.connectPort(i, ports[i]);
      credits[i] = hierarchy.credits(i);
      credits[i].onAvailable(() -> pump(port));
    }

    nearHitPs = xbar.requestLatencyPs() + llc.hitLatencyPs() + xbar.responseLatencyPs();
    HbmTiming t = hbm.timing();
    long rowMissPs = Math.round((t.get(TimingParam.RCD_RD) + t.readDataCycles())
        * t.clock().periodPs());
    hbmUnloadedPs = xbar.requestLatencyPs() + llc.tagLatencyPs() + 2 * params.memoryLatencyPs()
        + hbm.config().controller().frontendLatencyPs() + rowMissPs + llc.fillLatencyPs()
        + xbar.responseLatencyPs();
    hbmThresholdPs = (nearHitPs + hbmUnloadedPs) / 2;
    burstPs = hbm.accessBytes() * 1e12 / (hbm.peakBytesPerSecond() / hbm.controllerCount());
    stats.hbmChannels = hbm.controllerCount();
    org.dsasim.mem.reservation.ReservationParams r = params.cache().scheme().reservation();
    description = String.format(Locale.ROOT,
        "detailed: memory preset %s, LLC %s in %d partitions (%d slices, %d-way %s), %d ports;"
            + " HBM %d pseudo-channels%s",
        params.preset(), Units.formatBytes(llc.capacityBytes()), llc.partitions(), llc.slices(),
        llc.ways(), llc.replacement(), portCount, hbm.controllerCount(),
        r == null ? "" : String.format(Locale.ROOT,
            ", KV reservation %s (%s, admission %s, sharing %s, split over the partitions)",
            Units.formatBytes(r.sizeBytes()), params.cache().scheme().baseline(), r.admission(),
            r.sharing()));
  }

  /**
   * The hierarchy of a decode run: the memory preset {@code memory.detailed.preset} (its HBM and
   * its {@code hierarchy} section), with the run's KV buffer {@code kv} and, if
   * {@code reservationBytes > 0}, a reservation of that size of the kind and policies the
   * {@code fastmem.llc.reservation_*} keys name (as for the fast model).
   */
  public static HierarchyParams params(Config cfg, long reservationBytes, KvLayout kv) {
    String preset = presetOf(cfg);
    Map<String, String> keys = new LinkedHashMap<>(HbmConfig.hierarchyKeys(preset));
    keys.put("kv.base", Long.toString(kv.base()));
    keys.put("kv.sequences", Integer.toString(kv.sequences()));
    keys.put("kv.layers", Integer.toString(kv.layers()));
    keys.put("kv.context", Integer.toString(kv.contextTokens()));
    keys.put("kv.entry_bytes", Integer.toString(kv.entryBytes()));
    keys.keySet().removeIf(k -> k.startsWith("llc.reservation.") || k.startsWith("llc.window."));
    if (reservationBytes > 0) {
      // the same policies, by the same names, as the fast model's reservation
      keys.put("llc.reservation.baseline", cfg.get(AccelKeys.LLC_RESERVATION_KIND));
      keys.put("llc.reservation.size", reservationBytes + "B");
      keys.put("llc.reservation.admission", cfg.get(AccelKeys.LLC_RESERVATION_ADMISSION));
      keys.put("llc.reservation.sharing", cfg.get(AccelKeys.LLC_RESERVATION_SHARING));
      keys.put("llc.reservation.ghost_units",
          Integer.toString(cfg.get(AccelKeys.LLC_RESERVATION_GHOST)));
    }
    String source = "memory preset '" + preset + "' (configs/memory/" + preset + ".yaml,"
        + " section hierarchy) with the run's KV buffer and reservation";
    // each partition reserves only the entries homed in it, so an entry is reserved once whichever
    // side gathers it; homing lines one by one would split an entry's lines over both homes (its
    // home-side pool then holds only half of it), so the home granule is the entry rounded up to
    // a power of two (at least a line): a power-of-two entry lives in one home. Lines homed one
    // by one with each side reserving what it gathered kept a reserved hit rate of 0.07 against
    // 0.54 in one partition; docs/model.md, "Fidelity levels"
    keys.put("llc.home_interleave", "entry");
    return HierarchyParams.bind(keys, HbmConfig.preset(preset), source, preset);
  }

  /** The memory preset of the detailed level: {@code memory.detailed.preset}, or the hardware's. */
  public static String presetOf(Config cfg) {
    String p = cfg.get(AccelKeys.DETAILED_PRESET);
    return p.equals("auto") ? cfg.get(SimKeys.HARDWARE) : p;
  }

  public MemoryHierarchy hierarchy() {
    return hierarchy;
  }

  // ---------------------------------------------------------------- requests

  @Override
  protected void onRead(int unit, int m) {
    int cls = messages.trafficClass(m);
    int n = (cls & TrafficClass.LIST) != 0 ? lists.count((int) messages.addr(m)) : 1;
    stats.readRequests += n;
    stats.readBytes += messages.bytes(m);
    accept(unit, m);
  }

  @Override
  protected void onWrite(int unit, int m) {
    stats.writeRequests++;
    stats.writeBytes += messages.bytes(m);
    // the unit releases m when this returns: send a copy, released when its lines are written
    int copy = messages.acquire(messages.addr(m), messages.bytes(m), Messages.WRITE,
        messages.trafficClass(m), unit, 0, sim.now());
    accept(unit, copy);
  }

  private void accept(int unit, int m) {
    ensure(m);
    entryIndex[m] = 0;
    nextAddr[m] = entryAddr(m, 0);
    linesInFlight[m] = 0;
    cut[m] = false;
    slowestPs[m] = 0;
    open++;
    int port = portOfUnit[unit];
    fifo[port].add(m);
    pump(port);
  }

  /** Sends line pieces of the port's queued requests while the port holds credits. */
  private void pump(int port) {
    Credits c = credits[port];
    IntFifo q = fifo[port];
    while (!q.isEmpty() && c.available()) {
      int m = q.peek();
      sendPiece(port, m);
      if (cut[m]) {
        q.poll();
      }
    }
  }

  /** Cuts the next piece of request {@code m} (up to its line's and its entry's end) and sends it. */
  private void sendPiece(int port, int m) {
    int e = entryIndex[m];
    long start = entryAddr(m, e);
    long end = start + entryBytes(m);
    long a = nextAddr[m];
    long lineEnd = (a / lineBytes + 1) * lineBytes;
    long pieceEnd = Math.min(end, lineEnd);
    int bytes = (int) (pieceEnd - a);
    int cls = hierarchyClass(messages.trafficClass(m));
    boolean write = messages.isWrite(m);
    if (!write) {
      requestedBytes[cls] += bytes;
    }
    requestedPieces[cls]++;
    int line = messages.acquire(a, bytes, write ? Messages.WRITE : Messages.READ, cls, port, m,
        sim.now());
    credits[port].take();
    linesInFlight[m]++;
    ports[port].send(line);
    if (pieceEnd < end) {
      nextAddr[m] = pieceEnd;
    } else if (e + 1 < entries(m)) {
      entryIndex[m] = e + 1;
      nextAddr[m] = entryAddr(m, e + 1);
    } else {
      cut[m] = true;
    }
  }

  /** A line piece is back: the request completes with its last piece. */
  private void lineDone(int line) {
    int m = (int) messages.tag(line);
    long latency = sim.now() - messages.created(line);
    messages.release(line);
    if (latency > slowestPs[m]) {
      slowestPs[m] = latency;
    }
    if (--linesInFlight[m] == 0 && cut[m]) {
      open--;
      if (messages.isWrite(m)) {
        messages.release(m);
      } else {
        boolean fromHbm = slowestPs[m] >= hbmThresholdPs;
        byte level = fromHbm ? ServedBy.HBM
            : reservation && TrafficClass.base(messages.trafficClass(m)) == TrafficClass.KV_GATHER
                ? ServedBy.LLC_RESERVED : ServedBy.LLC_NEAR;
        respond(m, level, fromHbm ? hbmUnloadedPs : nearHitPs, sim.now());
      }
    }
  }

  private boolean isList(int m) {
    return (messages.trafficClass(m) & TrafficClass.LIST) != 0;
  }

  private int entries(int m) {
    return isList(m) ? lists.count((int) messages.addr(m)) : 1;
  }

  private long entryAddr(int m, int e) {
    return isList(m) ? lists.addr((int) messages.addr(m), e) : messages.addr(m);
  }

  private int entryBytes(int m) {
    return isList(m) ? messages.bytes(m) / entries(m) : messages.bytes(m);
  }

  /** The hierarchy's traffic class of a request of class {@code cls} of the units. */
  static int hierarchyClass(int cls) {
    return switch (TrafficClass.base(cls)) {
      case TrafficClass.KV_GATHER -> org.dsasim.mem.llc.TrafficClass.KV_GATHER;
      case TrafficClass.INDEX_KEYS -> org.dsasim.mem.llc.TrafficClass.INDEXER_KEYS;
      case TrafficClass.WEIGHTS -> org.dsasim.mem.llc.TrafficClass.WEIGHTS;
      // appends write new tokens, which no reservation holds yet: they stay out of the KV class
      // so that its counters are the gathers' alone
      default -> org.dsasim.mem.llc.TrafficClass.OTHER;
    };
  }

  private void ensure(int m) {
    if (m >= cut.length) {
      int n = Math.max(m + 1, cut.length * 2);
      entryIndex = Arrays.copyOf(entryIndex, n);
      nextAddr = Arrays.copyOf(nextAddr, n);
      linesInFlight = Arrays.copyOf(linesInFlight, n);
      cut = Arrays.copyOf(cut, n);
      slowestPs = Arrays.copyOf(slowestPs, n);
    }
  }

  // ---------------------------------------------------------------- the device's view

  @Override
  public GatherLists gatherLists() {
    return lists;
  }

  @Override
  public boolean modelsInterconnect() {
    return true;
  }

  @Override
  public boolean hasBackgroundEvents() {
    return true;
  }

  @Override
  public boolean idle() {
    return open == 0;
  }

  @Override
  public void endDecodeStep() {
    for (int p = 0; p < hierarchy.partitions(); p++) {
      hierarchy.partition(p).llc().endDecodeStep();
    }
  }

  /**
   * The hierarchy's counters in the fast model's terms, summed over partitions. Lookups are the
   * line pieces the units sent; hits are summed over partitions, so a line that missed in the
   * requester's partition and hit in its home counts once, as served by the LLC, and a hit rate is
   * the share of the units' accesses the LLC served. With a reservation, the KV-gather pieces are
   * its lookups and their reserved hits its hits; the other pieces are the shared part's. Bytes
   * by level, per traffic class: what the units asked for minus what came from HBM (the read
   * bytes minus the fill bytes of all partitions, since a far partition's read is the near
   * partition's fill) is the LLC's, counted as reserved for KV gathers under a reservation; the
   * rest is HBM's. No near/far split.
   */
  @Override
  public MemoryStats stats() {
    long[] read = new long[CLASSES];
    long[] fill = new long[CLASSES];
    long sharedHits = 0;
    long kvReservedHits = 0;
    long kvSharedHits = 0;
    for (int p = 0; p < hierarchy.partitions(); p++) {
      LlcStats s = hierarchy.partition(p).llc().stats();
      sharedHits += s.total(LlcStats.SHARED_HITS);
      kvReservedHits += s.get(KV, LlcStats.RESERVED_HITS);
      kvSharedHits += s.get(KV, LlcStats.SHARED_HITS);
      for (int c = 0; c < CLASSES; c++) {
        read[c] += s.get(c, LlcStats.READ_BYTES);
        fill[c] += s.get(c, LlcStats.FILL_BYTES);
      }
    }
    long accesses = Arrays.stream(requestedPieces).sum();
    long kvAccesses = requestedPieces[KV];
    if (reservation) {
      stats.reservedLookups = kvAccesses;
      stats.reservedHits = kvReservedHits;
      stats.sharedLookups = accesses - kvAccesses;
      stats.sharedHits = sharedHits - kvSharedHits;
    } else {
      stats.reservedLookups = 0;
      stats.reservedHits = 0;
      stats.sharedLookups = accesses;
      stats.sharedHits = sharedHits;
    }
    Arrays.fill(stats.bytesByLevel, 0);
    for (int c = 0; c < CLASSES; c++) {
      long llc = Math.max(0, Math.min(requestedBytes[c], read[c] - fill[c]));
      stats.bytesByLevel[reservation && c == KV ? ServedBy.LLC_RESERVED : ServedBy.LLC_NEAR] +=
          llc;
      stats.bytesByLevel[ServedBy.HBM] += requestedBytes[c] - llc;
    }
    HbmStats h = hbm.stats();
    stats.hbmReadBytes = h.readBursts() * hbm.accessBytes();
    stats.hbmWriteBytes = h.writeBursts() * hbm.accessBytes();
    stats.hbmActivations = h.activates();
    stats.hbmBusyPs = Math.round((h.readBursts() + h.writeBursts()) * burstPs);
    return stats;
  }

  @Override
  public void resetStats() {
    stats.reset();
    Arrays.fill(requestedBytes, 0);
    Arrays.fill(requestedPieces, 0);
    for (int p = 0; p < hierarchy.partitions(); p++) {
      hierarchy.partition(p).llc().resetStats();
      hierarchy.partition(p).crossbar().resetStats();
    }
    hbm.resetStats();
  }

  @Override
  public String describe() {
    return description;
  }
}
