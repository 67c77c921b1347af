package org.dsasim.accel.gpu;

import java.util.Arrays;
import org.dsasim.accel.kernel.WarpContext;
import org.dsasim.accel.kernel.WarpProgram;
import org.dsasim.accel.kernel.TrafficClass;
import org.dsasim.accel.memory.GatherLists;
import org.dsasim.accel.memory.MemorySystem;
import org.dsasim.accel.memory.PartitionedLlcMemory;
import org.dsasim.accel.memory.ServedBy;
import org.dsasim.accel.replay.LaunchState;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
import org.dsasim.core.time.SerialChannel;

/**
 * One compute unit: resident blocks and warps of the running kernel, each warp stepping through
 * its {@link WarpProgram}. A warp that waits for a load stalls until the data returns (a blocking
 * miss); the unit limits the memory requests it has outstanding (one per 128 B line), merges
 * cacheable single-line loads in a small L1, shares its issue slots and tensor pipe among its
 * warps, and attributes every stalled cycle to a {@link StallCause}.
 *
 * <p>Requests leave through port {@code mem} as pooled {@link Messages}; the tag of a request
 * carries the warp's local slot and, for an L1 fill, the L1 entry.
 */
public final class StreamingMultiprocessor extends Component implements WarpContext {
  private static final int RESUME = 0;
  private static final int BLOCK_RUN = 1;
  private static final int L1_RETURN = 2;
  private static final int ANSWERED = 3;
  private static final int EXIT_AT = 4;
  private static final int BLOCK_DONE = 5;
  private static final int BATCH_ANSWERED = 6;

  private static final int LINE_BYTES = 128;
  private static final int LINE_SHIFT = 7;
  private static final int SB = WarpContext.SCOREBOARDS;
  private static final byte ALL = -1;
  private static final int L1_WAYS = 4;

  // warp states
  private static final byte FREE = 0;
  private static final byte READY = 1;
  private static final byte WAITING = 2;
  private static final byte BUSY = 3;
  private static final byte EXITING = 4;
  private static final byte LAST_WORK = 5; // on its last compute step; exits with its block

  // step outcomes
  private static final byte NONE = 0;
  private static final byte WAIT = 1;
  private static final byte COMPUTE = 2;
  private static final byte EXIT = 3;
  private static final byte COMPUTE_EXIT = 4;

  private final int id;
  private final ComputeSpec spec;
  private final Messages messages;
  private final Gpu gpu;
  private final Port mem;
  private final double cyclePs;
  private MemorySystem memorySide;
  private boolean directRequests; // requests are handed to the memory side, not sent on a link
  // a read answered at issue reaches the unit after the response latency and its response
  // message's serialisation on the port (memoised for the last message size)
  private long responseLatencyPs;
  private double portBandwidth;
  private int returnBytes = -1;
  private long returnPs;
  private GatherLists lists;

  // the running launch
  private WarpProgram program;
  private int warpsPerBlock;
  private long prologuePs;
  private int slotBase; // this unit's first slot in the launch's program
  private int launchSlots; // slots of the launch's program this unit may use
  private long launchFreeAt; // the unit starts at most one block per block-launch interval
  private long takenRunsAt; // when the warps of the block just taken run

  // per resident warp (local slot)
  private final byte[] warpState;
  private final int[] outstanding;
  private final int[] outstandingSb;
  private final byte[] waitFor; // a scoreboard, or ALL
  private final int[] cyclesAfter;
  private final long[] waitStart;
  private final int[] blockOfWarp;
  private final int[] nextLastWork; // list of a block's warps in LAST_WORK, -1 ends it
  private final int[] freeSlots; // a stack, lowest slot on top at the start of each launch
  private int freeSlotCount;
  private int slotsUsed; // one more than the highest slot taken since the stack was last reset
  private int reservedSlots; // warp slots of blocks started but not yet running
  private final int[] startingSlots;

