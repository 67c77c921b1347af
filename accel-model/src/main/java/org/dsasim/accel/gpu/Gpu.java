package org.dsasim.accel.gpu;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dsasim.accel.kernel.Kernel;
import org.dsasim.accel.kernel.Kernel.ReplayKey;
import org.dsasim.accel.kernel.WarpProgram;
import org.dsasim.accel.memory.MemorySystem;
import org.dsasim.accel.replay.LaunchState;
import org.dsasim.accel.timeline.ActivityObserver;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Link;
import org.dsasim.core.port.Messages;

/**
 * The compute side of the device: its compute units and the block scheduler. Kernels submitted
 * with {@link #submit} run one after another, as in a CUDA graph: each begins a gap (launch
 * overhead, or a grid barrier inside a fused kernel) after the previous one ended; its blocks go
 * round-robin to the units up to the occupancy limit, and each retiring block's unit takes the
 * next block after the block-launch latency.
 *
 * <p><b>Launch replay.</b> A launch that does the same work as an earlier one ({@link
 * Kernel#replayKey}) from an equivalent state is not simulated again: its recorded change to the
 * units and the memory side ({@link LaunchState}) is applied and it ends after the recorded
 * duration. The state is equivalent when every unit is quiet (nothing of an earlier launch
 * outstanding, its pipes free) and the memory side answers all the kernel's reads at issue from an
 * idle queue that nothing else uses ({@link MemorySystem#replaysReads}): the launch then depends
 * only on its work and the time it starts. Weight and index-key streams qualify, and arithmetic
 * phases that touch no memory (top-k); they repeat layer after layer and step after step, and
 * are most of a decode step's events. The replayed
 * figures equal the simulated ones up to the rounding of times at a different start (a few ps).
 */
public final class Gpu extends Component {
  private static final int START_KERNEL = 0;
  private static final int RUN_FIRST_BLOCKS = 1;
  private static final int REPLAYED_KERNEL_DONE = 2;
  /** Recorded launches kept (a stream over a growing context changes its key every step). */
  private static final int MAX_RECORDED = 64;

  private final ComputeSpec spec;
  private final Messages messages;
  private final StreamingMultiprocessor[] sms;
  private final UnitStats unitStats = new UnitStats();
  // the running launch's first blocks that start at once: their units in order, and block slots
  private final int[] firstBlockUnit;
  private final int[] firstBlockSlot;
  private int firstBlocks;

  private final ArrayDeque<Submitted> queue = new ArrayDeque<>();
  private Submitted running;
  private int nextBlock;
  private int blocksLeft;
  private long kernelStart;

