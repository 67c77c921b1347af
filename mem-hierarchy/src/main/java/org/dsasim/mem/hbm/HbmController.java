package org.dsasim.mem.hbm;

import java.util.Arrays;
import java.util.List;
import org.dsasim.core.event.EventHandler;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Messages;
import org.dsasim.core.time.ClockDomain;
import org.dsasim.mem.hbm.ControllerParams.PagePolicy;
import org.dsasim.mem.hbm.ControllerParams.RefreshMode;

/**
 * The memory controller of one pseudo-channel: bounded read and write queues of access bursts,
 * open-row state per bank, a scheduler picked by name, refresh, and the timing rules of
 * {@link HbmConstraintTable} enforced through {@link TimingState}.
 *
 * <p><b>Protocol.</b> A requester first reserves queue space with {@link #tryReserve} (credits:
 * one per burst of {@link HbmOrganization#accessBytes()}); if that fails it calls
 * {@link #awaitSlot} and is woken by an event when space frees, then tries again. It then sends
 * the request message to the {@code req} port. A request covers one or more consecutive bursts
 * inside one {@link AddressMapping#contiguousBytes()} block. When the data of its last burst is
 * done (read: RD + tCL + nBL; write: WR + tCWL + nBL) plus the frontend latency, the message,
 * marked as a response, goes back to the device ({@link HbmMemory}), which sends it out of the
 * requester's response port. Queue space is given back when a burst's RD or WR issues.
 *
 * <p><b>Timing.</b> The controller is event driven on the edges of CK: it decides only at cycles
 * where something can happen (an arrival, a command becoming legal or a lower bound of that, a
 * refresh falling due) and issues at most one row command (ACT, PREpb, PREab, REF) and one column
 * command (RD, WR) per cycle.
 *
 * <p><b>Idle refresh.</b> A controller with nothing queued and no refresh under way schedules no
 * event for its next refresh: the refreshes that fall due while it is idle are issued when the
 * next request arrives (or the statistics are read, or {@link #catchUpRefresh} is called), each
 * at the cycle the event-driven schedule would have issued it, so idle devices cost nothing and a
 * simulation ends when its work does. The decisions of an idle controller are replayed one by
 * one ({@link #decide}); refreshes that need no precharge and are legal at their due cycle are
 * only counted (whole rounds over the banks at once), and the timing state records those whose
 * rules still reach the present, which is all a later command can see of them (no rule from a
 * refresh reaches back more than one command). With a command observer every refresh is
 * replayed, so the log is complete.
 *
 * <p><b>Write draining.</b> The controller serves reads until the write queue reaches the high
 * watermark (or no read is waiting), then serves only writes until the write queue falls to the
 * low watermark with reads waiting (or is empty).
 */
public final class HbmController extends Component implements Scheduler.SchedulerView {
  private static final int WAKE = 0;
  private static final int RESPOND = 1;
  private static final long IDLE = Long.MAX_VALUE;
  private static final int CLOSED = -1;
  private static final byte HIT = 0;
  private static final byte MISS = 1;
  private static final byte CONFLICT = 2;

  private final Messages messages;
  private final HbmOrganization org;
  private final ClockDomain clock;
  private final TimingState timingState;
  private final Scheduler scheduler;
  private final AddressMapping mapping;
  private final BurstCounter bursts;
  private final int index;
  private final int channel;
  private final int pcInChannel;
  private final int granule;
  private final int readDataCycles;
  private final int writeDataCycles;
  private final long frontendLatencyPs;
  private final boolean closedPage;
  private final RefreshMode refreshMode;
  private final long refreshInterval;
  private final int writeHigh;
  private final int writeLow;
  private final Responder responder;
  private CommandObserver observer;

  /** Where a finished request goes: the device, which routes it to its requester. */
  interface Responder {
    void respond(int message);
  }