  // per resident block (local block slot)
  private final int[] blockId;
  private final int[] blockWarpsLeft;
  // warps whose last work ends by a known time: the block retires at the latest of those times
  // once no other warp is left, with one event (a warp's own exit is not visible before that)
  private final int[] blockLastWork;
  private final int[] blockLastWorkHead;
  private final long[] blockLastWorkEnd;
  private final int[] freeBlockSlots;
  private int freeBlockCount;
  private int residentBlocks;

  // the step in progress
  private int cur = -1;
  private byte outcome;
  private long resumeAt;

  // shared pipes, in fractional picoseconds
  private double issueFreePs;
  private double tensorFreePs;

  // outstanding line requests and loads waiting for room ("MSHR full")
  private int inflightLines;
  private int[] pendSlot = new int[64];
  private long[] pendAddr = new long[64];
  private int[] pendBytes = new int[64];
  private int[] pendClass = new int[64];
  private int[] pendL1 = new int[64];
  private long[] pendSince = new long[64];
  private int pendHead;
  private int pendCount;
  private final LoadRecords records;
  // a batch of reads answered at issue (loadBatch), completed by one event: the messages in
  // order of arrival, chained (records.nextInBatch), and when each arrives (records.arrival)
  private boolean batching;
  private int batchHead = -1;
  private int batchTail = -1;
  private long batchEnd;

  // L1: set-associative tags of cacheable lines; pending entries keep a list of waiting warps.
  // The arrays are allocated at the first cacheable load: most kernels have none, and 132 units'
  // tags would otherwise add megabytes to every simulation's working set.
  private final int l1Sets;
  private final int l1Entries;
  private long[] l1Tag;
  private long[] l1Used;
  private byte[] l1State; // 0 invalid, 1 valid, 2 pending
  private int[] l1EpochOf; // a valid line is only valid in the launch that filled it
  private int l1Epoch;
  private int[] l1Waiters; // head of the waiter list, -1 if none
  private int[] waiterSlot = new int[64];
  private int[] waiterNext = new int[64];
  private int waiterFree = -1;
  private int waiterTop;
  private long l1Clock;

  // statistics, shared by all units
  private final UnitStats stats;

  StreamingMultiprocessor(
      Simulator sim, String name, int id, ComputeSpec spec, Messages messages, LoadRecords records,
      UnitStats stats, Gpu gpu) {
    super(sim, name);
    this.stats = stats;
    this.id = id;
    this.spec = spec;
    this.messages = messages;
    this.records = records;
    this.gpu = gpu;
    this.cyclePs = spec.cyclePs();
    this.mem = addPort("mem", (port, m) -> onResponse(m, sim.now()));
    int w = spec.maxWarpsPerSm();
    warpState = new byte[w];
    outstanding = new int[w];
    outstandingSb = new int[w * SB];
    waitFor = new byte[w];
    cyclesAfter = new int[w];
    waitStart = new long[w];
    blockOfWarp = new int[w];
    nextLastWork = new int[w];
    freeSlots = new int[w];
    for (int i = 0; i < w; i++) {
      freeSlots[i] = w - 1 - i;
    }
    freeSlotCount = w;
    startingSlots = new int[w];
    int b = spec.maxBlocksPerSm();
    blockWarpsLeft = new int[b];
    blockLastWork = new int[b];
    blockLastWorkHead = new int[b];
    blockLastWorkEnd = new long[b];
    blockId = new int[b];
    freeBlockSlots = new int[b];
    for (int i = 0; i < b; i++) {
      freeBlockSlots[i] = b - 1 - i;
    }
    freeBlockCount = b;
    l1Sets = Math.max(1, spec.l1Lines() / L1_WAYS);
    l1Entries = spec.l1Lines() == 0 ? 0 : l1Sets * L1_WAYS;
  }

  public int id() {
    return id;
  }

  public Port memPort() {
    return mem;
  }

  /**
   * Requests go to {@code m}: through the port's link, or {@code direct}ly (an ideal link); the
   * responses come back through the port, whose link has {@code responseLatencyPs} and
   * {@code portBandwidth}.
   */
  void attachMemory(MemorySystem m, boolean direct, long responseLatencyPs,
      double portBandwidth) {
    this.memorySide = m;
    this.directRequests = direct;
    this.responseLatencyPs = responseLatencyPs;
    this.portBandwidth = portBandwidth;
    this.lists = m.gatherLists();
  }

