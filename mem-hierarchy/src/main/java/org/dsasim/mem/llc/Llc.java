package org.dsasim.mem.llc;

import java.util.Arrays;
import java.util.Map;
import java.util.function.LongPredicate;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.IntFifo;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
import org.dsasim.core.reuse.LongIntHashMap;
import org.dsasim.core.time.ClockDomain;
import org.dsasim.mem.interconnect.Credits;
import org.dsasim.mem.interconnect.SliceMap;
import org.dsasim.mem.replacement.ReplacementPolicies;
import org.dsasim.mem.replacement.ReplacementPolicy;
import org.dsasim.mem.reservation.KvLayout;
import org.dsasim.mem.reservation.ReservationListener;
import org.dsasim.mem.reservation.SharingPolicies;
import org.dsasim.mem.reservation.TokenReservation;

/**
 * The timed last-level cache: sectored, set-associative, sliced, with MSHRs, write-back, and
 * optionally a KV reservation or a persisting window ({@link LlcScheme}).
 *
 * <h2>Ports</h2>
 *
 * <ul>
 *   <li>{@code cpu_side.<s>} for each slice {@code s}: requests in, responses out. A request is a
 *       {@link Messages} handle with {@code READ} or {@code WRITE}, an address and a size that stay
 *       within one line, and a {@link TrafficClass}; it must go to the port of the slice
 *       {@link #sliceOf} names (the {@link org.dsasim.mem.interconnect.Crossbar} routes so). The
 *       sender takes one of {@link #credits(int)} per request; the credit returns when the request
 *       leaves the slice's input queue. The response is the same handle marked
 *       {@link Messages#RESPONSE}, sent back through the same port; the requester releases it.
 *   <li>{@code mem_side}: fills ({@code READ}, sector-aligned, within a line, tag = the MSHR) and
 *       write-backs ({@code WRITE}) go out; the memory answers every request, writes included, with
 *       the same handle marked {@code RESPONSE} and its tag unchanged, and the LLC releases it. The
 *       LLC sends only while {@link Port#canSend()}, so a memory that limits requests in flight
 *       (its link's in-flight limit) back-pressures the LLC through {@link Port#onCredit}; a
 *       memory with reserved queue space (the HBM model) is plugged with
 *       {@link #useMemoryFlowControl}.
 * </ul>
 *
 * <h2>Timing</h2>
 *
 * Each slice serves its input queue in order through two pipelined resources: a tag stage that
 * starts one lookup per cycle, and a data path (array and response port) that moves
 * {@code sliceBytesPerCycle} bytes per cycle. A hit (or a write) moves its bytes at its lookup,
 * so it starts only when the data path is free and holds it for
 * {@code ceil(bytes / sliceBytesPerCycle)} cycles; it responds {@code hitLatencyPs} after its
 * service starts. A miss needs only the tag stage: it allocates an MSHR (or joins the one already
 * fetching the line), sends one fill request per run of missing sectors {@code tagLatencyPs} after
 * service start, and responds {@code fillLatencyPs} after the last sector it needs is filled;
 * its bytes cross the data path once, with the fill (fills and write-backs hold the data path
 * for their bytes, ahead of queued requests). So a slice moves at most
 * {@code sliceBytesPerCycle} bytes per cycle whether its requests hit or miss. When the head
 * request needs an MSHR and none is free, or its MSHR has no target left, the slice stalls until
 * a fill frees one; its queue then fills up and its credits stop returning, which is how the
 * requester learns to wait.
 *
 * <h2>Requests from other partitions</h2>
 *
 * In a partitioned LLC ({@link #acceptRemoteRequests}) each slice has a second input queue,
 * {@code remote_side.<s>} with its own credits, for the misses and write-backs other partitions
 * send to this, their home, partition; and {@code reservedMshrs} of each slice's MSHRs are kept
 * for them. Serving a remote request waits only on the HBM (this partition is the line's home),
 * never on another partition, so it must not wait behind local requests that do (a local miss of
 * a line homed elsewhere holds its MSHR until that partition answers): the slice serves its
 * remote queue's head first, and when the local head is stalled the remote queue still moves.
 * Without the split two partitions whose MSHRs are all held by misses homed in the other stall
 * forever, each one's remote requests queued behind its own stalled local head.
 *
 * <h2>Lines and sectors</h2>
 *
 * A miss allocates its line frame at once (its victim is written back if dirty) and locks it until
 * the line's fetches are done; if every candidate frame is locked the miss bypasses the cache.
 * Only missing sectors are fetched. Writes mark their sectors valid and dirty without a fetch.
 *
 * <h2>Reservation</h2>
 *
 * A KV-gather access inside the KV buffer looks up its unit in the {@link TokenReservation} first.
 * If absent, the admission policy may admit it (a slot is allocated at once, evicting per the
 * sharing policy); sectors found in the shared part are then moved into the unit without memory
 * traffic; missing sectors are fetched into the unit, not into a shared frame. Reserved capacity is
 * carved out of the tag array ({@link CarvedRegion}); other traffic may use carved frames only if
 * the reservation lends them, and loses them the moment a unit claims them. Writes to a resident
 * unit update it; other writes never enter the reservation.
 *
 * <p>In a partitioned LLC each partition's reservation keeps only the units homed in it
 * ({@link #reserveHomedUnitsOnly}): a KV gather of a unit homed elsewhere is not looked up in the
 * reservation here and passes through to the home without taking a shared frame, and the home's
 * reservation serves or admits it. So a unit is reserved once, however many partitions'
 * requesters gather it, and every gather of it reaches its home's LRU order (a copy in the
 * requester's shared part would answer later gathers there and leave the home's copy to age out).
 */