  // queue entries (one per burst), each on two lists oldest to youngest: all entries of its
  // queue (entryNext/entryPrev, which also chains free slots) and the entries of its queue for
  // its bank (bankNext/bankPrev)
  private final int[] entryMessage;
  private final int[] entryBank;
  private final int[] entryRow;
  private final int[] entryColumn;
  private final int[] entryQueue;
  private final long[] entryAge;
  /** Row-buffer outcome of the burst: HIT unless an ACT (MISS) or PRE (CONFLICT) issued for it. */
  private final byte[] entryOutcome;
  private final int[] entryNext;
  private final int[] entryPrev;
  private final int[] bankNext;
  private final int[] bankPrev;
  private int freeEntries;
  private long arrivals;
  private final int[] oldest = {-1, -1};
  private final int[] youngest = {-1, -1};
  /** [queue * banks + bank]: oldest and youngest entry of the bank in the queue. */
  private final int[] bankOldest;
  private final int[] bankYoungest;
  private final int[] queued = new int[2];
  private final int[] reserved = new int[2];
  private final int[] capacity = new int[2];

  // banks
  private final int banks;
  private final int banksPerSid;
  private final int[] openRow;
  /** [queue * banks + bank]: queued bursts that hit the bank's open row. */
  private final int[] hits;
  /** [queue]: banks with a queued burst; banks whose open row a queued burst hits. */
  private final long[] banksWithRequests = new long[2];
  private final long[] banksWithHits = new long[2];
  /** [queue * banks + bank]: the oldest queued burst that hits the bank's open row, or -1. */
  private final int[] oldestHit;
  private final int[] queuedPerBank;
  private int openBanks;
  /** Banks with no open row, as a mask. */
  private long closedBanks;
  /** Closed-page policy: open banks no queued burst hits, to be precharged. */
  private long idleOpenBanks;

  // refresh
  private long refreshDue;
  private boolean refreshingAll;
  private int refreshingBank = -1;
  private long refreshedThisRound;
  /** Whether idle refreshes may be issued in a batch (see {@link #catchUpRefresh}). */
  private final boolean refreshBatchable;
  /** Longest rule from a refresh to a refresh of another bank (any scope but BANK), in cycles. */
  private final int refreshToRefresh;
  /** Longest rule from a refresh to a refresh of the same bank, in cycles. */
  private final int refreshToSameBank;
  /** Longest rule from a refresh to any command, in cycles. */
  private final int refreshReach;
  /** Per bank, the last refresh counted in the current batch, or NOT_BATCHED. */
  private final long[] batchedRefresh;
  private static final long NOT_BATCHED = Long.MIN_VALUE;

  private boolean writePhase;
  private long scheduledWake = IDLE;
  private long nextWake;
  /** Cycles of wake-up events in the event queue, valid or superseded, so as not to repeat one. */
  private final long[] pendingWakes = new long[8];
  private int pendingWakeCount;

  // requesters waiting for queue space, per queue
  private final EventHandler[][] waitHandler = new EventHandler[2][4];
  private final int[][] waitKind = new int[2][4];
  private final long[][] waitArg = new long[2][4];
  private final int[] waiting = new int[2];

  // statistics
  private final long[] requests = new long[2];
  private final long[] burstsDone = new long[2];
  private long rowHits;
  private long rowMisses;
  private long rowConflicts;
  private final long[] commandCounts = new long[HbmCommand.COUNT];
  private final int[] peakOccupancy = new int[2];