  private void toMemory(int m) {
    if (directRequests) {
      memorySide.request(id, m);
    } else {
      mem.send(m);
    }
  }

  // ---------------------------------------------------------------- launch and blocks

  /**
   * Starts a launch of program {@code p} in which this unit holds at most {@code slots} warps at
   * once; its warps take program slots {@code id * slots ..} upwards.
   */
  void beginLaunch(WarpProgram p, int warpsPerBlock, long prologuePs, int slots) {
    if (residentBlocks != 0) {
      throw new IllegalStateException(name() + ": launch while blocks are resident");
    }
    this.program = p;
    this.warpsPerBlock = warpsPerBlock;
    this.prologuePs = prologuePs;
    slotBase = id * slots;
    launchSlots = slots;
    // every slot is free: put the used ones back in order, lowest on top, so that the warps of
    // this launch take the lowest slots (a slot is taken above k only while 0..k are all busy)
    int w = freeSlots.length;
    for (int i = w - slotsUsed; i < w; i++) {
      freeSlots[i] = w - 1 - i;
    }
    slotsUsed = 0;
    l1Epoch++;
  }

  /**
   * Takes {@code block}: its slots are reserved now, it starts when the unit's block launcher is
   * free (one block per block-launch interval), and its warps run after the prologue. The caller
   * guarantees room (occupancy).
   */
  void startBlock(int block) {
    int bs = takeBlock(block);
    sim.scheduleAt(takenRunsAt, Simulator.DEFAULT_PRIORITY, this, BLOCK_RUN, bs);
  }

  /**
   * As {@link #startBlock}, for a launch's first blocks: when the block launcher is free, the
   * block's warps run one prologue from now, as every unit's first block does, and the caller
   * runs them then ({@link #runBlock}) in one event for all units; the result is the block slot
   * to pass. Otherwise the block is scheduled as usual and the result is -1.
   */
  int startFirstBlock(int block) {
    int bs = takeBlock(block);
    if (takenRunsAt == sim.now() + prologuePs) {
      return bs;
    }
    sim.scheduleAt(takenRunsAt, Simulator.DEFAULT_PRIORITY, this, BLOCK_RUN, bs);
    return -1;
  }

  /** Reserves room for {@code block}; returns its block slot, and sets {@link #takenRunsAt}. */
  private int takeBlock(int block) {
    if (freeBlockCount == 0 || freeSlotCount - reservedSlots < warpsPerBlock) {
      throw new IllegalStateException(name() + ": no room for block " + block);
    }
    reservedSlots += warpsPerBlock;
    int bs = freeBlockSlots[--freeBlockCount];
    residentBlocks++;
    gpu.blockEvent(id, true);
    blockId[bs] = block;
    blockWarpsLeft[bs] = warpsPerBlock;
    blockLastWork[bs] = 0;
    blockLastWorkHead[bs] = -1;
    blockLastWorkEnd[bs] = 0;
    long start = Math.max(sim.now(), launchFreeAt);
    launchFreeAt = start + spec.blockLaunchPs(warpsPerBlock);
    takenRunsAt = start + prologuePs;
    return bs;
  }

  /** Runs the warps of the block in block slot {@code bs}, whose prologue has ended. */
  void runBlock(int bs) {
    int block = blockId[bs];
    reservedSlots -= warpsPerBlock;
    for (int w = 0; w < warpsPerBlock; w++) {
      int s = freeSlots[--freeSlotCount];
      if (s >= launchSlots) {
        throw new IllegalStateException(name() + ": more resident warps than the launch allows");
      }
      slotsUsed = Math.max(slotsUsed, s + 1);
      warpState[s] = READY;
      outstanding[s] = 0;
      for (int k = 0; k < SB; k++) {
        outstandingSb[s * SB + k] = 0;
      }
      blockOfWarp[s] = bs;
      program.start(slotBase + s, block, w);
      startingSlots[w] = s;
    }
    // run the new warps in order of their index in the block (a warp that exits at once frees
    // its slot, so the slots were copied aside first)
    for (int w = 0; w < warpsPerBlock; w++) {
      runWarp(startingSlots[w]);
    }
  }