public final class Llc extends Component implements SliceMap {
  private static final int WAKE = 0;
  private static final int RESPOND = 1;
  private static final int ISSUE = 2;
  private static final int MEMORY_DRAIN = 3;
  private static final int MEMORY_SLOT = 4;
  private static final int NONE = -1;
  // what serving a queue's head came to
  private static final int SERVED = 0;
  private static final int EMPTY = 1;
  private static final int STALLED = 2;
  private static final int DATA_BUSY = 3;

  private final Messages messages;
  private final LlcParams params;
  private final LlcScheme scheme;
  private final int lineShift;
  private final int sectorShift;
  private final int lineMask;
  private final int setsPerSlice;
  private final LinePlacement placement;
  private final TagStore tags;
  private final ReplacementPolicy replacement;
  private final PartitionPolicy partitionPolicy;
  private final CarvedRegion region;
  private final TokenReservation reservation;
  /** Whether a unit starting at an address belongs in this LLC's reservation. */
  private LongPredicate reservesUnitAt = address -> true;
  private final WindowParams window;
  private final LlcStats stats = new LlcStats();

  /** Per input queue ({@code s} local, {@code slices + s} remote): its port and its credits. */
  private final Port[] cpuPorts;
  private final Port memPort;
  private final Credits[] credits;
  /** MSHRs per slice that only remote requests may take. */
  private int reservedMshrs;

  private final long hitPs;
  private final long tagPs;
  private final long fillPs;
  /** Data-path occupancy of a transfer of {@code b} bytes, {@code b} in [0, lineBytes]. */
  private final long[] occupancyPs;
  /** One LLC cycle: a slice starts at most one lookup per cycle. */
  private final long lookupPs;
  /** Per slice, when its tag stage takes the next lookup. */
  private final long[] tagBusyUntil;
  /** Per slice, when its data path (array and response port) is free. */
  private final long[] dataBusyUntil;
  private final boolean[] stalled;
  private final boolean[] wakePending;

  // input queues, local ones then remote ones: ring buffers of message handles in one array
  private final int queueDepth;
  private final int[] queue;
  private final int[] queueHead;
  private final int[] queueSize;

  // MSHRs, numbered globally: slice s owns [s * mshrs, (s + 1) * mshrs)
  private final int mshrs;
  private final long[] mshrLine;
  private final int[] mshrFrame;
  private final int[] mshrInFlight;
  private final int[] mshrFirstWaiter;
  private final int[] mshrLastWaiter;
  private final int[] mshrWaiters;
  private final int[] mshrFree;
  private final int[] mshrFreeTop;
  private final LongIntHashMap mshrOfLine;

  // requests waiting on MSHRs: a FIFO list per MSHR threaded through int arrays
  private final int[] waiterMessage;
  private final int[] waiterQueue;
  private final int[] waiterNeed;
  private final int[] waiterNext;
  private final int[] waiterFree;
  private int waiterFreeTop;

  // requests to memory waiting for the memory port or the memory path
  private final IntFifo memQueue = new IntFifo(64);
  private final double memPsPerByte;
  private long memPathFree;
  private boolean memDrainPending;
  private MemoryFlowControl flowControl;
  private boolean memAwaitingSlot;
  /** Sectors per aligned block memory requests must not cross. */
  private int sectorsPerBlock;

  private long lentLines;
  private long reclaimedLines;

  /**
   * An LLC with the {@link LinePlacement#hashed hashed} line placement.
   *
   * @param layout the KV buffer; required by a reservation, otherwise may be null
   */
  public Llc(
      Simulator sim,
      String name,
      Messages messages,
      LlcParams params,
      LlcScheme scheme,
      KvLayout layout) {
    this(sim, name, messages, params, scheme, layout,
        LinePlacement.hashed(params.slices(), params.setsPerSlice()));
  }