  HbmController(
      Simulator sim,
      Messages messages,
      String name,
      int index,
      HbmOrganization org,
      HbmTiming timing,
      List<TimingConstraint> table,
      ControllerParams params,
      AddressMapping mapping,
      BurstCounter bursts,
      Responder responder) {
    super(sim, name);
    this.messages = messages;
    this.org = org;
    this.clock = timing.clock();
    this.timingState = new TimingState(org, table);
    this.scheduler = Schedulers.create(params.scheduler());
    this.mapping = mapping;
    this.bursts = bursts;
    this.responder = responder;
    this.index = index;
    this.channel = index / org.pseudoChannelsPerChannel();
    this.pcInChannel = index % org.pseudoChannelsPerChannel();
    this.granule = org.accessBytes();
    this.readDataCycles = timing.readDataCycles();
    this.writeDataCycles = timing.writeDataCycles();
    this.frontendLatencyPs = params.frontendLatencyPs();
    this.closedPage = params.pagePolicy() == PagePolicy.CLOSED;
    this.refreshMode = params.refresh();
    this.refreshInterval = refreshMode == RefreshMode.ALL_BANK
        ? timing.get(TimingParam.REFI)
        : timing.perBankRefreshInterval(org);
    // every pseudo-channel's refresh timer starts at 0: all-bank refreshes then pause the whole
    // device together, rather than one pseudo-channel after another, which would stall any
    // traffic spread over all of them for most of every tREFI
    this.refreshDue = refreshInterval;
    this.writeHigh = params.writeHighWatermark();
    this.writeLow = params.writeLowWatermark();
    capacity[READS] = params.readQueue();
    capacity[WRITES] = params.writeQueue();
    int entries = params.readQueue() + params.writeQueue();
    entryMessage = new int[entries];
    entryBank = new int[entries];
    entryRow = new int[entries];
    entryColumn = new int[entries];
    entryQueue = new int[entries];
    entryAge = new long[entries];
    entryOutcome = new byte[entries];
    entryNext = new int[entries];
    entryPrev = new int[entries];
    bankNext = new int[entries];
    bankPrev = new int[entries];
    for (int e = 0; e < entries; e++) {
      entryNext[e] = e + 1 < entries ? e + 1 : -1;
    }
    freeEntries = 0;
    banks = org.banksPerPseudoChannel();
    banksPerSid = org.bankGroups() * org.banksPerGroup();
    openRow = new int[banks];
    Arrays.fill(openRow, CLOSED);
    closedBanks = banks == 64 ? -1L : (1L << banks) - 1;
    hits = new int[2 * banks];
    oldestHit = new int[2 * banks];
    bankOldest = new int[2 * banks];
    bankYoungest = new int[2 * banks];
    Arrays.fill(oldestHit, -1);
    Arrays.fill(bankOldest, -1);
    Arrays.fill(bankYoungest, -1);
    queuedPerBank = new int[banks];
    int refreshCommand = refreshMode == RefreshMode.ALL_BANK ? HbmCommand.REFA : HbmCommand.REFB;
    int toOther = 0;
    int toSame = 0;
    int reach = 0;
    boolean windowed = false;
    for (TimingConstraint r : table) {
      if (r.from() != refreshCommand) {
        continue;
      }
      windowed |= r.window() != 1;
      reach = Math.max(reach, r.cycles());
      if (r.to() == refreshCommand) {
        if (r.scope() == TimingConstraint.Scope.BANK) {
          toSame = Math.max(toSame, r.cycles());
        } else {
          toOther = Math.max(toOther, r.cycles());
        }
      }
    }
    this.refreshToRefresh = toOther;
    this.refreshToSameBank = toSame;
    this.refreshReach = reach;
    // a batch relies on consecutive refreshes (one interval apart) not constraining each other
    // beyond the checks made per refresh, and on no rule reading back more than one refresh
    this.refreshBatchable = !windowed && refreshMode != RefreshMode.NONE;
    this.batchedRefresh = new long[banks];
    Arrays.fill(batchedRefresh, NOT_BATCHED);
    addPort("req", (at, m) -> accept(m));
  }

  /** Reports every command issued from now on to {@code o} (null to stop). */
  public void setCommandObserver(CommandObserver o) {
    this.observer = o;
  }

  // ---------------------------------------------------------------- requester protocol

  /** Bursts a request of {@code bytes} at {@code addr} occupies. */
  int burstsOf(long addr, int bytes) {
    return (int) ((addr % granule + bytes + granule - 1) / granule);
  }

  /**
   * Reserves queue space for a request of {@code bytes} at {@code addr}; false if the queue for
   * its direction is too full now (then call {@link #awaitSlot}).
   */
  public boolean tryReserve(long addr, int bytes, boolean write) {
    int q = write ? WRITES : READS;
    int n = burstsOf(addr, bytes);
    if (queued[q] + reserved[q] + n > capacity[q]) {
      return false;
    }
    reserved[q] += n;
    peakOccupancy[q] = Math.max(peakOccupancy[q], queued[q] + reserved[q]);
    return true;
  }

  /**
   * Asks for {@code handler.onEvent(kind, arg)} to be scheduled once, as soon as queue space of
   * the given direction frees. The handler should then call {@link #tryReserve} again.
   */
  public void awaitSlot(boolean write, EventHandler handler, int kind, long arg) {
    int q = write ? WRITES : READS;
    int n = waiting[q];
    if (n == waitHandler[q].length) {
      waitHandler[q] = Arrays.copyOf(waitHandler[q], n * 2);
      waitKind[q] = Arrays.copyOf(waitKind[q], n * 2);
      waitArg[q] = Arrays.copyOf(waitArg[q], n * 2);
    }
    waitHandler[q][n] = handler;
    waitKind[q][n] = kind;
    waitArg[q][n] = arg;
    waiting[q] = n + 1;
  }