  @Override
  public void onEvent(int kind, long arg) {
    switch (kind) {
      case RESUME -> {
        int s = (int) arg;
        warpState[s] = READY;
        runWarp(s);
      }
      case BLOCK_RUN -> runBlock((int) arg);
      case ANSWERED -> onResponse((int) arg, sim.now());
      case BATCH_ANSWERED -> {
        for (int m = (int) arg; m >= 0; ) {
          int next = records.nextInBatch[m];
          onResponse(m, records.arrival[m]);
          m = next;
        }
      }
      case EXIT_AT -> exitWarp((int) arg);
      case BLOCK_DONE -> retireLastWork((int) arg);
      case L1_RETURN -> {
        stats.l1Hits++;
        completeLoad((int) (arg >>> 8), (int) (arg & 0xff), -1);
      }
      default -> super.onEvent(kind, arg);
    }
  }

  // ---------------------------------------------------------------- stepping warps

  private void runWarp(int s) {
    cur = s;
    outcome = NONE;
    program.step(slotBase + s, this);
    cur = -1;
    switch (outcome) {
      case WAIT -> {
        if (satisfied(s)) {
          resumeLater(s, cyclesAfter[s]);
        } else {
          warpState[s] = WAITING;
          waitStart[s] = sim.now();
        }
      }
      case COMPUTE -> {
        warpState[s] = BUSY;
        sim.scheduleAt(Math.max(resumeAt, sim.now()), Simulator.DEFAULT_PRIORITY, this, RESUME, s);
      }
      case COMPUTE_EXIT -> {
        long end = Math.max(resumeAt, sim.now());
        if (outstanding[s] > 0) {
          warpState[s] = BUSY;
          sim.scheduleAt(end, Simulator.DEFAULT_PRIORITY, this, EXIT_AT, s);
        } else {
          lastWork(s, end);
        }
      }
      case EXIT -> exitWarp(s);
      default ->
          throw new IllegalStateException(
              "warp program step of " + name() + " ended without waitLoads, compute or exit");
    }
  }

  private void resumeLater(int s, int cycles) {
    warpState[s] = BUSY;
    sim.scheduleAt(
        sim.now() + Math.round(cycles * cyclePs), Simulator.DEFAULT_PRIORITY, this, RESUME, s);
  }

  private void exitWarp(int s) {
    if (outstanding[s] == 0) {
      finishWarp(s);
    } else {
      warpState[s] = EXITING;
      waitStart[s] = sim.now();
    }
  }

  private void finishWarp(int s) {
    warpState[s] = FREE;
    freeSlots[freeSlotCount++] = s;
    int bs = blockOfWarp[s];
    if (--blockWarpsLeft[bs] == 0) {
      retireBlock(bs);
    } else if (blockLastWork[bs] == blockWarpsLeft[bs]) {
      // the others are on their last work: the block retires when the latest of it ends
      if (blockLastWorkEnd[bs] <= sim.now()) {
        retireLastWork(bs);
      } else {
        sim.scheduleAt(blockLastWorkEnd[bs], Simulator.DEFAULT_PRIORITY, this, BLOCK_DONE, bs);
      }
    }
  }

  /** Warp {@code s}, with no load outstanding, exits when its last work ends at {@code end}. */
  private void lastWork(int s, long end) {
    warpState[s] = LAST_WORK;
    int bs = blockOfWarp[s];
    nextLastWork[s] = blockLastWorkHead[bs];
    blockLastWorkHead[bs] = s;
    blockLastWorkEnd[bs] = Math.max(blockLastWorkEnd[bs], end);
    if (++blockLastWork[bs] == blockWarpsLeft[bs]) {
      sim.scheduleAt(blockLastWorkEnd[bs], Simulator.DEFAULT_PRIORITY, this, BLOCK_DONE, bs);
    }
  }