  /**
   * @param layout the KV buffer; required by a reservation, otherwise may be null
   * @param placement which slice and set hold a line
   */
  public Llc(
      Simulator sim,
      String name,
      Messages messages,
      LlcParams params,
      LlcScheme scheme,
      KvLayout layout,
      LinePlacement placement) {
    super(sim, name);
    validate(params, scheme, layout);
    this.messages = messages;
    this.params = params;
    this.scheme = scheme;
    int slices = params.slices();
    int ways = params.ways();
    this.lineShift = Integer.numberOfTrailingZeros(params.lineBytes());
    this.sectorShift = Integer.numberOfTrailingZeros(params.sectorBytes());
    this.lineMask = params.lineBytes() - 1;
    this.placement = placement;
    this.setsPerSlice = params.setsPerSlice();
    int sets = Math.multiplyExact(slices, setsPerSlice);
    this.tags = new TagStore(sets, ways);
    this.replacement = ReplacementPolicies.create(params.replacement(), sets, ways, params.seed());

    if (scheme.reservation() != null) {
      this.reservation = new TokenReservation(scheme.reservation(), layout, params.lineBytes(),
          params.sectorBytes(), new ReservedFrames());
      this.region = new CarvedRegion(sets, ways, reservation.frames());
      this.window = null;
      this.partitionPolicy = new ReservedPartition(ways, region, reservation);
    } else if (scheme.window() != null) {
      WindowParams w = scheme.window();
      this.reservation = null;
      this.window = w;
      this.region = new CarvedRegion(sets, ways, (int) (w.setAsideBytes() >>> lineShift));
      this.partitionPolicy = new PersistingPartition(tags, region);
    } else {
      this.reservation = null;
      this.window = null;
      this.region = new CarvedRegion(sets, ways, 0);
      this.partitionPolicy = new ReservedPartition(ways, region, null);
    }

    ClockDomain clock = new ClockDomain(name, params.clockHz());
    this.hitPs = params.hitLatencyPs();
    this.tagPs = params.tagLatencyPs();
    this.fillPs = params.fillLatencyPs();
    this.occupancyPs = new long[params.lineBytes() + 1];
    for (int b = 0; b <= params.lineBytes(); b++) {
      long cycles = Math.max(1, (b + params.sliceBytesPerCycle() - 1) / params.sliceBytesPerCycle());
      occupancyPs[b] = clock.duration(cycles);
    }
    this.lookupPs = clock.duration(1);
    double pathBandwidth = params.memoryPathBandwidth();
    if (window != null && window.setAsideBytes() > 0) {
      pathBandwidth *= 1 - window.streamingPenalty();
    }
    this.memPsPerByte = Double.isInfinite(pathBandwidth) ? 0 : 1e12 / pathBandwidth;
    this.sectorsPerBlock = params.sectorsPerLine();

    this.tagBusyUntil = new long[slices];
    this.dataBusyUntil = new long[slices];
    this.stalled = new boolean[slices];
    this.wakePending = new boolean[slices];
    this.queueDepth = params.inputQueue();
    this.queue = new int[Math.multiplyExact(2 * slices, queueDepth)];
    this.queueHead = new int[2 * slices];
    this.queueSize = new int[2 * slices];

    this.mshrs = params.mshrsPerSlice();
    int totalMshrs = Math.multiplyExact(slices, mshrs);
    this.mshrLine = new long[totalMshrs];
    this.mshrFrame = new int[totalMshrs];
    this.mshrInFlight = new int[totalMshrs];
    this.mshrFirstWaiter = new int[totalMshrs];
    this.mshrLastWaiter = new int[totalMshrs];
    this.mshrWaiters = new int[totalMshrs];
    this.mshrFree = new int[totalMshrs];
    this.mshrFreeTop = new int[slices];
    for (int s = 0; s < slices; s++) {
      for (int i = mshrs - 1; i >= 0; i--) {
        mshrFree[s * mshrs + mshrFreeTop[s]++] = s * mshrs + i;
      }
    }
    this.mshrOfLine = new LongIntHashMap(totalMshrs, NONE);
    int totalWaiters = Math.multiplyExact(totalMshrs, params.targetsPerMshr());
    this.waiterMessage = new int[totalWaiters];
    this.waiterQueue = new int[totalWaiters];
    this.waiterNeed = new int[totalWaiters];
    this.waiterNext = new int[totalWaiters];
    this.waiterFree = new int[totalWaiters];
    for (int i = totalWaiters - 1; i >= 0; i--) {
      waiterFree[waiterFreeTop++] = i;
    }

    this.cpuPorts = new Port[2 * slices];
    this.credits = new Credits[2 * slices];
    for (int s = 0; s < slices; s++) {
      final int slice = s;
      cpuPorts[s] = addPort("cpu_side." + s, (at, m) -> fromCpu(slice, slice, m));
      credits[s] = new Credits(name + ".cpu_side." + s, queueDepth);
    }
    this.memPort = addPort("mem_side", (at, m) -> fromMemory(m));
    memPort.onCredit(this::drainMemory);
    sim.onWarmupEnd(this::resetStats);
  }

  /**
   * Checks that an LLC of these parameters can be built, with an
   * {@link IllegalArgumentException} naming the offending parameter otherwise.
   */
  public static void validate(LlcParams params, LlcScheme scheme, KvLayout layout) {
    int sets = params.slices() * params.setsPerSlice();
    if (scheme.reservation() != null) {
      if (layout == null) {
        throw new IllegalArgumentException("a KV reservation needs the KV layout (kv.*)");
      }
      TokenReservation.Geometry g = TokenReservation.geometry(
          scheme.reservation(), layout, params.lineBytes(), params.sectorBytes());
      CarvedRegion.check(sets, params.ways(), g.frames());
      SharingPolicies.create(scheme.reservation().sharing(), g.capacityUnits(), layout);
    }
    WindowParams w = scheme.window();
    if (w != null) {
      if (w.setAsideBytes() > w.maxSetAsideFraction() * params.capacityBytes()) {
        throw new IllegalArgumentException("llc.reservation.size (set-aside) " + w.setAsideBytes()
            + " B exceeds " + w.maxSetAsideFraction() + " of the LLC");
      }
      CarvedRegion.check(sets, params.ways(), w.setAsideBytes() / params.lineBytes());
      if (w.setAsideBytes() > 0 && w.streamingPenalty() > 0
          && Double.isInfinite(params.memoryPathBandwidth())) {
        throw new IllegalArgumentException("llc.window.streaming_penalty needs a finite"
            + " llc.memory_path_bandwidth to take its share of");
      }
    }
  }

  // ---------------------------------------------------------------- geometry (SliceMap)

  @Override
  public int slices() {
    return params.slices();
  }

  @Override
  public int partitions() {
    return params.partitions();
  }

  @Override
  public int sliceOf(long address) {
    return sliceOfLine(address >>> lineShift);
  }

  @Override
  public int partitionOfSlice(int slice) {
    return (int) ((long) slice * params.partitions() / params.slices());
  }