  /** Takes a request whose space was reserved; called when it arrives at the {@code req} port. */
  void accept(int m) {
    long addr = messages.addr(m);
    int bytes = messages.bytes(m);
    boolean write = messages.isWrite(m);
    int block = mapping.contiguousBytes();
    if (addr < 0 || bytes < 1 || addr % block + bytes > block) {
      throw new IllegalArgumentException(name() + ": request of " + bytes + " B at 0x"
          + Long.toHexString(addr) + " must be non-empty and lie inside one aligned block of "
          + block + " B (split it at " + block + " B boundaries)");
    }
    if (mapping.pseudoChannel(addr) != index) {
      throw new IllegalArgumentException(name() + ": address 0x" + Long.toHexString(addr)
          + " belongs to pseudo-channel " + mapping.pseudoChannel(addr) + ", not " + index);
    }
    int q = write ? WRITES : READS;
    int n = burstsOf(addr, bytes);
    if (reserved[q] < n) {
      throw new IllegalStateException(name() + ": a " + (write ? "write" : "read") + " of " + n
          + " bursts arrived without reserved queue space; call tryReserve before sending");
    }
    long now = sim.now();
    long c = clock.cyclesAt(now);
    long arrival = clock.ticks(c) < now ? c + 1 : c;
    catchUpRefresh(arrival);
    reserved[q] -= n;
    int bank = mapping.bank(addr);
    int row = mapping.row(addr);
    int column = mapping.column(addr - addr % granule);
    requests[q]++;
    for (int i = 0; i < n; i++) {
      enqueue(q, m, bank, row, column + i);
    }
    bursts.set(m, n);
    scheduleWake(arrival);
  }

  private void enqueue(int q, int m, int bank, int row, int column) {
    int e = freeEntries;
    freeEntries = entryNext[e];
    entryMessage[e] = m;
    entryBank[e] = bank;
    entryRow[e] = row;
    entryColumn[e] = column;
    entryQueue[e] = q;
    entryAge[e] = arrivals++;
    entryOutcome[e] = HIT;
    entryNext[e] = -1;
    entryPrev[e] = youngest[q];
    if (youngest[q] >= 0) {
      entryNext[youngest[q]] = e;
    } else {
      oldest[q] = e;
    }
    youngest[q] = e;
    bankNext[e] = -1;
    bankPrev[e] = bankYoungest[q * banks + bank];
    if (bankYoungest[q * banks + bank] >= 0) {
      bankNext[bankYoungest[q * banks + bank]] = e;
    } else {
      bankOldest[q * banks + bank] = e;
    }
    bankYoungest[q * banks + bank] = e;
    queued[q]++;
    queuedPerBank[bank]++;
    banksWithRequests[q] |= 1L << bank;
    if (openRow[bank] == row) {
      hits[q * banks + bank]++;
      banksWithHits[q] |= 1L << bank;
      idleOpenBanks &= ~(1L << bank);
      if (oldestHit[q * banks + bank] < 0) {
        oldestHit[q * banks + bank] = e;
      }
    }
  }

  /** Removes an entry that hits its bank's open row (its RD or WR has issued). */
  private void dequeueHit(int e) {
    int q = entryQueue[e];
    int bank = entryBank[e];
    int prev = entryPrev[e];
    int next = entryNext[e];
    if (prev >= 0) {
      entryNext[prev] = next;
    } else {
      oldest[q] = next;
    }
    if (next >= 0) {
      entryPrev[next] = prev;
    } else {
      youngest[q] = prev;
    }
    prev = bankPrev[e];
    next = bankNext[e];
    if (oldestHit[q * banks + bank] == e) {
      int h = next;
      while (h >= 0 && entryRow[h] != entryRow[e]) {
        h = bankNext[h];
      }
      oldestHit[q * banks + bank] = h;
    }
    if (prev >= 0) {
      bankNext[prev] = next;
    } else {
      bankOldest[q * banks + bank] = next;
    }
    if (next >= 0) {
      bankPrev[next] = prev;
    } else {
      bankYoungest[q * banks + bank] = prev;
    }
    entryNext[e] = freeEntries;
    freeEntries = e;
    queued[q]--;
    queuedPerBank[bank]--;
    if (bankOldest[q * banks + bank] < 0) {
      banksWithRequests[q] &= ~(1L << bank);
    }
    if (--hits[q * banks + bank] == 0) {
      banksWithHits[q] &= ~(1L << bank);
    }
  }