  /** The last work of every warp left in block {@code bs} has ended: they exit, it retires. */
  private void retireLastWork(int bs) {
    for (int s = blockLastWorkHead[bs]; s >= 0; s = nextLastWork[s]) {
      warpState[s] = FREE;
      freeSlots[freeSlotCount++] = s;
    }
    blockWarpsLeft[bs] = 0;
    retireBlock(bs);
  }

  private void retireBlock(int bs) {
    freeBlockSlots[freeBlockCount++] = bs;
    residentBlocks--;
    gpu.blockEvent(id, false);
    int next = gpu.blockRetired();
    if (next >= 0) {
      startBlock(next);
    }
  }

  // ---------------------------------------------------------------- WarpContext

  @Override
  public long now() {
    return sim.now();
  }

  @Override
  public void load(long addr, int bytes, int trafficClass, boolean l1Cacheable, int sb) {
    int s = cur;
    outstanding[s]++;
    outstandingSb[s * SB + sb]++;
    stats.loads++;
    int l1 = -1;
    if (l1Cacheable && l1Entries > 0
        && (addr >>> LINE_SHIFT) == ((addr + bytes - 1) >>> LINE_SHIFT)) {
      if (l1Tag == null) {
        allocateL1();
      }
      long line = addr >>> LINE_SHIFT;
      int e = l1Find(line);
      if (e >= 0) {
        l1Used[e] = ++l1Clock;
        if (l1State[e] == 1) {
          sim.schedule(spec.l1HitPs(), this, L1_RETURN, ((long) s << 8) | sb);
        } else {
          addWaiter(e, s, sb);
        }
        return;
      }
      l1 = l1Allocate(line);
    }
    issue(s, sb, addr, bytes, trafficClass, l1, sim.now());
  }

  @Override
  public void gather(long[] addrs, int from, int n, int bytesEach, int trafficClass, int sb) {
    if (lists == null || n == 1) {
      WarpContext.super.gather(addrs, from, n, bytesEach, trafficClass, sb);
      return;
    }
    for (int done = 0; done < n; done += GatherLists.MAX) {
      int k = Math.min(GatherLists.MAX, n - done);
      int s = cur;
      outstanding[s]++;
      outstandingSb[s * SB + sb]++;
      stats.loads += k;
      int id = lists.put(addrs, from + done, k);
      issue(s, sb, id, k * bytesEach, trafficClass | TrafficClass.LIST, -1, sim.now());
    }
  }

  @Override
  public void store(long addr, int bytes, int trafficClass) {
    int m = messages.acquire(addr, bytes, Messages.WRITE, trafficClass, id, 0, sim.now());
    toMemory(m);
  }

  @Override
  public void waitLoads(int after) {
    outcome = WAIT;
    waitFor[cur] = ALL;
    cyclesAfter[cur] = after;
  }

  @Override
  public void waitScoreboard(int sb, int after) {
    outcome = WAIT;
    waitFor[cur] = (byte) sb;
    cyclesAfter[cur] = after;
  }

  private boolean satisfied(int s) {
    byte w = waitFor[s];
    return w == ALL ? outstanding[s] == 0 : outstandingSb[s * SB + w] == 0;
  }

  @Override
  public void compute(int instructions, int latencyCycles) {
    double now = sim.now();
    double start = Math.max(now, issueFreePs);
    issueFreePs = start + instructions * cyclePs / spec.issueWidth();
    resumeAt = (long) Math.ceil(Math.max(now + latencyCycles * cyclePs, issueFreePs));
    outcome = COMPUTE;
  }

  @Override
  public void tensor(double flops, boolean fp8) {
    double rate = spec.tensorFlopsPerCycle() * (fp8 ? spec.fp8Speedup() : 1.0);
    double start = Math.max(sim.now(), tensorFreePs);
    tensorFreePs = start + flops / rate * cyclePs;
    resumeAt = (long) Math.ceil(tensorFreePs);
    outcome = COMPUTE;
  }