  private int sliceOfLine(long line) {
    return placement.sliceOf(line);
  }

  /** The set (numbered across all slices) that holds {@code address}'s line. */
  public int setOf(long address) {
    long line = address >>> lineShift;
    return sliceOfLine(line) * setsPerSlice + placement.setInSlice(line);
  }

  public LlcParams params() {
    return params;
  }

  public LlcScheme scheme() {
    return scheme;
  }

  /** The reservation, or null. */
  public TokenReservation reservation() {
    return reservation;
  }

  public LlcStats stats() {
    return stats;
  }

  /** Every slice's request port, in slice order. */
  public Port[] cpuSidePorts() {
    return Arrays.copyOf(cpuPorts, params.slices());
  }

  /**
   * Keeps in the reservation only the units whose first byte {@code homedHere} accepts (the
   * partition's homed units); gathers of other units pass through to memory uncached.
   */
  public void reserveHomedUnitsOnly(LongPredicate homedHere) {
    this.reservesUnitAt = homedHere;
  }

  /**
   * Gives every slice a second input queue, port {@code remote_side.<s>} with
   * {@link #remoteCredits()}, for requests from other partitions, and keeps
   * {@code reservedMshrs} of each slice's MSHRs for them (see the class comment).
   */
  public void acceptRemoteRequests(int reservedMshrs) {
    if (cpuPorts[params.slices()] != null) {
      throw new IllegalStateException(name() + ": remote requests already accepted");
    }
    if (reservedMshrs < 1 || reservedMshrs >= mshrs) {
      throw new IllegalArgumentException(name() + ": MSHRs reserved for remote requests must be"
          + " in [1, llc.mshrs - 1 = " + (mshrs - 1) + "], got " + reservedMshrs);
    }
    this.reservedMshrs = reservedMshrs;
    int slices = params.slices();
    for (int s = 0; s < slices; s++) {
      final int slice = s;
      cpuPorts[slices + s] = addPort("remote_side." + s,
          (at, m) -> fromCpu(slice, slices + slice, m));
      credits[slices + s] = new Credits(name() + ".remote_side." + s, queueDepth);
    }
  }

  /** Every slice's remote request port, in slice order (after {@link #acceptRemoteRequests}). */
  public Port[] remoteSidePorts() {
    return Arrays.copyOfRange(cpuPorts, params.slices(), 2 * params.slices());
  }

  /** The credits of every slice's remote input queue, in slice order. */
  public Credits[] remoteCredits() {
    return Arrays.copyOfRange(credits, params.slices(), 2 * params.slices());
  }

  /** The credits for slice {@code s}'s input queue. */
  public Credits credits(int s) {
    return credits[s];
  }

  /** Every slice's credits, in slice order. */
  public Credits[] allCredits() {
    return Arrays.copyOf(credits, params.slices());
  }

  public Port memSide() {
    return memPort;
  }

  /**
   * Makes the LLC reserve memory queue space before each request it sends and split its requests
   * at the memory's {@link MemoryFlowControl#contiguousBytes() blocks} (the HBM model's protocol).
   * Without it the LLC relies on its port's in-flight limit alone.
   */
  public void useMemoryFlowControl(MemoryFlowControl control) {
    int block = control.contiguousBytes();
    if (Integer.bitCount(block) != 1 || block < params.sectorBytes()) {
      throw new IllegalArgumentException(memPort + ": the memory's contiguous block of " + block
          + " B must be a power of two of at least one " + params.sectorBytes() + "-B sector");
    }
    this.flowControl = control;
    this.sectorsPerBlock = Math.min(params.sectorsPerLine(), block / params.sectorBytes());
  }

  /** Shared lines now living in frames carved for the reservation or the set-aside. */
  public long lentLines() {
    return lentLines;
  }

  /** MSHRs in use in all slices. */
  public int mshrsInUse() {
    return mshrOfLine.size();
  }

  /**
   * Tells the reservation that a decode step ended (retention and second-touch admission count
   * steps). Call it between steps; it does nothing without a reservation.
   */
  public void endDecodeStep() {
    if (reservation != null) {
      reservation.endStep();
    }
  }

  // ---------------------------------------------------------------- request path

  /** A request for slice {@code s} arrives in its input queue {@code q}. */
  private void fromCpu(int s, int q, int m) {
    checkRequest(s, m);
    if (queueSize[q] == queueDepth) {
      throw new IllegalStateException(cpuPorts[q] + ": input queue overflow: a sender ignored"
          + " its credits");
    }
    queue[q * queueDepth + (queueHead[q] + queueSize[q]) % queueDepth] = m;
    queueSize[q]++;
    if (q != s) {
      // a stall of the local head must not hold a remote request: try it now
      stalled[s] = false;
    }
    if (!wakePending[s] && !stalled[s]) {
      serve(s);
    }
  }

  private void checkRequest(int s, int m) {
    long addr = messages.addr(m);
    int bytes = messages.bytes(m);
    int cls = messages.trafficClass(m);
    if (messages.isResponse(m) || (messages.command(m) & 0xff) > Messages.WRITE) {
      throw new IllegalArgumentException(cpuPorts[s] + ": expected a READ or WRITE request,"
          + " got command " + messages.command(m));
    }
    if (bytes < 1 || (addr & lineMask) + bytes > params.lineBytes() || addr < 0) {
      throw new IllegalArgumentException(cpuPorts[s] + ": request of " + bytes + " B at "
          + addr + " does not lie within one " + params.lineBytes() + "-B line");
    }
    if (cls < 0 || cls >= TrafficClass.COUNT) {
      throw new IllegalArgumentException(cpuPorts[s] + ": unknown traffic class " + cls);
    }
    if (sliceOf(addr) != s) {
      throw new IllegalArgumentException(cpuPorts[s] + ": address " + addr + " belongs to slice "
          + sliceOf(addr));
    }
  }