  private void wakeWaiters(int q) {
    int n = waiting[q];
    waiting[q] = 0;
    for (int i = 0; i < n; i++) {
      sim.schedule(0, waitHandler[q][i], waitKind[q][i], waitArg[q][i]);
      waitHandler[q][i] = null;
    }
  }

  // ---------------------------------------------------------------- event loop

  private void scheduleWake(long cycle) {
    if (cycle >= scheduledWake) {
      return;
    }
    scheduledWake = cycle;
    for (int i = 0; i < pendingWakeCount; i++) {
      if (pendingWakes[i] == cycle) {
        return; // an event for that cycle is already queued: it becomes the valid one again
      }
    }
    if (pendingWakeCount < pendingWakes.length) {
      pendingWakes[pendingWakeCount++] = cycle;
    }
    sim.scheduleAt(clock.ticks(cycle), Simulator.DEFAULT_PRIORITY, this, WAKE, cycle);
  }

  @Override
  public void onEvent(int kind, long arg) {
    if (kind == RESPOND) {
      int m = (int) arg;
      messages.markResponse(m);
      responder.respond(m);
      return;
    }
    for (int i = 0; i < pendingWakeCount; i++) {
      if (pendingWakes[i] == arg) {
        pendingWakes[i] = pendingWakes[--pendingWakeCount];
        break;
      }
    }
    if (arg != scheduledWake) {
      return; // superseded by an earlier wake-up
    }
    scheduledWake = IDLE;
    decide(arg);
    if (nextWake != IDLE && !idleUntilRefresh()) {
      scheduleWake(nextWake);
    }
  }

  /**
   * Nothing to do but the next refresh, at {@code refreshDue}: no burst queued, no refresh under
   * way, no bank waiting to be closed. Such a controller schedules no event (see the class doc).
   */
  private boolean idleUntilRefresh() {
    return queued[READS] + queued[WRITES] == 0 && !refreshingAll && refreshingBank < 0
        && idleOpenBanks == 0;
  }

  /**
   * Issues the refreshes an idle controller owes: every decision the event-driven schedule would
   * have taken at a cycle before {@code upTo}. Nothing happens while the controller is busy (its
   * own events carry the refreshes then).
   */
  private void catchUpRefresh(long upTo) {
    if (refreshMode == RefreshMode.NONE || scheduledWake != IDLE || !idleUntilRefresh()) {
      return;
    }
    long c = refreshDue;
    while (c < upTo) {
      if (observer == null && refreshBatchable && !refreshingAll && refreshingBank < 0) {
        c = batchRefreshes(upTo);
        if (c >= upTo) {
          break;
        }
      }
      decide(c);
      c = nextWake;
    }
    if (!idleUntilRefresh()) {
      scheduleWake(c); // a refresh under way: it goes on by events
    }
  }