  @Override
  public void exit() {
    outcome = EXIT;
  }

  @Override
  public void exitAfter() {
    if (outcome != COMPUTE) {
      throw new IllegalStateException("exitAfter() follows compute() or tensor()");
    }
    outcome = COMPUTE_EXIT;
  }

  // ---------------------------------------------------------------- requests and responses

  /**
   * Line requests a load occupies in the unit's miss-status registers; a bulk copy (at least
   * {@link PartitionedLlcMemory#BULK_BYTES}) goes through the copy engine and takes one.
   */
  private static int lines(long addr, int bytes, int trafficClass) {
    if ((trafficClass & TrafficClass.LIST) != 0) {
      return (bytes + LINE_BYTES - 1) / LINE_BYTES;
    }
    if (bytes >= PartitionedLlcMemory.BULK_BYTES) {
      return 1;
    }
    return (int) (((addr + bytes - 1) >>> LINE_SHIFT) - (addr >>> LINE_SHIFT) + 1);
  }

  private void issue(int s, int sb, long addr, int bytes, int cls, int l1, long since) {
    int n = lines(addr, bytes, cls);
    int ws = s | (sb << 16);
    if (pendCount > 0 || inflightLines + n > spec.maxInflightPerSm() && inflightLines > 0) {
      enqueuePending(ws, addr, bytes, cls, l1, since);
      return;
    }
    send(ws, addr, bytes, cls, l1, since, n);
  }

  private void allocateL1() {
    l1Tag = new long[l1Entries];
    l1Used = new long[l1Entries];
    l1State = new byte[l1Entries];
    l1Waiters = new int[l1Entries];
    l1EpochOf = new int[l1Entries];
    Arrays.fill(l1Waiters, -1);
  }

  /** Sends a load of warp-and-scoreboard {@code ws} ({@code slot | sb << 16}). */
  private void send(int ws, long addr, int bytes, int cls, int l1, long since, int n) {
    inflightLines += n;
    long tag = ws | ((long) (l1 + 1) << 20);
    int m = messages.acquire(addr, bytes, Messages.READ, cls, id, tag, sim.now());
    LoadRecords r = records;
    r.ensure(m);
    r.mshrWait[m] = sim.now() - since;
    r.lines[m] = n;
    if (directRequests) {
      long ready = memorySide.readAtIssue(id, m);
      if (ready >= 0) {
        long at = ready + returnPs(messages.bytes(m));
        if (batching && at >= batchEnd) {
          if (batchHead < 0) {
            batchHead = m;
          } else {
            r.nextInBatch[batchTail] = m;
          }
          r.nextInBatch[m] = -1;
          batchTail = m;
          r.arrival[m] = at;
          batchEnd = at;
        } else {
          sim.scheduleAt(at, this, ANSWERED, m);
        }
        return;
      }
    }
    toMemory(m);
  }