  /**
   * Serves the heads of slice {@code s}'s queues whenever its tag stage is free: the remote
   * queue's first, the local queue's when the remote one is empty or its head must wait.
   */
  private void serve(int s) {
    int remote = params.slices() + s;
    while (queueSize[s] > 0 || queueSize[remote] > 0) {
      long now = sim.now();
      if (tagBusyUntil[s] > now) {
        wakeAt(s, tagBusyUntil[s]);
        return;
      }
      int first = serveHead(s, remote, now);
      if (first == SERVED) {
        continue;
      }
      int second = serveHead(s, s, now);
      if (second == SERVED) {
        continue;
      }
      if (first == DATA_BUSY || second == DATA_BUSY) {
        wakeAt(s, dataBusyUntil[s]);
      } else {
        stalled[s] = true;
      }
      return;
    }
  }

  /** Serves the head of slice {@code s}'s queue {@code q}: SERVED, EMPTY, STALLED or DATA_BUSY. */
  private int serveHead(int s, int q, long now) {
    if (queueSize[q] == 0) {
      return EMPTY;
    }
    int m = queue[q * queueDepth + queueHead[q]];
    int outcome = access(s, q, m, now);
    if (outcome == STALLED) {
      stats.add(messages.trafficClass(m), LlcStats.STALLS, 1);
    }
    if (outcome != SERVED) {
      return outcome;
    }
    queueHead[q] = (queueHead[q] + 1) % queueDepth;
    queueSize[q]--;
    credits[q].give();
    return SERVED;
  }

  private void wakeAt(int s, long time) {
    if (!wakePending[s]) {
      wakePending[s] = true;
      sim.scheduleAt(time, Simulator.DEFAULT_PRIORITY, this, WAKE, s);
    }
  }

  private void unstall(int s) {
    if (stalled[s]) {
      stalled[s] = false;
      wakeAt(s, sim.now());
    }
  }

  /** Sectors of the line touched by {@code bytes} bytes at {@code addr}: bit j = sector j. */
  private int sectorMask(long addr, int bytes) {
    int first = (int) (addr & lineMask) >>> sectorShift;
    int last = (int) ((addr & lineMask) + bytes - 1) >>> sectorShift;
    return (int) ((-1L >>> (63 - last + first)) << first);
  }

  /**
   * Looks up one request at {@code now} and serves it: SERVED, or (no state changed) STALLED when
   * it needs an MSHR or a target that is not free, DATA_BUSY when it must move data now (a hit or
   * a write) and the data path is not free.
   */
  private int access(int s, int q, int m, long now) {
    long addr = messages.addr(m);
    int bytes = messages.bytes(m);
    int cls = messages.trafficClass(m);
    long line = addr >>> lineShift;
    int set = s * setsPerSlice + placement.setInSlice(line);
    int request = sectorMask(addr, bytes);
    boolean kv = reservation != null && cls == TrafficClass.KV_GATHER && reservation.covers(addr);
    long unit = kv ? reservation.unitKeyOf(addr) : 0;
    // a unit homed in another partition is reserved there: it passes through, uncached here
    boolean elsewhere = kv && !reservesUnitAt.test(reservation.unitAddress(unit));
    kv &= !elsewhere;
    int slot = kv ? reservation.lookup(unit) : NONE;
    int way = tags.find(set, line);
    int frame = way >= 0 ? tags.frame(set, way) : NONE;

    if (messages.isWrite(m)) {
      if (dataBusyUntil[s] > now) {
        return DATA_BUSY;
      }
      write(s, q, m, now, set, way, frame, slot, line, request, cls);
      return SERVED;
    }

    int inUnit = slot >= 0 ? reservation.unitMask(slot, line) : 0;
    int fromSlot = slot >= 0 ? reservation.validMask(slot, line) & request : 0;
    int frameValid = frame >= 0 ? tags.valid[frame] : 0;
    int need = request & ~fromSlot & ~frameValid;
    int mshr = NONE;
    if (need != 0) {
      mshr = mshrOfLine.get(line);
      int untouchable = q == s ? reservedMshrs : 0;
      if (mshr == NONE
          ? mshrFreeTop[s] <= untouchable : mshrWaiters[mshr] >= params.targetsPerMshr()) {
        return STALLED;
      }
    } else if (dataBusyUntil[s] > now) {
      return DATA_BUSY;
    }

    // the request is served from here on. The tag stage and the data path are separate
    // resources, pipelined as in a real slice: every lookup takes the tag stage for one cycle,
    // but only a hit moves its bytes now. A miss moves them once, when its fill is written into
    // the array and forwarded (fill()); charging the data path at the lookup as well would
    // count a miss's bytes twice and halve a slice's miss bandwidth (a one-port stream then
    // stopped at 3 of the HBM's 4.8 TB/s, its partition's 48 slices all busy, docs/membench.md).
    tagBusyUntil[s] = now + lookupPs;
    if (need == 0) {
      dataBusyUntil[s] = now + occupancyPs[bytes];
    }
    stats.add(cls, LlcStats.ACCESSES, 1);
    stats.add(cls, LlcStats.READ_BYTES, bytes);
    boolean wasResident = slot >= 0;
    if (kv && slot < 0 && reservation.admits(unit)) {
      slot = reservation.allocate(unit); // may claim the frame found above
      inUnit = reservation.unitMask(slot, line);
    }
    if (slot >= 0) {
      int promoted = frameValid & inUnit;
      if (promoted != 0) {
        reservation.markValid(slot, line, promoted);
      }
      reservation.touch(slot);
    }
    if (frame >= 0) {
      if (tags.line[frame] == line) {
        replacement.onHit(set, way);
      } else {
        frame = NONE; // claimed by the unit just admitted
      }
    }

    if (need == 0) {
      boolean reservedHit = wasResident
          ? fromSlot == request
          : frame >= 0 && tags.partition[frame] == PartitionPolicy.PERSISTING;
      stats.add(cls, LlcStats.HITS, 1);
      stats.add(cls, reservedHit ? LlcStats.RESERVED_HITS : LlcStats.SHARED_HITS, 1);
      respondAt(now + hitPs, q, m);
      return SERVED;
    }

    int inFlight = mshr >= 0 ? mshrInFlight[mshr] : 0;
    int fetch = need & ~inFlight;
    int outcome;
    if (fetch == 0) {
      outcome = LlcStats.MERGED_MISSES;
    } else if (wasResident || frame >= 0 || mshr >= 0) {
      outcome = LlcStats.SECTOR_MISSES;
    } else {
      outcome = LlcStats.MISSES;
    }
    stats.add(cls, outcome, 1);
    if (mshr == NONE) {
      mshr = allocateMshr(s, line);
    }
    if (slot < 0 && mshrFrame[mshr] == NONE && !elsewhere) {
      if (frame < 0) {
        frame = allocateFrame(set, line, cls, fillPartition(addr));
      }
      if (frame >= 0) {
        mshrFrame[mshr] = frame;
        tags.mshr[frame] = mshr;
      } else {
        stats.add(cls, LlcStats.BYPASSES, 1);
      }
    }
    addWaiter(mshr, q, m, need);
    if (fetch != 0) {
      mshrInFlight[mshr] |= fetch;
      emitRuns(line, fetch, Messages.READ, cls, mshr, now + tagPs);
    }
    return SERVED;
  }