  /**
   * Issues the refreshes due before {@code upTo} as long as each needs no precharge and is legal
   * at its due cycle, exactly as {@link #refresh} would, but without replaying the decisions: it
   * counts them and records in the timing state only those whose rules reach {@code upTo} (every
   * rule from a refresh reaches back one command, so these bound all later commands as the whole
   * sequence would). Returns the cycle of the next decision.
   */
  private long batchRefreshes(long upTo) {
    boolean allBank = refreshMode == RefreshMode.ALL_BANK;
    int command = allBank ? HbmCommand.REFA : HbmCommand.REFB;
    long all = banks == 64 ? -1L : (1L << banks) - 1;
    int slots = allBank ? 1 : banks;
    long allSlots = allBank ? 1 : all;
    long round = slots * refreshInterval;
    // whole rounds repeat once one has run in the batch: every bank closed, in bank order, one
    // interval apart, each bank one round after its previous refresh
    boolean roundsRepeat = refreshInterval >= refreshToRefresh && round >= refreshToSameBank;
    long d = refreshDue;
    long last = NOT_BATCHED;
    long batched = 0;
    long count = 0;
    while (d < upTo) {
      if (roundsRepeat && batched == allSlots && (allBank || refreshedThisRound == all)) {
        long rounds = (upTo - d) / round - 1;
        if (rounds > 0) {
          long shift = rounds * round;
          for (int b = 0; b < slots; b++) {
            batchedRefresh[b] += shift;
          }
          last += shift;
          d += shift;
          count += rounds * slots;
        }
      }
      int b;
      long ready;
      if (allBank) {
        if (openBanks > 0) {
          break;
        }
        b = 0;
      } else {
        if ((all & ~refreshedThisRound) == 0) {
          refreshedThisRound = 0;
        }
        long closedPending = all & ~refreshedThisRound & closedBanks;
        if (closedPending == 0) {
          break; // the next bank to refresh is open: the decision precharges it first
        }
        b = Long.numberOfTrailingZeros(closedPending);
      }
      // bounds from before the batch do not change during it: checking a bank's first refresh
      // in the batch against them covers its later ones
      ready = batchedRefresh[b] == NOT_BATCHED
          ? timingState.earliest(command, allBank ? -1 : b)
          : batchedRefresh[b] + refreshToSameBank;
      if (last != NOT_BATCHED) {
        ready = Math.max(ready, last + refreshToRefresh);
      }
      if (ready > d) {
        break;
      }
      batchedRefresh[b] = d;
      batched |= 1L << b;
      last = d;
      if (!allBank) {
        refreshedThisRound |= 1L << b;
      }
      count++;
      d += refreshInterval;
    }
    // a refresh whose every rule has run out by upTo cannot affect a later command: only the
    // recent ones go into the timing state
    for (long m = batched; m != 0; m &= m - 1) {
      int b = Long.numberOfTrailingZeros(m);
      if (batchedRefresh[b] + refreshReach >= upTo) {
        timingState.record(command, allBank ? -1 : b, batchedRefresh[b]);
      }
      batchedRefresh[b] = NOT_BATCHED;
    }
    commandCounts[command] += count;
    refreshDue = d;
    return d;
  }

  /**
   * Issues the refreshes that fell due while the controller was idle, up to the current time.
   * Requests and statistics do this by themselves; call it before reading a command log.
   */
  public void catchUpRefresh() {
    long now = sim.now();
    long c = clock.cyclesAt(now);
    catchUpRefresh(clock.ticks(c) < now ? c + 1 : c);
  }

  /**
   * The scheduling decision at cycle {@code c}: issues every command that is legal now, at most
   * one per command bus (the timing table's bus rules enforce that), repeating until nothing more
   * can issue, because one issue can enable another in the same cycle (the last queued read ends
   * the read phase, and a write's ACT may be legal at once). The last pass, which issues nothing,
   * has collected the cycle at which the next command can become legal, or a lower bound of it
   * where the scheduler skipped candidates held back by pseudo-channel-wide rules.
   */
  private void decide(long c) {
    boolean issued;
    do {
      nextWake = IDLE;
      issued = refresh(c);
      choosePhase();
      int q = writePhase ? WRITES : READS;
      int e = scheduler.select(this, q, true, c);
      if (e >= 0) {
        issueColumn(e, c);
        issued = true;
      }
      e = scheduler.select(this, q, false, c);
      if (e >= 0) {
        issueRow(e, c);
        issued = true;
      } else if (closedPage && idleOpenBanks != 0) {
        issued |= prechargeIdleBank(c);
      }
    } while (issued);
  }

  private void choosePhase() {
    int r = queued[READS];
    int w = queued[WRITES];
    if (writePhase) {
      if (w == 0 || (r > 0 && w <= writeLow)) {
        writePhase = false;
      }
    } else if (w >= writeHigh || (r == 0 && w > 0)) {
      writePhase = true;
    }
  }