  /**
   * Reads of the batch that the memory side answers at issue, in order of arrival, complete
   * with one event at the last one's arrival (each is accounted as arrived at its own time).
   */
  @Override
  public void loadBatch(long[] addrs, int[] bytes, int n, int trafficClass, int sb) {
    batching = true;
    batchHead = -1;
    batchEnd = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      load(addrs[i], bytes[i], trafficClass, false, sb);
    }
    batching = false;
    if (batchHead >= 0) {
      sim.scheduleAt(batchEnd, this, BATCH_ANSWERED, batchHead);
    }
  }

  /** Time from a response's readiness to its arrival here, on an idle port. */
  private long returnPs(int bytes) {
    if (bytes != returnBytes) {
      returnPs = SerialChannel.transferTime(bytes, portBandwidth) + responseLatencyPs;
      returnBytes = bytes;
    }
    return returnPs;
  }

  private void enqueuePending(int s, long addr, int bytes, int cls, int l1, long since) {
    if (pendCount == pendSlot.length) {
      growPending();
    }
    int i = (pendHead + pendCount) % pendSlot.length;
    pendSlot[i] = s;
    pendAddr[i] = addr;
    pendBytes[i] = bytes;
    pendClass[i] = cls;
    pendL1[i] = l1;
    pendSince[i] = since;
    pendCount++;
  }

  private void growPending() {
    int n = pendSlot.length;
    int[] s2 = new int[n * 2];
    long[] a2 = new long[n * 2];
    int[] b2 = new int[n * 2];
    int[] c2 = new int[n * 2];
    int[] l2 = new int[n * 2];
    long[] t2 = new long[n * 2];
    for (int k = 0; k < pendCount; k++) {
      int i = (pendHead + k) % n;
      s2[k] = pendSlot[i];
      a2[k] = pendAddr[i];
      b2[k] = pendBytes[i];
      c2[k] = pendClass[i];
      l2[k] = pendL1[i];
      t2[k] = pendSince[i];
    }
    pendSlot = s2;
    pendAddr = a2;
    pendBytes = b2;
    pendClass = c2;
    pendL1 = l2;
    pendSince = t2;
    pendHead = 0;
  }

  private void drainPending() {
    while (pendCount > 0) {
      int i = pendHead;
      int n = lines(pendAddr[i], pendBytes[i], pendClass[i]);
      if (inflightLines + n > spec.maxInflightPerSm() && inflightLines > 0) {
        return;
      }
      pendHead = (pendHead + 1) % pendSlot.length;
      pendCount--;
      send(pendSlot[i], pendAddr[i], pendBytes[i], pendClass[i], pendL1[i], pendSince[i], n);
    }
  }

  /** Response {@code m} is in; it arrived at {@code arrival} (now, or earlier in its batch). */
  private void onResponse(int m, long arrival) {
    int cls = messages.trafficClass(m);
    boolean list = (cls & TrafficClass.LIST) != 0;
    LoadObserver observer = gpu.loadObserver();
    if (observer != null && TrafficClass.base(cls) == gpu.observedClass()) {
      observer.loaded(arrival - messages.created(m),
          list ? lists.count((int) messages.addr(m)) : 1);
    }
    long tag = messages.tag(m);
    int s = (int) (tag & 0xffff);
    int sb = (int) ((tag >>> 16) & 0xf);
    int l1 = (int) (tag >>> 20) - 1;
    inflightLines -= records.lines[m];
    if (list) {
      lists.release((int) messages.addr(m));
    }
    if (l1 >= 0) {
      l1State[l1] = 1;
      l1EpochOf[l1] = l1Epoch;
      int w = l1Waiters[l1];
      l1Waiters[l1] = -1;
      while (w >= 0) {
        int next = waiterNext[w];
        int ws = waiterSlot[w];
        waiterNext[w] = waiterFree;
        waiterFree = w;
        completeLoad(ws & 0xffff, ws >>> 16, m);
        w = next;
      }
    }
    completeLoad(s, sb, m);
    messages.release(m);
    drainPending();
  }

  /**
   * One load of warp {@code s} on scoreboard {@code sb} is done; {@code m} is the response (or -1
   * for an L1 hit).
   */
  private void completeLoad(int s, int sb, int m) {
    outstanding[s]--;
    outstandingSb[s * SB + sb]--;
    byte st = warpState[s];
    if (st == EXITING ? outstanding[s] > 0 : st != WAITING || !satisfied(s)) {
      return;
    }
    attributeStall(sim.now() - waitStart[s], m);
    if (st == EXITING) {
      finishWarp(s);
    } else if (cyclesAfter[s] == 0) {
      warpState[s] = READY;
      runWarp(s);
    } else {
      resumeLater(s, cyclesAfter[s]);
    }
  }

  /** Splits a stall ending with response {@code m} in proportion to that response's latency parts. */
  private void attributeStall(long stall, int m) {
    if (stall <= 0) {
      return;
    }
    if (m < 0) {
      stats.stallPs[StallCause.L1_HIT.ordinal()] += stall;
      return;
    }
    long now = sim.now();
    long issued = messages.created(m);
    long ready = Math.min(memorySide.readyAt(m), now);
    long memory = Math.max(0, ready - issued);
    long unloaded = Math.min(memory, memorySide.unloadedPs(m));
    long queue = memory - unloaded;
    long inter = now - Math.max(ready, issued);
    long mshr = records.mshrWait[m];
    double total = unloaded + queue + inter + mshr;
    if (total <= 0) {
      stats.stallPs[StallCause.INTERCONNECT.ordinal()] += stall;
      return;
    }
    byte level = memorySide.servedBy(m);
    StallCause base = level == ServedBy.HBM ? StallCause.HBM : StallCause.LLC_HIT;
    double f = stall / total;
    long a = Math.round(unloaded * f);
    long b = Math.round(queue * f);
    long c = Math.round(mshr * f);
    stats.stallPs[base.ordinal()] += a;
    stats.stallPs[StallCause.QUEUEING.ordinal()] += b;
    stats.stallPs[StallCause.MSHR_FULL.ordinal()] += c;
    stats.stallPs[StallCause.INTERCONNECT.ordinal()] += stall - a - b - c;
  }

  // ---------------------------------------------------------------- L1

  private int l1Find(long line) {
    int set = (int) (mix(line) % l1Sets);
    int base = set * L1_WAYS;
    for (int w = 0; w < L1_WAYS; w++) {
      int e = base + w;
      if (l1State[e] != 0 && l1Tag[e] == line && (l1State[e] == 2 || l1EpochOf[e] == l1Epoch)) {
        return e;
      }
    }
    return -1;
  }

  /** A pending entry for {@code line}, or -1 when every way of its set has a fill pending. */
  private int l1Allocate(long line) {
    int set = (int) (mix(line) % l1Sets);
    int base = set * L1_WAYS;
    int victim = -1;
    for (int w = 0; w < L1_WAYS; w++) {
      int e = base + w;
      if (l1State[e] == 2) {
        continue;
      }
      if (l1EpochOf[e] != l1Epoch) {
        l1State[e] = 0; // filled by an earlier launch: dropped at the launch boundary
      }
      if (victim < 0 || l1State[e] == 0 || (l1State[victim] != 0 && l1Used[e] < l1Used[victim])) {
        victim = e;
      }
    }
    if (victim >= 0) {
      l1Tag[victim] = line;
      l1State[victim] = 2;
      l1Used[victim] = ++l1Clock;
    }
    return victim;
  }

  private void addWaiter(int e, int s, int sb) {
    int w;
    if (waiterFree >= 0) {
      w = waiterFree;
      waiterFree = waiterNext[w];
    } else {
      if (waiterTop == waiterSlot.length) {
        waiterSlot = Arrays.copyOf(waiterSlot, waiterTop * 2);
        waiterNext = Arrays.copyOf(waiterNext, waiterTop * 2);
      }
      w = waiterTop++;
    }
    waiterSlot[w] = s | (sb << 16);
    waiterNext[w] = l1Waiters[e];
    l1Waiters[e] = w;
  }

  static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return x & Long.MAX_VALUE;
  }

  // ---------------------------------------------------------------- launch replay (see Gpu)

  /**
   * Whether nothing of an earlier launch can reach into one starting at {@code now}: no block
   * resident, no load outstanding or waiting for room, the issue slots, the tensor pipe and the
   * block launcher free.
   */
  boolean quiet(long now) {
    return residentBlocks == 0 && inflightLines == 0 && pendCount == 0
        && issueFreePs <= now && tensorFreePs <= now && launchFreeAt <= now;
  }

  /**
   * Passes what a launch changes here through {@code s}: recorded in a snapshot, changed as the
   * recorded launch changed it in a replay (see {@link LaunchState}). The L1 epoch counts
   * launches, so a replayed launch also ends the L1 lines' validity.
   */
  void replayState(LaunchState s) {
    l1Epoch = (int) s.count(l1Epoch);
    issueFreePs = s.time(issueFreePs);
    tensorFreePs = s.time(tensorFreePs);
    launchFreeAt = (long) s.time(launchFreeAt);
  }
}