  /** Serves write {@code m} from slice {@code s}'s input queue {@code q}. */
  private void write(
      int s, int q, int m, long now, int set, int way, int frame, int slot, long line,
      int request, int cls) {
    int bytes = messages.bytes(m);
    tagBusyUntil[s] = now + lookupPs;
    dataBusyUntil[s] = now + occupancyPs[bytes];
    stats.add(cls, LlcStats.ACCESSES, 1);
    stats.add(cls, LlcStats.WRITE_BYTES, bytes);
    if (slot >= 0 && (request & ~reservation.unitMask(slot, line)) == 0) {
      reservation.markWritten(slot, line, request);
      reservation.touch(slot);
      stats.add(cls, LlcStats.HITS, 1);
      stats.add(cls, LlcStats.RESERVED_HITS, 1);
    } else if (frame >= 0) {
      tags.valid[frame] |= request;
      tags.dirty[frame] |= request;
      replacement.onHit(set, way);
      stats.add(cls, LlcStats.HITS, 1);
      stats.add(cls, tags.partition[frame] == PartitionPolicy.PERSISTING
          ? LlcStats.RESERVED_HITS : LlcStats.SHARED_HITS, 1);
    } else {
      stats.add(cls, LlcStats.MISSES, 1);
      long addr = messages.addr(m);
      int f = params.writePolicy() == WritePolicy.ALLOCATE
          ? allocateFrame(set, line, cls, fillPartition(addr)) : NONE;
      if (f >= 0) {
        tags.valid[f] = request;
        tags.dirty[f] = request;
      } else {
        if (params.writePolicy() == WritePolicy.ALLOCATE) {
          stats.add(cls, LlcStats.BYPASSES, 1);
        }
        stats.add(cls, LlcStats.WRITE_THROUGH_BYTES, bytes);
        writeThrough(addr, bytes, cls);
      }
    }
    respondAt(now + hitPs, q, m);
  }

  /** Sends a write's bytes on to memory as they are, split at the memory's block boundaries. */
  private void writeThrough(long addr, int bytes, int cls) {
    long block = (long) sectorsPerBlock << sectorShift;
    for (long a = addr, end = addr + bytes; a < end; ) {
      int piece = (int) (Math.min(end, (a / block + 1) * block) - a);
      sendToMemory(messages.acquire(a, piece, Messages.WRITE, cls, params.memorySourceId(), NONE,
          sim.now()));
      a += piece;
    }
  }

  private int fillPartition(long addr) {
    return window != null && window.isPersisting(addr)
        ? PartitionPolicy.PERSISTING : PartitionPolicy.NORMAL;
  }

  /** Picks and empties a frame of {@code set} for {@code line}; NONE when none may be taken. */
  private int allocateFrame(int set, long line, int cls, int part) {
    long candidates = partitionPolicy.candidates(set, part, tags.lockedWays(set));
    if (candidates == 0) {
      return NONE;
    }
    long empty = candidates & tags.invalidWays(set);
    int way = empty != 0
        ? Long.numberOfTrailingZeros(empty) : replacement.victim(set, candidates);
    int frame = tags.frame(set, way);
    if (tags.line[frame] != TagStore.INVALID) {
      evict(frame, set, way);
    }
    tags.install(frame, line, cls, part);
    replacement.onFill(set, way);
    if (part == PartitionPolicy.NORMAL && region.contains(set, way)) {
      lentLines++;
    }
    return frame;
  }