  /** Advances refresh; returns whether it used the row bus this cycle. */
  private boolean refresh(long c) {
    if (refreshMode == RefreshMode.NONE) {
      return false;
    }
    if (!refreshingAll && refreshingBank < 0) {
      if (c < refreshDue) {
        wakeAt(refreshDue);
        return false;
      }
      if (refreshMode == RefreshMode.ALL_BANK) {
        refreshingAll = true;
      } else {
        refreshingBank = pickBankToRefresh();
      }
    }
    if (refreshingAll) {
      if (openBanks > 0) {
        return tryIssue(HbmCommand.PREA, -1, c);
      }
      if (tryIssue(HbmCommand.REFA, -1, c)) {
        refreshingAll = false;
        refreshDue += refreshInterval;
        return true;
      }
      return false;
    }
    int b = refreshingBank;
    if (openRow[b] != CLOSED) {
      return tryIssue(HbmCommand.PRE, b, c);
    }
    if (tryIssue(HbmCommand.REFB, b, c)) {
      refreshedThisRound |= 1L << b;
      refreshingBank = -1;
      refreshDue += refreshInterval;
      return true;
    }
    return false;
  }

  /**
   * The next bank to refresh in this round (each bank once per tREFI, in any order): a closed
   * bank with nothing queued if there is one, else a bank with nothing queued, else the lowest.
   */
  private int pickBankToRefresh() {
    long all = banks == 64 ? -1L : (1L << banks) - 1;
    long pending = all & ~refreshedThisRound;
    if (pending == 0) {
      refreshedThisRound = 0;
      pending = all;
    }
    int idle = -1;
    for (long m = pending; m != 0; m &= m - 1) {
      int b = Long.numberOfTrailingZeros(m);
      if (queuedPerBank[b] == 0) {
        if (openRow[b] == CLOSED) {
          return b;
        }
        if (idle < 0) {
          idle = b;
        }
      }
    }
    return idle >= 0 ? idle : Long.numberOfTrailingZeros(pending);
  }

  private boolean prechargeIdleBank(long c) {
    for (long m = idleOpenBanks; m != 0; m &= m - 1) {
      int b = Long.numberOfTrailingZeros(m);
      if (b != refreshingBank && !refreshingAll && tryIssue(HbmCommand.PRE, b, c)) {
        return true;
      }
    }
    return false;
  }

  private boolean tryIssue(int command, int bank, long c) {
    long t = timingState.earliest(command, bank);
    if (t <= c) {
      issue(command, bank, command == HbmCommand.PRE ? openRow[bank] : -1, -1, c);
      return true;
    }
    wakeAt(t);
    return false;
  }

  private void issueColumn(int e, long c) {
    int q = entryQueue[e];
    int bank = entryBank[e];
    int m = entryMessage[e];
    issue(q == WRITES ? HbmCommand.WR : HbmCommand.RD, bank, entryRow[e], entryColumn[e], c);
    burstsDone[q]++;
    switch (entryOutcome[e]) {
      case HIT -> rowHits++;
      case MISS -> rowMisses++;
      default -> rowConflicts++;
    }
    dequeueHit(e);
    if (closedPage && hits[bank] + hits[banks + bank] == 0) {
      idleOpenBanks |= 1L << bank;
    }
    if (bursts.issued(m) == 0) {
      long done = c + (q == WRITES ? writeDataCycles : readDataCycles);
      sim.scheduleAt(clock.ticks(done) + frontendLatencyPs, Simulator.DEFAULT_PRIORITY, this,
          RESPOND, m);
    }
    if (waiting[q] > 0) {
      wakeWaiters(q);
    }
  }

  private void issueRow(int e, long c) {
    int bank = entryBank[e];
    if (openRow[bank] == CLOSED) {
      int row = entryRow[e];
      issue(HbmCommand.ACT, bank, row, -1, c);
      countHits(bank, row);
      if (entryOutcome[e] == HIT) {
        entryOutcome[e] = MISS;
      }
    } else {
      issue(HbmCommand.PRE, bank, openRow[bank], -1, c);
      entryOutcome[e] = CONFLICT;
    }
  }

  /** Issues a command: records it for the timing rules and updates the bank state. */
  private void issue(int command, int bank, int row, int column, long c) {
    timingState.record(command, bank, c);
    commandCounts[command]++;
    switch (command) {
      case HbmCommand.ACT -> {
        openRow[bank] = row;
        openBanks++;
        closedBanks &= ~(1L << bank);
      }
      case HbmCommand.PRE -> close(bank);
      case HbmCommand.PREA -> {
        for (int b = 0; b < banks; b++) {
          if (openRow[b] != CLOSED) {
            close(b);
          }
        }
      }
      default -> {}
    }
    if (observer != null) {
      boolean allBank = HbmCommand.isAllBank(command);
      observer.onCommand(clock.ticks(c), channel, pcInChannel,
          allBank ? -1 : bank / banksPerSid,
          allBank ? -1 : bank % banksPerSid / org.banksPerGroup(),
          allBank ? -1 : bank % org.banksPerGroup(),
          row, column, command);
    }
  }