  // launch replay
  private MemorySystem memory;
  private boolean directRequests;
  private boolean replayLaunches = true;
  private final Map<ReplayKey, Recorded> recorded = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<ReplayKey, Recorded> eldest) {
      return size() > MAX_RECORDED;
    }
  };
  private ReplayKey recording; // the running launch's key, while it is being recorded
  private LaunchState recordingStart;
  private long kernelsReplayed;

  // statistics
  private final Map<String, long[]> phasePs = new LinkedHashMap<>();
  private final long[] gapPs = new long[StallCause.values().length];
  private long kernelsRun;
  private LoadObserver loadObserver;
  private int observedClass = -1;
  private ActivityObserver activity;

  private record Submitted(Kernel kernel, long gapPs, StallCause gapCause) {}

  /** A recorded launch: its change to the device's state, and how long it ran. */
  private record Recorded(LaunchState change, long durationPs) {}

  public Gpu(Simulator sim, String name, ComputeSpec spec, Messages messages) {
    super(sim, name);
    this.spec = spec;
    this.messages = messages;
    sms = new StreamingMultiprocessor[spec.smCount()];
    firstBlockUnit = new int[sms.length];
    firstBlockSlot = new int[sms.length];
    LoadRecords records = new LoadRecords();
    for (int i = 0; i < sms.length; i++) {
      sms[i] = new StreamingMultiprocessor(
          sim, name + ".sm" + i, i, spec, messages, records, unitStats, this);
    }
  }

  public ComputeSpec spec() {
    return spec;
  }

  public int smCount() {
    return sms.length;
  }

  public StreamingMultiprocessor sm(int i) {
    return sms[i];
  }

  /**
   * Links every unit to the memory side: requests travel after {@code requestLatencyPs}, responses
   * after {@code responseLatencyPs} and serialised at {@code portBandwidth} bytes/s per unit. A
   * request path without latency is a direct call (the memory side sees the requests in the
   * order sent, as through a link, without an event per request); a read the memory side then
   * answers at issue (a bulk copy) completes at the unit after its response message's time on
   * an idle port, with one event.
   */
  public void connect(MemorySystem memory, long requestLatencyPs, long responseLatencyPs,
      double portBandwidth) {
    boolean direct = requestLatencyPs == 0;
    this.memory = memory;
    this.directRequests = direct;
    for (int i = 0; i < sms.length; i++) {
      if (!direct) {
        new Link(sim, messages, sms[i].memPort(), memory.smSide(i), requestLatencyPs,
            Double.POSITIVE_INFINITY, Integer.MAX_VALUE);
      }
      new Link(sim, messages, memory.smSide(i), sms[i].memPort(), responseLatencyPs, portBandwidth,
          Integer.MAX_VALUE);
      sms[i].attachMemory(memory, direct, responseLatencyPs, portBandwidth);
    }
  }

  /** Queues {@code kernel} to start {@code gapPs} after the previous one ends. */
  public void submit(Kernel kernel, long gapPs, StallCause gapCause) {
    queue.add(new Submitted(kernel, gapPs, gapCause));
    if (running == null && queue.size() == 1) {
      startNext();
    }
  }

  /** Queues {@code kernel} after the usual launch overhead. */
  public void submit(Kernel kernel) {
    submit(kernel, spec.kernelLaunchPs(), StallCause.LAUNCH);
  }

  /** Observes every load response of {@code trafficClass} of every unit (null: none). */
  public void setLoadObserver(int trafficClass, LoadObserver observer) {
    this.loadObserver = observer;
    this.observedClass = trafficClass;
  }

  LoadObserver loadObserver() {
    return loadObserver;
  }

  int observedClass() {
    return observedClass;
  }

  /** Whether launches that repeat an earlier one's work are replayed (the default) or simulated. */
  public void setLaunchReplay(boolean on) {
    this.replayLaunches = on;
  }

  /** Launches replayed instead of simulated since the statistics were reset. */
  public long kernelsReplayed() {
    return kernelsReplayed;
  }

  /** Tells {@code observer} of every kernel and every block (null: nobody). */
  public void setActivityObserver(ActivityObserver observer) {
    this.activity = observer;
  }

  /** A block took its slots on ({@code started}) or retired from unit {@code unit}. */
  void blockEvent(int unit, boolean started) {
    if (activity != null) {
      if (started) {
        activity.blockStarted(unit, sim.now());
      } else {
        activity.blockRetired(unit, sim.now());
      }
    }
  }

  public boolean busy() {
    return running != null || !queue.isEmpty();
  }

  private void startNext() {
    Submitted next = queue.peek();
    if (next == null) {
      return;
    }
    gapPs[next.gapCause().ordinal()] += next.gapPs();
    sim.schedule(next.gapPs(), this, START_KERNEL, 0);
  }

  @Override
  public void onEvent(int kind, long arg) {
    if (kind == RUN_FIRST_BLOCKS) {
      runFirstBlocks();
      return;
    }
    if (kind == REPLAYED_KERNEL_DONE) {
      finishKernel();
      return;
    }
    if (kind != START_KERNEL) {
      super.onEvent(kind, arg);
      return;
    }
    running = queue.poll();
    Kernel k = running.kernel();
    int grid = k.gridBlocks();
    nextBlock = 0;
    blocksLeft = grid;
    kernelStart = sim.now();
    if (activity != null) {
      activity.kernelStarted(k, kernelStart);
    }
    if (grid == 0) {
      finishKernel();
      return;
    }
    ReplayKey key = replayKey(k);
    if (key != null) {
      Recorded r = recorded.get(key);
      if (r != null) {
        replay(key, r);
        return;
      }
      recording = key;
      recordingStart = snapshot(key.reads());
    }
    int resident = spec.residentBlocks(k.threadsPerBlock(), k.registersPerThread());
    int warps = k.warpsPerBlock();
    // a unit holds at most the blocks of its first round at once (a retiring block hands its
    // slots to at most one successor), so the program needs room for only those warps
    int blocksPerUnit = Math.min(resident, (grid + sms.length - 1) / sms.length);
    int slotsPerUnit = blocksPerUnit * warps;
    WarpProgram program = k.newProgram(sms.length * slotsPerUnit);
    for (StreamingMultiprocessor sm : sms) {
      sm.beginLaunch(program, warps, k.prologuePs(spec), slotsPerUnit);
    }
    // the first block of each unit whose launcher is free runs after the prologue: all of them
    // in one event, in unit order as their own events would; the others wait for their launcher
    firstBlocks = 0;
    for (int i = 0; i < sms.length && nextBlock < grid; i++) {
      int bs = sms[i].startFirstBlock(nextBlock++);
      if (bs >= 0) {
        firstBlockSlot[i] = bs;
        firstBlockUnit[firstBlocks++] = i;
      }
    }
    if (firstBlocks > 0) {
      sim.schedule(k.prologuePs(spec), this, RUN_FIRST_BLOCKS, 0);
    }
    for (int round = 1; round < resident && nextBlock < grid; round++) {
      for (int i = 0; i < sms.length && nextBlock < grid; i++) {
        sms[i].startBlock(nextBlock++);
      }
    }
  }

  /** The key under which the launch of {@code k} starting now may be recorded or replayed. */
  private ReplayKey replayKey(Kernel k) {
    if (!replayLaunches || activity != null || !directRequests) {
      return null;
    }
    ReplayKey key = k.replayKey();
    if (key == null || key.reads() && ((loadObserver != null && key.trafficClass() == observedClass)
        || !memory.replaysReads(key.smallestReadBytes(), key.trafficClass(), sim.now()))) {
      return null;
    }
    for (StreamingMultiprocessor sm : sms) {
      if (!sm.quiet(sim.now())) {
        return null;
      }
    }
    return key;
  }

  /** What a launch may change, now. */
  private LaunchState snapshot(boolean reads) {
    return pass(LaunchState.snapshot(kernelStart), reads);
  }

  /** Passes the units' state, and the memory side's if the launch reads, through {@code s}. */
  private LaunchState pass(LaunchState s, boolean reads) {
    for (StreamingMultiprocessor sm : sms) {
      sm.replayState(s);
    }
    unitStats.replayState(s);
    if (reads) {
      memory.replayState(s);
    }
    return s;
  }

  private void replay(ReplayKey key, Recorded r) {
    LaunchState change = r.change();
    change.replayFrom(kernelStart);
    pass(change, key.reads());
    if (!change.fullyRead()) {
      throw new IllegalStateException("a launch replay read back less than was recorded");
    }
    kernelsReplayed++;
    sim.schedule(r.durationPs(), this, REPLAYED_KERNEL_DONE, 0);
  }

  private void runFirstBlocks() {
    for (int j = 0; j < firstBlocks; j++) {
      int i = firstBlockUnit[j];
      sms[i].runBlock(firstBlockSlot[i]);
    }
  }

  /** A unit retired a block; returns the block it should start next, or -1. */
  int blockRetired() {
    int next = nextBlock < running.kernel().gridBlocks() ? nextBlock++ : -1;
    if (--blocksLeft == 0) {
      finishKernel();
    }
    return next;
  }

  private void finishKernel() {
    Kernel k = running.kernel();
    if (recording != null) {
      recorded.put(recording,
          new Recorded(snapshot(recording.reads()).change(recordingStart), sim.now() - kernelStart));
      recording = null;
      recordingStart = null;
    }
    long[] t = phasePs.computeIfAbsent(k.phase(), p -> new long[2]);
    t[0] += sim.now() - kernelStart;
    t[1]++;
    kernelsRun++;
    if (activity != null) {
      activity.kernelFinished(k, sim.now());
    }
    running = null;
    startNext();
  }

  // ---------------------------------------------------------------- statistics

  /** Time spent running kernels of each phase, in ps, in first-seen order. */
  public Map<String, Long> phaseTimes() {
    Map<String, Long> out = new LinkedHashMap<>();
    phasePs.forEach((k, v) -> out.put(k, v[0]));
    return out;
  }

  /** Time between kernels spent on {@code cause} (launch overhead or barriers), in ps. */
  public long gapPs(StallCause cause) {
    return gapPs[cause.ordinal()];
  }

  /** Warp stall time of all units for {@code cause}, in ps. */
  public long warpStallPs(StallCause cause) {
    return unitStats.stallPs[cause.ordinal()];
  }

  public long kernelsRun() {
    return kernelsRun;
  }

  public long loads() {
    return unitStats.loads;
  }

  public long l1Hits() {
    return unitStats.l1Hits;
  }

  public void resetStats() {
    phasePs.clear();
    java.util.Arrays.fill(gapPs, 0);
    kernelsRun = 0;
    kernelsReplayed = 0;
    // a launch being recorded would otherwise record the reset as its change
    recording = null;
    recordingStart = null;
    unitStats.reset();
  }
}