  /** Evicts the valid line in {@code frame}, writing back its dirty sectors. */
  private void evict(int frame, int set, int way) {
    int cls = tags.trafficClass[frame];
    stats.add(cls, LlcStats.EVICTIONS, 1);
    int dirty = tags.dirty[frame];
    if (dirty != 0) {
      stats.add(cls, LlcStats.WRITEBACKS, 1);
      writeBack(tags.line[frame], dirty, cls);
    }
    if (tags.partition[frame] == PartitionPolicy.NORMAL && region.contains(set, way)) {
      lentLines--;
    }
    tags.invalidate(frame);
  }

  /** Sends the dirty sectors of a line to memory; reading them out occupies their slice. */
  private void writeBack(long line, int dirty, int cls) {
    int bytes = Integer.bitCount(dirty) << sectorShift;
    stats.add(cls, LlcStats.WRITEBACK_BYTES, bytes);
    int s = sliceOfLine(line);
    dataBusyUntil[s] = Math.max(sim.now(), dataBusyUntil[s]) + occupancyPs[bytes];
    emitRuns(line, dirty, Messages.WRITE, cls, NONE, NONE);
  }

  /**
   * One memory request per run of consecutive sectors of {@code mask} in {@code line}, split at
   * the memory's block boundaries; reads are sent at {@code when}, writes now.
   */
  private void emitRuns(long line, int mask, int command, int cls, int mshr, long when) {
    long lineAddr = line << lineShift;
    long now = sim.now();
    for (int f = mask; f != 0; ) {
      int first = Integer.numberOfTrailingZeros(f);
      int run = Math.min(Integer.numberOfTrailingZeros(~(f >>> first)),
          sectorsPerBlock - first % sectorsPerBlock);
      int m = messages.acquire(lineAddr + ((long) first << sectorShift), run << sectorShift,
          command, cls, params.memorySourceId(), mshr, now);
      if (command == Messages.READ) {
        sim.scheduleAt(when, Simulator.DEFAULT_PRIORITY, this, ISSUE, m);
      } else {
        sendToMemory(m);
      }
      f &= ~runMask(first, run);
    }
  }

  private int allocateMshr(int s, long line) {
    int mshr = mshrFree[s * mshrs + --mshrFreeTop[s]];
    mshrLine[mshr] = line;
    mshrFrame[mshr] = NONE;
    mshrInFlight[mshr] = 0;
    mshrWaiters[mshr] = 0;
    mshrFirstWaiter[mshr] = NONE;
    mshrLastWaiter[mshr] = NONE;
    mshrOfLine.put(line, mshr);
    return mshr;
  }

  private void addWaiter(int mshr, int q, int m, int need) {
    int w = waiterFree[--waiterFreeTop];
    waiterMessage[w] = m;
    waiterQueue[w] = q;
    waiterNeed[w] = need;
    waiterNext[w] = NONE;
    if (mshrLastWaiter[mshr] == NONE) {
      mshrFirstWaiter[mshr] = w;
    } else {
      waiterNext[mshrLastWaiter[mshr]] = w;
    }
    mshrLastWaiter[mshr] = w;
    mshrWaiters[mshr]++;
  }

  /** Bits {@code first .. first + run - 1}. */
  private static int runMask(int first, int run) {
    return (int) (((1L << run) - 1) << first);
  }

  /** Answers request {@code m} at {@code time} through the port of its input queue {@code q}. */
  private void respondAt(long time, int q, int m) {
    sim.scheduleAt(time, Simulator.DEFAULT_PRIORITY, this, RESPOND, ((long) q << 32) | m);
  }

  // ---------------------------------------------------------------- memory side

  private void fromMemory(int m) {
    if (!messages.isResponse(m)) {
      throw new IllegalArgumentException(memPort + ": expected a response, got command "
          + messages.command(m));
    }
    if (messages.isWrite(m)) {
      messages.release(m);
    } else {
      fill(m);
    }
  }

  private void fill(int m) {
    int mshr = (int) messages.tag(m);
    long line = mshrLine[mshr];
    int s = mshr / mshrs;
    int bytes = messages.bytes(m);
    int filled = sectorMask(messages.addr(m), bytes);
    stats.add(messages.trafficClass(m), LlcStats.FILL_BYTES, bytes);
    messages.release(m);
    long start = Math.max(sim.now(), dataBusyUntil[s]);
    dataBusyUntil[s] = start + occupancyPs[bytes];
    int frame = mshrFrame[mshr];
    if (frame >= 0) {
      tags.valid[frame] |= filled;
    }
    mshrInFlight[mshr] &= ~filled;

    boolean freed = false;
    int prev = NONE;
    for (int w = mshrFirstWaiter[mshr]; w != NONE; ) {
      int next = waiterNext[w];
      int wm = waiterMessage[w];
      if (reservation != null) {
        installInUnit(wm, line, filled);
      }
      waiterNeed[w] &= ~filled;
      if (waiterNeed[w] == 0) {
        if (prev == NONE) {
          mshrFirstWaiter[mshr] = next;
        } else {
          waiterNext[prev] = next;
        }
        if (mshrLastWaiter[mshr] == w) {
          mshrLastWaiter[mshr] = prev;
        }
        mshrWaiters[mshr]--;
        waiterFree[waiterFreeTop++] = w;
        respondAt(start + fillPs, waiterQueue[w], wm);
        freed = true;
      } else {
        prev = w;
      }
      w = next;
    }
    if (mshrInFlight[mshr] == 0) {
      if (mshrWaiters[mshr] != 0) {
        throw new IllegalStateException(name() + ": MSHR " + mshr + " done with waiters left");
      }
      mshrOfLine.remove(line);
      if (frame >= 0) {
        tags.mshr[frame] = NONE;
      }
      mshrFree[s * mshrs + mshrFreeTop[s]++] = mshr;
      freed = true;
    }
    if (freed) {
      unstall(s);
    }
  }