  private void close(int bank) {
    openRow[bank] = CLOSED;
    openBanks--;
    closedBanks |= 1L << bank;
    long keep = ~(1L << bank);
    for (int q = READS; q <= WRITES; q++) {
      hits[q * banks + bank] = 0;
      oldestHit[q * banks + bank] = -1;
      banksWithHits[q] &= keep;
    }
    idleOpenBanks &= keep;
  }

  private void countHits(int bank, int row) {
    for (int q = READS; q <= WRITES; q++) {
      int n = 0;
      int first = -1;
      for (int e = bankOldest[q * banks + bank]; e >= 0; e = bankNext[e]) {
        if (entryRow[e] == row) {
          if (n++ == 0) {
            first = e;
          }
        }
      }
      hits[q * banks + bank] = n;
      oldestHit[q * banks + bank] = first;
      if (n > 0) {
        banksWithHits[q] |= 1L << bank;
      }
    }
    if (closedPage && hits[bank] + hits[banks + bank] == 0) {
      idleOpenBanks |= 1L << bank;
    }
  }

  // ---------------------------------------------------------------- SchedulerView

  @Override
  public int oldest(int queue) {
    return oldest[queue];
  }

  @Override
  public int younger(int entry) {
    return entryNext[entry];
  }

  @Override
  public long age(int entry) {
    return entryAge[entry];
  }

  @Override
  public long banksWithRequests(int queue) {
    return banksWithRequests[queue];
  }

  @Override
  public long banksWithHits(int queue) {
    return banksWithHits[queue];
  }

  @Override
  public long closedBanks() {
    return closedBanks;
  }

  @Override
  public long earliestAnywhere(int command) {
    return timingState.earliestAnywhere(command);
  }

  @Override
  public int oldestOfBank(int queue, int bank) {
    return bankOldest[queue * banks + bank];
  }

  @Override
  public int oldestHitOfBank(int queue, int bank) {
    return oldestHit[queue * banks + bank];
  }

  @Override
  public int command(int entry, boolean columnBus, boolean protectHits) {
    int b = entryBank[entry];
    if (refreshingAll || b == refreshingBank) {
      return NONE;
    }
    int open = openRow[b];
    if (open == entryRow[entry]) {
      return columnBus ? (entryQueue[entry] == WRITES ? HbmCommand.WR : HbmCommand.RD) : NONE;
    }
    if (columnBus) {
      return NONE;
    }
    if (open == CLOSED) {
      return HbmCommand.ACT;
    }
    return protectHits && hits[entryQueue[entry] * banks + b] > 0 ? NONE : HbmCommand.PRE;
  }

  @Override
  public long readyAt(int entry, int command) {
    return timingState.earliest(command, entryBank[entry]);
  }

  @Override
  public void wakeAt(long cycle) {
    if (cycle < nextWake) {
      nextWake = cycle;
    }
  }

  // ---------------------------------------------------------------- statistics

  public HbmStats stats() {
    catchUpRefresh();
    return new HbmStats(
        requests[READS],
        requests[WRITES],
        burstsDone[READS],
        burstsDone[WRITES],
        rowHits,
        rowMisses,
        rowConflicts,
        commandCounts[HbmCommand.ACT],
        commandCounts[HbmCommand.PRE] + commandCounts[HbmCommand.PREA],
        commandCounts[HbmCommand.REFA] + commandCounts[HbmCommand.REFB],
        peakOccupancy[READS],
        peakOccupancy[WRITES]);
  }

  /** Zeroes the counters (at the end of a warm-up); queue peaks restart from the current level. */
  public void resetStats() {
    catchUpRefresh();
    Arrays.fill(requests, 0);
    Arrays.fill(burstsDone, 0);
    Arrays.fill(commandCounts, 0);
    rowHits = 0;
    rowMisses = 0;
    rowConflicts = 0;
    for (int q = READS; q <= WRITES; q++) {
      peakOccupancy[q] = queued[q] + reserved[q];
    }
  }
}