  /** A fill's sectors go into the unit of a KV waiter that is (still) resident. */
  private void installInUnit(int m, long line, int filled) {
    long addr = messages.addr(m);
    if (messages.trafficClass(m) != TrafficClass.KV_GATHER || !reservation.covers(addr)) {
      return;
    }
    int slot = reservation.lookup(reservation.unitKeyOf(addr));
    if (slot >= 0) {
      int mask = filled & reservation.unitMask(slot, line);
      if (mask != 0) {
        reservation.markValid(slot, line, mask);
      }
    }
  }

  private void sendToMemory(int m) {
    memQueue.add(m);
    drainMemory();
  }

  private void drainMemory() {
    while (!memQueue.isEmpty()) {
      if (!memPort.canSend()) {
        return; // the port's credit callback resumes
      }
      long now = sim.now();
      if (memPathFree > now) {
        if (!memDrainPending) {
          memDrainPending = true;
          sim.scheduleAt(memPathFree, Simulator.DEFAULT_PRIORITY, this, MEMORY_DRAIN, 0);
        }
        return;
      }
      int m = memQueue.peek();
      if (flowControl != null && !flowControl.tryReserve(
          messages.addr(m), messages.bytes(m), messages.isWrite(m))) {
        if (!memAwaitingSlot) {
          memAwaitingSlot = true;
          flowControl.awaitSlot(messages.addr(m), messages.isWrite(m), this, MEMORY_SLOT, 0);
        }
        return;
      }
      memQueue.poll();
      if (memPsPerByte > 0) {
        memPathFree = now + (long) Math.ceil(messages.bytes(m) * memPsPerByte);
      }
      memPort.send(m);
    }
  }

  @Override
  public void onEvent(int kind, long arg) {
    switch (kind) {
      case WAKE -> {
        int s = (int) arg;
        wakePending[s] = false;
        serve(s);
      }
      case RESPOND -> {
        int m = (int) arg;
        messages.markResponse(m);
        cpuPorts[(int) (arg >>> 32)].send(m);
      }
      case ISSUE -> sendToMemory((int) arg);
      case MEMORY_DRAIN -> {
        memDrainPending = false;
        drainMemory();
      }
      case MEMORY_SLOT -> {
        memAwaitingSlot = false;
        drainMemory();
      }
      default -> super.onEvent(kind, arg);
    }
  }

  // ---------------------------------------------------------------- reservation callbacks

  /** Takes lent lines out of frames a unit claims, and writes back evicted units' dirty bytes. */
  private final class ReservedFrames implements ReservationListener {
    @Override
    public void claim(int carvedFrame) {
      int set = region.setOf(carvedFrame);
      int way = region.wayOf(carvedFrame);
      int frame = tags.frame(set, way);
      if (tags.line[frame] == TagStore.INVALID) {
        return;
      }
      int mshr = tags.mshr[frame];
      if (mshr >= 0) {
        // the line's fetches go on; their data will not be kept
        mshrFrame[mshr] = NONE;
        tags.mshr[frame] = NONE;
      }
      evict(frame, set, way);
      reclaimedLines++;
    }

    @Override
    public void writeBack(long address, int bytes) {
      stats.add(TrafficClass.KV_GATHER, LlcStats.WRITEBACKS, 1);
      Llc.this.writeBack(address >>> lineShift, sectorMask(address, bytes),
          TrafficClass.KV_GATHER);
    }
  }

  // ---------------------------------------------------------------- statistics

  /**
   * Adds every statistic under {@code prefix} ({@code system.llc}): the per-class counters of
   * {@link LlcStats}; with a reservation, {@code reservation.*} (see
   * {@link TokenReservation#exportStats}) plus {@code reservation.lent_lines} (shared lines in
   * unoccupied reserved frames now) and {@code reservation.reclaimed_lines}; with a window,
   * {@code window.set_aside_lines}, {@code window.persisting_lines} and {@code window.lent_lines}.
   */
  public void exportStats(String prefix, Map<String, Number> out) {
    stats.exportTo(prefix, out);
    if (reservation != null) {
      reservation.exportStats(prefix + ".reservation", out);
      out.put(prefix + ".reservation.lent_lines", lentLines);
      out.put(prefix + ".reservation.reclaimed_lines", reclaimedLines);
    }
    if (window != null) {
      long persisting = 0;
      for (int set = 0; set < tags.sets; set++) {
        persisting += Long.bitCount(tags.waysOfPartition(set, PartitionPolicy.PERSISTING));
      }
      out.put(prefix + ".window.set_aside_lines", region.frames());
      out.put(prefix + ".window.persisting_lines", persisting);
      out.put(prefix + ".window.lent_lines", lentLines);
    }
  }

  /** Clears the counters (the cache contents stay): called at the end of a warm-up. */
  public void resetStats() {
    stats.reset();
    reclaimedLines = 0;
    if (reservation != null) {
      reservation.resetStats();
    }
  }
}
