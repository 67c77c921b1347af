package org.dsasim.core.event;

import java.util.Arrays;

/**
 * A priority queue of events ordered by (time, priority, insertion order), so that simultaneous
 * events run in a deterministic order: lower priority value first, then first scheduled first.
 *
 * <p>A calendar queue, because a heap's O(log n) branchy sift costs more than everything else a
 * simulation step does. Events live in slots of primitive arrays that never move; three
 * structures hold slot numbers:
 *
 * <ul>
 *   <li>the <em>ring</em>: {@code ringSize} buckets, each covering {@code 2^shift} ps, for the
 *       buckets after the current one up to a horizon of {@code ringSize} buckets. A bucket is an
 *       unsorted intrusive list; a bitmap of non-empty buckets finds the next one quickly.
 *   <li>the current bucket, in one of two forms chosen when it is opened. <em>Lists</em>, when
 *       the bucket is at most 64 ps wide, with a 64-bit mask of the non-empty ones: normally one
 *       list per picosecond for all priorities, in (priority, insertion) order, filled in one
 *       pass over the bucket (an event walks its list only when it sorts before an event of its
 *       picosecond: never with one priority, rarely when few events share a picosecond); while
 *       such walks are frequent, one list per (picosecond, priority) when the bucket's width times
 *       its number of priorities (rounded up to a power of two) is at most 64, which needs the
 *       bucket collected first for its priority range. Both are counting sorts, without
 *       comparisons of times, and a new event for the bucket is appended to its list. Otherwise
 *       the <em>run</em>: the events sorted, then consumed from the front; a new event for the
 *       bucket that sorts after the run's last event is appended (the common case: zero-delay
 *       follow-ups).
 *   <li>the <em>far heap</em>: a 4-ary heap for events beyond the horizon, and for the rare new
 *       event that does not fit the current bucket's form (sorts inside the run, or has a priority
 *       its lists lack). The earliest event is the smaller of the current bucket's first and the
 *       heap's top.
 * </ul>
 *
 * <p>Insertion and removal cost O(1) amortized when buckets hold a few events and the horizon
 * covers most delays. The queue watches both (distinct times, events and priorities per opened
 * bucket, how many buckets needed sorting, how many events walked a list, empty buckets skipped,
 * share of insertions beyond the horizon) and re-sizes the buckets and the ring when they drift,
 * so no tuning is needed. Nothing is allocated per event; arrays grow by doubling.
 *
 * <p>Ordering keys pack the priority above a 48-bit insertion counter into one {@code long}; when
 * the counter runs out (after 2.8e14 insertions) the pending events are renumbered in order.
 */
public final class EventQueue {
  static final int PRIORITY_BITS = 15;
  static final int SEQ_BITS = 48;
  static final long SEQ_LIMIT = 1L << SEQ_BITS;
  public static final int MIN_PRIORITY = -(1 << (PRIORITY_BITS - 1));
  public static final int MAX_PRIORITY = (1 << (PRIORITY_BITS - 1)) - 1;

  private static final int NONE = -1;
  private static final int MIN_SHIFT = 1; // keeps (time >> shift) + ringSize inside a long
  private static final int MAX_SHIFT = 40;
  private static final int MIN_RING = 1 << 10;
  private static final int MAX_RING = 1 << 16;
  /** Bucket openings between two looks at the statistics that drive re-sizing. */
  private static final int ADAPT_INTERVAL = 1 << 10;
  /**
   * Buckets are narrowed when opened ones hold more than this many distinct times on average,
   * and widened (for scan or horizon reasons) only while they hold fewer than a quarter of it.
   */
  private static final int DISTINCT_TIMES_HIGH = 8;
  /** Distinct times are counted on one opening in this many (a power of two). */
  private static final int DISTINCT_SAMPLE = 16;
  /**
   * Buckets are widened while more than this many empty ones are skipped per opening on average
   * (a quarter of a bitmap word) and widening keeps sorting cheap.
   */
  private static final int EMPTY_SKIPS_HIGH = 16;
  /** Runs up to this length are sorted by rank (branch-free), see {@link #rankSort}. */
  private static final int RANK_SORT_MAX = 8;
  private static final int RANK_POSITION_BITS = 3;
  /** Longer runs are sorted by insertion in blocks of this length, then merged. */
  private static final int INSERTION_SORT_MAX = 16;
  /** Buckets of up to 2^SUB_SHIFT_MAX ps can be opened into per-picosecond lists. */
  private static final int SUB_SHIFT_MAX = 6;

  // Event slots. The fields that are used together live together: slot s occupies
  // slotData[4s .. 4s+3] = time, ordering key, argument, kind; so an event is half a cache line.
  // The links of the bucket lists and the free list are a separate, compact array: walking a
  // bucket then hits the first-level cache, and the loads of the events' lines can overlap.
  private static final int STRIDE = 4;
  private static final int TIME = 0;
  private static final int KEY = 1;
  private static final int ARG = 2;
  private static final int KIND = 3;
  private long[] slotData;
  private EventHandler[] slotHandler;
  private int[] slotNext;
  private int freeSlot = NONE;

  // the ring of buckets after the current one
  private int shift = 6;
  private int ringSize = MIN_RING;
  private int[] bucketHead;
  private long[] bucketNonEmpty;
  private int ringCount;
  /** Bucket number (time >> shift) of the current bucket; ring buckets are cur+1 .. cur+ringSize-1. */
  private long cur = -1;

  // the current bucket, sorted; while it is sorted, runOrder holds each event's
  // (time - bucket start) << PRIORITY_BITS | priority, and equal values keep insertion order
  private int[] run = new int[64];
  private long[] runOrder = new long[64];
  private int runStart;
  private int runEnd;
  private int[] mergeRun = new int[0];
  private long[] mergeOrder = new long[0];
  private final int[] rankRun = new int[RANK_SORT_MAX];
  private final long[] rankOrder = new long[RANK_SORT_MAX];

  // or the current bucket as lists (see open): list o holds the events of time
  // subStart + (o >> subPriorityBits) and, with subPriorityBits > 0, of priority rank
  // subMinRank + (o & mask); with subPriorityBits == 0 it holds every rank of its picosecond, in
  // (rank, insertion) order. Bit o of subMask says that it is not empty, and subHead[o] is NONE
  // exactly when it is empty. Alongside, the ranks (key >>> SEQ_BITS) of each list's first event
  // while the bucket is opened, and of its last event, so that an event that comes after every
  // event of its list (the common case) is placed without reading another event's slot.
  private final int[] subHead = new int[1 << SUB_SHIFT_MAX];
  private final int[] subTail = new int[1 << SUB_SHIFT_MAX];
  private final int[] subHeadRank = new int[1 << SUB_SHIFT_MAX];
  private final int[] subTailRank = new int[1 << SUB_SHIFT_MAX];
  private long subMask;
  private long subStart;
  private int subMinRank;
  private int subPriorityBits;
  /** Ranks subMinRank .. subMinRank + 2^subRankBits - 1 have lists in the current bucket. */
  private int subRankBits;
  private int subCount;

  // the far heap, with copies of the ordering keys so that sifting stays within its arrays
  private long[] heapTime = new long[64];
  private long[] heapKey = new long[64];
  private int[] heapSlot = new int[64];
  private int heapSize;

  private long nextSeq;

  // statistics for adapt()
  private int bucketsOpened;
  private int bucketsOpenedAsLists;
  private long eventsOpened;
  /** Most bits needed for the spread of priority ranks in one bucket. */
  private int priorityBitsSeen;
  /** Events that had to walk their list to their place (see insertIntoSubList). */
  private long listWalks;
  /**
   * Looks at the statistics during which buckets are not widened back to one list per
   * picosecond after they were narrowed because of walks, and how long the next pause lasts: it
   * doubles each time, so that a workload on the edge between the two forms does not make the
   * queue re-size back and forth at every look.
   */
  private int rankedWideningPause;
  /**
   * Set while events walk per-picosecond lists often: buckets are then collected first, to see
   * whether their priorities allow a list each (see collectAndOpen); otherwise they are
   * distributed over per-picosecond lists straight away.
   */
  private boolean listWalksFrequent;
  private int rankedWideningPauseLength = 1;
  private long distinctTimesOpened;
  /** Events of the openings whose distinct times were counted. */
  private long eventsSampled;
  private long emptyBucketsSkipped;
  private long seqAtAdapt;
  private long farInserts;
  private int resizes;
  private long listOpenings;
  private long rankedListOpenings;
  private long walkedInserts;

  // the event removed by the last poll()
  long polledTime;
  int polledKind;
  long polledArg;

  public EventQueue() {
    this(1024);
  }

  public EventQueue(int initialCapacity) {
    int cap = Math.max(16, initialCapacity);
    slotData = new long[0];
    slotHandler = new EventHandler[0];
    slotNext = new int[0];
    growSlots(cap);
    bucketHead = new int[ringSize];
    Arrays.fill(bucketHead, NONE);
    bucketNonEmpty = new long[ringSize >>> 6];
    Arrays.fill(subHead, NONE);
  }

  /** For tests of the counter's renumbering: starts the insertion counter at {@code firstSeq}. */
  EventQueue(int initialCapacity, long firstSeq) {
    this(initialCapacity);
    nextSeq = firstSeq;
  }

  public int size() {
    return (runEnd - runStart) + subCount + ringCount + heapSize;
  }

  public boolean isEmpty() {
    return runStart == runEnd && subMask == 0 && ringCount == 0 && heapSize == 0;
  }

  /** Time of the earliest event, or {@code Long.MAX_VALUE} when the queue is empty. */
  public long peekTime() {
    return isEmpty() ? Long.MAX_VALUE : slotData[top() * STRIDE + TIME];
  }

  /** Inserts an event. */
  public void add(long time, int priority, EventHandler handler, int kind, long arg) {
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException(
          "priority " + priority + " outside [" + MIN_PRIORITY + ", " + MAX_PRIORITY + "]");
    }
    addWithKeyBase(time, keyBase(priority), handler, kind, arg);
  }

  /** The part of an ordering key that a priority contributes. */
  static long keyBase(int priority) {
    return (long) (priority - MIN_PRIORITY) << SEQ_BITS;
  }

  /** Inserts an event whose priority was checked and turned into a key base already. */
  void addWithKeyBase(long time, long keyBase, EventHandler handler, int kind, long arg) {
    if (handler == null) {
      throw new NullPointerException("event handler");
    }
    if (nextSeq == SEQ_LIMIT) {
      renumber();
    }
    int s = freeSlot;
    if (s == NONE) {
      growSlots(slotHandler.length * 2);
      s = freeSlot;
    }
    freeSlot = slotNext[s];
    int d = s * STRIDE;
    long key = keyBase | nextSeq++;
    slotData[d + TIME] = time;
    slotData[d + KEY] = key;
    slotData[d + ARG] = arg;
    slotData[d + KIND] = kind;
    // a handler usually reschedules itself into the slot it just left: skip the store and its
    // garbage-collector write barrier (slots keep their last handler; see poll)
    if (slotHandler[s] != handler) {
      slotHandler[s] = handler;
    }
    place(s, time, key);
  }

  /** Puts slot {@code s} into the ring, the run or the far heap. */
  private void place(int s, long time, long key) {
    long bucket = time >> shift;
    if (bucket > cur) {
      if (bucket - cur < ringSize) {
        pushToBucket(s, (int) bucket & (ringSize - 1));
      } else {
        heapAdd(s, time, key);
        farInserts++;
      }
    } else if (subMask != 0) {
      int rank = (int) (key >>> SEQ_BITS);
      int rankOffset = rank - subMinRank;
      if (bucket == cur && (rankOffset >>> subRankBits) == 0) {
        appendToSubList(s, (int) ((time - subStart) << subPriorityBits)
            | (rankOffset & ((1 << subPriorityBits) - 1)), rank);
      } else {
        heapAdd(s, time, key);
      }
    } else if (runStart == runEnd || after(time, key, run[runEnd - 1])) {
      if (runStart == runEnd) {
        runStart = 0;
        runEnd = 0;
      } else if (runEnd == run.length) {
        growRun();
      }
      run[runEnd++] = s;
    } else {
      heapAdd(s, time, key);
    }
  }

  private void pushToBucket(int s, int b) {
    int head = bucketHead[b];
    slotNext[s] = head;
    bucketHead[b] = s;
    if (head == NONE) {
      bucketNonEmpty[b >>> 6] |= 1L << b;
    }
    ringCount++;
  }

  /**
   * Adds slot {@code s}, of priority rank {@code rank} and scheduled after every event of the
   * current bucket, to list {@code o}: after the events of its list with a rank up to its own.
   */
  private void appendToSubList(int s, int o, int rank) {
    long bit = 1L << o;
    if ((subMask & bit) == 0) {
      subHead[o] = s;
      subMask |= bit;
    } else if (subRankBits == subPriorityBits || rank >= subTailRank[o]) {
      // one rank per list, or the list's last event's rank is at most this one's
      slotNext[subTail[o]] = s;
    } else {
      insertIntoSubList(s, o, rank);
      subCount++;
      return;
    }
    slotNext[s] = NONE;
    subTail[o] = s;
    subTailRank[o] = rank;
    subCount++;
  }

  /**
   * Links slot {@code s} into the non-empty list {@code o} before its first event of a rank above
   * {@code rankBound}, walking from the list's head: events of equal time and priority are in
   * insertion order when {@code rankBound} is the rank of {@code s} for an event scheduled after
   * the list's events, and one less for an event scheduled before them.
   */
  private void insertIntoSubList(int s, int o, int rankBound) {
    listWalks++;
    walkedInserts++;
    int prev = NONE;
    int e = subHead[o];
    while (e != NONE && (int) (slotData[e * STRIDE + KEY] >>> SEQ_BITS) <= rankBound) {
      prev = e;
      e = slotNext[e];
    }
    slotNext[s] = e;
    int rank = (int) (slotData[s * STRIDE + KEY] >>> SEQ_BITS);
    if (prev == NONE) {
      subHead[o] = s;
      subHeadRank[o] = rank;
    } else {
      slotNext[prev] = s;
    }
    if (e == NONE) {
      subTail[o] = s;
      subTailRank[o] = rank;
    }
  }

  /** Removes the first event of the earliest per-picosecond list, which is slot {@code s}. */
  private void popSubList(int s) {
    long m = subMask;
    int next = slotNext[s];
    subHead[Long.numberOfTrailingZeros(m)] = next;
    // clear the lowest bit when that list is now empty (next == NONE == -1), without a branch
    subMask = m ^ ((long) (next >> 31) & (m & -m));
    subCount--;
  }

  /** Whether (time, key) sorts after the event in slot {@code s}. */
  private boolean after(long time, long key, int s) {
    long t = slotData[s * STRIDE + TIME];
    return time > t || (time == t && key > slotData[s * STRIDE + KEY]);
  }

  /**
   * Removes the earliest event and returns its handler; its time, kind and argument are left in
   * {@link #polledTime}, {@link #polledKind} and {@link #polledArg}. The queue must not be empty.
   */
  EventHandler poll() {
    return remove(top());
  }

  /**
   * Like {@link #poll}, but only if the earliest event's time is at most {@code maxTime};
   * otherwise, or when the queue is empty, returns null and removes nothing.
   */
  EventHandler pollUntil(long maxTime) {
    EventHandler h = pollFast(maxTime);
    return h != null ? h : pollSlow(maxTime);
  }

  /**
   * The fast paths of {@link #pollUntil}: the head of the earliest list, or of the run, when no
   * far-heap event can precede it. Returns null when they do not apply or that event lies after
   * {@code maxTime}; {@link #pollSlow} then decides. The dispatch loop calls the two itself, so
   * that the compiled fast path stays small enough to be inlined into the loop whichever of the
   * two the JIT compiler compiles first (a compiled method of more than 2,500 bytes is not
   * inlined, and the slow path, with the bucket opening, is larger).
   */
  EventHandler pollFast(long maxTime) {
    long m = subMask;
    if (m != 0) {
      int o = Long.numberOfTrailingZeros(m);
      long t = subStart + (o >>> subPriorityBits);
      if (heapSize == 0 || heapTime[0] > t) {
        if (t > maxTime) {
          return null;
        }
        int s = subHead[o];
        popSubList(s);
        return vacate(s);
      }
    }
    int i = runStart;
    if (i < runEnd) {
      int s = run[i];
      long t = slotData[s * STRIDE + TIME];
      if (heapSize == 0 || heapTime[0] > t) {
        if (t > maxTime) {
          return null;
        }
        runStart = i + 1;
        return vacate(s);
      }
    }
    return null;
  }

  /**
   * {@link #pollUntil} when {@link #pollFast} returned null: the current bucket is used up, the far
   * heap's top may come first, or the next event lies after {@code maxTime}.
   */
  EventHandler pollSlow(long maxTime) {
    if (runStart == runEnd && subMask == 0) {
      int lone = refill(maxTime);
      if (lone != NONE) {
        return vacate(lone);
      }
    }
    if (isEmpty()) {
      return null;
    }
    int s = earliest();
    return slotData[s * STRIDE + TIME] <= maxTime ? remove(s) : null;
  }

  private EventHandler remove(int s) {
    if (subMask != 0 && subHead[Long.numberOfTrailingZeros(subMask)] == s) {
      popSubList(s);
    } else if (runStart < runEnd && run[runStart] == s) {
      runStart++;
    } else {
      heapRemoveTop();
    }
    return vacate(s);
  }

  /** Frees the slot of the event just taken out of its structure and returns its handler. */
  private EventHandler vacate(int s) {
    int d = s * STRIDE;
    polledTime = slotData[d + TIME];
    polledArg = slotData[d + ARG];
    polledKind = (int) slotData[d + KIND];
    slotNext[s] = freeSlot;
    freeSlot = s;
    // the handler stays referenced from the free slot: handlers are long-lived components
    return slotHandler[s];
  }

  /** Slot of the earliest event; opens the next bucket if the current one is used up. Not empty. */
  private int top() {
    if (runStart == runEnd && subMask == 0) {
      refill(Long.MIN_VALUE);
    }
    return earliest();
  }

  /**
   * Slot of the earliest event once the next bucket is open, if it comes before the far heap's
   * top: the current bucket's first event or the heap's top. Not empty.
   */
  private int earliest() {
    if (subMask != 0 || runStart < runEnd) {
      int r = subMask != 0 ? subHead[Long.numberOfTrailingZeros(subMask)] : run[runStart];
      if (heapSize == 0 || after(heapTime[0], heapKey[0], r)) {
        return r;
      }
    }
    return heapSlot[0];
  }

  /**
   * The current bucket is used up: opens the next bucket, unless the far heap holds an event that
   * comes before that bucket (an event added behind the current one), which is then the top.
   * Returns the slot of the opened bucket's event when it was alone and at most {@code maxTime}:
   * it is then taken out of the queue already. Otherwise returns NONE.
   */
  private int refill(long maxTime) {
    if (bucketsOpened >= ADAPT_INTERVAL) {
      adapt();
    }
    long next;
    if (ringCount > 0) {
      next = nextNonEmptyBucket();
      if (heapSize > 0 && (heapTime[0] >> shift) < next) {
        return NONE;
      }
    } else if (heapSize > 0) {
      next = heapTime[0] >> shift;
    } else {
      return NONE;
    }
    return open(next, maxTime);
  }

  /** The first non-empty ring bucket after {@code cur}, as a bucket number. Ring not empty. */
  private long nextNonEmptyBucket() {
    int mask = ringSize - 1;
    int from = (int) (cur + 1) & mask;
    int word = from >>> 6;
    long bits = bucketNonEmpty[word] & (-1L << from);
    while (bits == 0) {
      word = (word + 1) & ((ringSize >>> 6) - 1);
      bits = bucketNonEmpty[word];
    }
    int b = (word << 6) | Long.numberOfTrailingZeros(bits);
    long distance = (b - from) & mask;
    emptyBucketsSkipped += distance;
    return cur + 1 + distance;
  }

  /**
   * Makes {@code bucket} the current one: pulls in far events that are now within the horizon,
   * then moves the bucket's events to lists or to the sorted run. A sorted bucket that holds one
   * event (the usual case of a sparse queue, whose buckets are widened until they hold about one
   * event each) is neither collected nor sorted: its event is returned, taken out of the queue,
   * when it is due by {@code maxTime}, and otherwise becomes a run of one. Returns NONE in every
   * other case.
   *
   * <p>Both order by (time, priority) only and keep the bucket list's reversed order among
   * equals, which is enough because a bucket's list, reversed, is in insertion order wherever
   * (time, priority) ties: events pulled in from the far heap arrive in (time, key) order, all of
   * them at the moment the bucket enters the horizon and so before any event is inserted into it
   * directly; direct insertions come in insertion order; {@link #rebuild} re-places events in
   * (time, key) order.
   */
  private int open(long bucket, long maxTime) {
    // C2 inlines open into the dispatch loop only while its bytecode stays under FreqInlineSize
    // (325 bytes), and a call per opening costs up to a quarter of the time of dense queues: the
    // rare and the bookkeeping parts live in methods of their own
    cur = bucket;
    if (heapSize > 0) {
      pullFarEvents();
    }
    int b = (int) bucket & (ringSize - 1);
    int first = bucketHead[b];
    bucketHead[b] = NONE;
    bucketNonEmpty[b >>> 6] &= ~(1L << b);
    boolean asLists = shift <= SUB_SHIFT_MAX;
    boolean lone = !asLists && slotNext[first] == NONE;
    long start = bucket << shift;
    int n;
    if (lone) {
      n = 1;
    } else if (asLists && !listWalksFrequent) {
      n = toRankedSubLists(first, start);
      rankedListOpenings++;
    } else {
      n = collectAndOpen(first, start);
    }
    ringCount -= n;
    countOpening(n, asLists);
    if (!lone) {
      return NONE;
    }
    if (slotData[first * STRIDE + TIME] <= maxTime) {
      return first;
    }
    run[0] = first;
    runStart = 0;
    runEnd = 1;
    return NONE;
  }

  /** Moves the far heap's events that are now within the horizon into the ring. */
  private void pullFarEvents() {
    while (heapSize > 0 && (heapTime[0] >> shift) - cur < ringSize) {
      int s = heapSlot[0];
      heapRemoveTop();
      pushToBucket(s, (int) (slotData[s * STRIDE + TIME] >> shift) & (ringSize - 1));
    }
  }

  /** The statistics of a bucket opening of {@code n} events, for {@link #adapt} and tests. */
  private void countOpening(int n, boolean asLists) {
    eventsOpened += n;
    if (asLists) {
      bucketsOpenedAsLists++;
      listOpenings++;
    }
    if ((bucketsOpened++ & (DISTINCT_SAMPLE - 1)) == 0) {
      eventsSampled += n;
      distinctTimesOpened += asLists ? distinctSubListTimes() : distinctTimes(n);
    }
  }

  /**
   * Opens the bucket list starting at slot {@code first} by collecting it into run[] first: into
   * one list per (picosecond, priority) when its priorities allow, else into one list per
   * picosecond, else into the sorted run. Returns the number of events.
   */
  private int collectAndOpen(int first, long start) {
    int n = 0;
    // int min and max compile to conditional moves; a branch here would mispredict on every
    // bucket that mixes priorities
    int minRank = Integer.MAX_VALUE;
    int maxRank = 0;
    // the bucket holds at most the ring's events: no growing (a call) inside the loop
    while (run.length < ringCount) {
      growRun();
    }
    int[] run = this.run;
    long[] runOrder = this.runOrder;
    long[] slotData = this.slotData;
    int[] slotNext = this.slotNext;
    for (int s = first; s != NONE; s = slotNext[s]) {
      int d = s * STRIDE;
      int rank = (int) (slotData[d + KEY] >>> SEQ_BITS);
      minRank = Math.min(minRank, rank);
      maxRank = Math.max(maxRank, rank);
      run[n] = s;
      runOrder[n] = ((slotData[d + TIME] - start) << PRIORITY_BITS) | rank;
      n++;
    }
    int priorityBits = 32 - Integer.numberOfLeadingZeros(maxRank - minRank);
    priorityBitsSeen = Math.max(priorityBitsSeen, priorityBits);
    if (shift + priorityBits <= SUB_SHIFT_MAX) {
      toSubLists(n, start, minRank, priorityBits);
    } else if (shift <= SUB_SHIFT_MAX) {
      toRankedSubLists(first, start); // the collection above left the links alone
      rankedListOpenings++;
    } else {
      runStart = 0;
      runEnd = n;
      sortRun(n);
    }
    return n;
  }

  /**
   * Distributes the n events just collected in run[] (latest insertion first) over one list per
   * (picosecond, priority): a counting sort. Events of equal time and priority keep their
   * insertion order because each is put in front of its list, latest first.
   */
  private void toSubLists(int n, long start, int minRank, int priorityBits) {
    long mask = 0;
    for (int i = 0; i < n; i++) {
      int s = run[i];
      long order = runOrder[i];
      int o = (int) ((order >>> PRIORITY_BITS << priorityBits)
          | ((order & ((1 << PRIORITY_BITS) - 1)) - minRank));
      int head = subHead[o];
      slotNext[s] = head;
      subHead[o] = s;
      if (head == NONE) {
        subTail[o] = s; // the latest event of the list, so its last
      }
      mask |= 1L << o;
    }
    setSubLists(mask, start, minRank, priorityBits, priorityBits, n);
  }

  /**
   * Distributes the bucket list starting at slot {@code first} (latest insertion first) straight
   * over one list per picosecond for all priorities, in one pass: each event is put in front of
   * its list, behind the events of a lower priority rank (usually none: few events share a
   * picosecond when this form is chosen, see adapt), so that events of equal time and priority
   * keep their insertion order. Returns the number of events.
   */
  private int toRankedSubLists(int first, long start) {
    long mask = 0;
    int n = 0;
    int next;
    for (int s = first; s != NONE; s = next) {
      next = slotNext[s];
      int d = s * STRIDE;
      int o = (int) (slotData[d + TIME] - start);
      int rank = (int) (slotData[d + KEY] >>> SEQ_BITS);
      int head = subHead[o];
      if (head != NONE && rank > subHeadRank[o]) {
        insertIntoSubList(s, o, rank - 1);
      } else {
        slotNext[s] = head;
        subHead[o] = s;
        subHeadRank[o] = rank;
        if (head == NONE) {
          subTail[o] = s; // the latest event of the list, so its last
          subTailRank[o] = rank;
        }
        mask |= 1L << o;
      }
      n++;
    }
    setSubLists(mask, start, 0, 0, PRIORITY_BITS, n);
    return n;
  }

  private void setSubLists(
      long mask, long start, int minRank, int priorityBits, int rankBits, int n) {
    subMask = mask;
    subStart = start;
    subMinRank = minRank;
    subPriorityBits = priorityBits;
    subRankBits = rankBits;
    subCount = n;
    runStart = 0;
    runEnd = 0;
  }

  private void growRun() {
    run = Arrays.copyOf(run, run.length * 2);
    runOrder = Arrays.copyOf(runOrder, run.length);
  }

  private void sortRun(int n) {
    if (n <= RANK_SORT_MAX) {
      rankSort(n);
      return;
    }
    // the list holds the latest insertion first: reversed, events of equal time and priority are
    // in insertion order, and a clock edge's events are often sorted already
    for (int i = 0, j = n - 1; i < j; i++, j--) {
      int s = run[i];
      run[i] = run[j];
      run[j] = s;
      long o = runOrder[i];
      runOrder[i] = runOrder[j];
      runOrder[j] = o;
    }
    for (int lo = 0; lo < n; lo += INSERTION_SORT_MAX) {
      insertionSort(lo, Math.min(lo + INSERTION_SORT_MAX, n));
    }
    if (n <= INSERTION_SORT_MAX) {
      return;
    }
    if (mergeRun.length < n) {
      mergeRun = new int[run.length];
      mergeOrder = new long[run.length];
    }
    int[] srcRun = run;
    long[] srcOrder = runOrder;
    int[] dstRun = mergeRun;
    long[] dstOrder = mergeOrder;
    for (int width = INSERTION_SORT_MAX; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        for (int k = lo; k < hi; k++) {
          // take from the left on ties: stable
          if (j >= hi || (i < mid && srcOrder[i] <= srcOrder[j])) {
            dstRun[k] = srcRun[i];
            dstOrder[k] = srcOrder[i++];
          } else {
            dstRun[k] = srcRun[j];
            dstOrder[k] = srcOrder[j++];
          }
        }
      }
      int[] r = srcRun;
      srcRun = dstRun;
      dstRun = r;
      long[] o = srcOrder;
      srcOrder = dstOrder;
      dstOrder = o;
    }
    if (srcRun != run) {
      System.arraycopy(srcRun, 0, run, 0, n);
      System.arraycopy(srcOrder, 0, runOrder, 0, n);
    }
  }

  /**
   * Sorts a short run (the common case) without data-dependent branches, which a small sort
   * mispredicts about once per element: each event goes to the place given by the number of events
   * that sort before it. Ties are broken by the position in the list, reversed (the list holds the
   * latest insertion first), which makes the sort stable. The keys stay below 2^58 (times within a
   * bucket below 2^MAX_SHIFT, then priority, then position), so their differences do not overflow.
   */
  private void rankSort(int n) {
    for (int i = 0; i < n; i++) {
      rankOrder[i] = (runOrder[i] << RANK_POSITION_BITS) | (n - 1 - i);
      rankRun[i] = run[i];
    }
    for (int i = 0; i < n; i++) {
      long k = rankOrder[i];
      int rank = 0;
      for (int j = 0; j < n; j++) {
        rank += (int) ((rankOrder[j] - k) >>> 63); // 1 if event j sorts before event i
      }
      run[rank] = rankRun[i];
      runOrder[rank] = k >>> RANK_POSITION_BITS;
    }
  }

  /** Stable insertion sort of run[from, to) by runOrder. */
  private void insertionSort(int from, int to) {
    for (int i = from + 1; i < to; i++) {
      int s = run[i];
      long o = runOrder[i];
      int j = i - 1;
      while (j >= from && runOrder[j] > o) {
        run[j + 1] = run[j];
        runOrder[j + 1] = runOrder[j];
        j--;
      }
      run[j + 1] = s;
      runOrder[j + 1] = o;
    }
  }

  /** Distinct times among the events of the per-(picosecond, priority) lists. */
  private int distinctSubListTimes() {
    int distinct = 0;
    long timeMask = -1L >>> (64 - (1 << subPriorityBits)); // the lists of one picosecond
    for (long m = subMask; m != 0; distinct++) {
      int first = Long.numberOfTrailingZeros(m) >>> subPriorityBits << subPriorityBits;
      m &= ~(timeMask << first);
    }
    return distinct;
  }

  /** Distinct times among the n sorted events of a freshly opened run. */
  private int distinctTimes(int n) {
    int distinct = n > 0 ? 1 : 0;
    for (int i = 1; i < n; i++) {
      if ((runOrder[i] >>> PRIORITY_BITS) != (runOrder[i - 1] >>> PRIORITY_BITS)) {
        distinct++;
      }
    }
    return distinct;
  }

  /**
   * Re-sizes buckets and ring when the statistics of the last {@link #ADAPT_INTERVAL} openings
   * say so: narrower buckets when opened buckets hold many distinct times (sorting cost); when
   * many insertions land beyond the horizon (heap cost), wider buckets if they hold about one
   * event each (a sparse queue: a few events at long delays), else a larger ring, then wider
   * buckets; wider buckets when many empty buckets are skipped per opening (scan cost). A sparse
   * queue so ends with buckets of about its events' spacing and a small ring, instead of the
   * largest ring (256 KB of list heads, a cache miss per insertion in a simulation whose own data
   * fills the caches) and hundreds of empty buckets per event. Between list forms: narrower
   * buckets, so that each priority gets its lists, when more than one event in 12 walked a
   * per-picosecond list (dense buckets with mixed priorities); wider ones back to one list per
   * picosecond when fewer than a quarter of the events share a picosecond (then about a quarter
   * of those, with two priorities, walk).
   * The thresholds are a factor of 3 or more apart, so one change does not provoke the opposite
   * one; with many priorities they can, and growing pauses between narrowing and widening again
   * bound the cost.
   */
  private void adapt() {
    long opened = bucketsOpened;
    long distinct = distinctTimesOpened * DISTINCT_SAMPLE;
    boolean mostlySorted = 2L * bucketsOpenedAsLists < opened;
    boolean mostlyLists = 8L * bucketsOpenedAsLists >= 7 * opened;
    // buckets of up to 2^SUB_SHIFT_MAX ps are opened as lists; without walks (one list per
    // priority) when 2^(shift + priority bits) lists are enough. Narrower buckets that can be
    // opened into lists beat sorting long runs (but not short ones: more openings), and
    // narrower buckets without walks beat frequent walks (dense buckets with mixed priorities)
    boolean fewTies = 4 * (eventsSampled - distinctTimesOpened) < eventsSampled;
    boolean listsIfWider = mostlyLists && shift < SUB_SHIFT_MAX
        && (shift + 1 + priorityBitsSeen <= SUB_SHIFT_MAX
            || (fewTies && rankedWideningPause == 0));
    boolean listsIfNarrower = mostlySorted && eventsOpened > RANK_SORT_MAX * opened
        && shift > SUB_SHIFT_MAX;
    boolean walksFrequent = 12 * listWalks > eventsOpened;
    boolean noWalksIfNarrower = walksFrequent && shift - 1 + priorityBitsSeen <= SUB_SHIFT_MAX;
    // whether one step wider keeps sorting cheap: few times per bucket, or no sorting at all
    boolean widerIsCheap = 4 * distinct < DISTINCT_TIMES_HIGH * opened || listsIfWider;
    int newShift = shift;
    int newRing = ringSize;
    if (rankedWideningPause > 0) {
      rankedWideningPause--;
    }
    if (walksFrequent) {
      listWalksFrequent = true;
    } else if (fewTies && rankedWideningPause == 0) {
      listWalksFrequent = false;
    }
    if ((listsIfNarrower || noWalksIfNarrower
        || (mostlySorted && distinct > DISTINCT_TIMES_HIGH * opened)) && shift > MIN_SHIFT) {
      newShift = shift - 1;
      if (noWalksIfNarrower) {
        rankedWideningPause = rankedWideningPauseLength;
        rankedWideningPauseLength = Math.min(2 * rankedWideningPauseLength, 1 << 10);
      }
    } else if (farInserts * 8 > nextSeq - seqAtAdapt) {
      if (eventsOpened < 2 * opened && widerIsCheap && shift < MAX_SHIFT) {
        newShift = shift + 1;
      } else if (ringSize < MAX_RING) {
        newRing = ringSize * 2;
      } else if (shift < MAX_SHIFT && widerIsCheap) {
        newShift = shift + 1;
      }
    } else if (listsIfWider) {
      newShift = shift + 1; // fewer openings, and the lists need no sorting
    } else if (emptyBucketsSkipped > EMPTY_SKIPS_HIGH * opened && widerIsCheap
        && shift < MAX_SHIFT) {
      newShift = shift + 1;
    }
    if (newShift != shift || newRing != ringSize) {
      rebuild(newShift, newRing);
    }
    bucketsOpened = 0;
    bucketsOpenedAsLists = 0;
    eventsOpened = 0;
    priorityBitsSeen = 0;
    listWalks = 0;
    distinctTimesOpened = 0;
    eventsSampled = 0;
    emptyBucketsSkipped = 0;
    seqAtAdapt = nextSeq;
    farInserts = 0;
  }

  /**
   * Re-distributes the ring and far heap over new buckets, in (time, key) order as {@link #open}
   * requires: everything goes through the heap first. Called only when the current bucket (run
   * and per-picosecond lists) is used up.
   */
  private void rebuild(int newShift, int newRing) {
    for (int b = 0; b < ringSize; b++) {
      for (int s = bucketHead[b]; s != NONE; s = slotNext[s]) {
        heapAdd(s, slotData[s * STRIDE + TIME], slotData[s * STRIDE + KEY]);
      }
    }
    int n = heapSize;
    int[] ordered = new int[n];
    for (int i = 0; i < n; i++) {
      ordered[i] = heapSlot[0];
      heapRemoveTop();
    }
    shift = newShift;
    ringSize = newRing;
    bucketHead = new int[ringSize];
    Arrays.fill(bucketHead, NONE);
    bucketNonEmpty = new long[ringSize >>> 6];
    ringCount = 0;
    // every pending event goes into the ring or beyond it; with none, any start will do
    cur = n == 0 ? -1 : (slotData[ordered[0] * STRIDE + TIME] >> shift) - 1;
    for (int s : ordered) {
      place(s, slotData[s * STRIDE + TIME], slotData[s * STRIDE + KEY]);
    }
    resizes++;
  }

  /** Number of buckets opened into per-picosecond lists rather than sorted (for tests). */
  long listOpenings() {
    return listOpenings;
  }

  /** Number of buckets opened into one list per picosecond for all priorities (for tests). */
  long rankedListOpenings() {
    return rankedListOpenings;
  }

  /** Number of events that walked a per-picosecond list to their place (for tests). */
  long walkedInserts() {
    return walkedInserts;
  }

  /** Number of buckets in the ring (for tests). */
  int ringSize() {
    return ringSize;
  }

  /** Width of a bucket in ps (for tests). */
  long bucketWidth() {
    return 1L << shift;
  }

  /** Number of times the buckets or the ring were re-sized (for tests and tuning). */
  int resizes() {
    return resizes;
  }

  /**
   * Renumbers the insertion counters of the pending events 0, 1, 2... in their current order, so
   * that the counter can go on without wrapping. The order of every structure is preserved.
   */
  private void renumber() {
    int[] pending = new int[size()];
    int count = 0;
    for (int i = runStart; i < runEnd; i++) {
      pending[count++] = run[i];
    }
    for (long m = subMask; m != 0; m &= m - 1) {
      for (int s = subHead[Long.numberOfTrailingZeros(m)]; s != NONE; s = slotNext[s]) {
        pending[count++] = s;
      }
    }
    for (int b = 0; b < ringSize; b++) {
      for (int s = bucketHead[b]; s != NONE; s = slotNext[s]) {
        pending[count++] = s;
      }
    }
    for (int i = 0; i < heapSize; i++) {
      pending[count++] = heapSlot[i];
    }
    long[] seqs = new long[count];
    for (int i = 0; i < count; i++) {
      seqs[i] = slotData[pending[i] * STRIDE + KEY] & (SEQ_LIMIT - 1);
    }
    Arrays.sort(seqs);
    for (int s : pending) {
      slotData[s * STRIDE + KEY] = renumbered(slotData[s * STRIDE + KEY], seqs);
    }
    for (int i = 0; i < heapSize; i++) {
      heapKey[i] = renumbered(heapKey[i], seqs);
    }
    seqAtAdapt = count - (nextSeq - seqAtAdapt); // keeps the count of insertions since adapt()
    nextSeq = count;
  }

  private static long renumbered(long key, long[] sortedSeqs) {
    long seq = key & (SEQ_LIMIT - 1);
    return (key - seq) | Arrays.binarySearch(sortedSeqs, seq);
  }

  private void heapAdd(int s, long time, long key) {
    if (heapSize == heapTime.length) {
      int cap = heapSize * 2;
      heapTime = Arrays.copyOf(heapTime, cap);
      heapKey = Arrays.copyOf(heapKey, cap);
      heapSlot = Arrays.copyOf(heapSlot, cap);
    }
    int i = heapSize++;
    while (i > 0) {
      int parent = (i - 1) >>> 2;
      long pt = heapTime[parent];
      if (pt < time || (pt == time && heapKey[parent] < key)) {
        break;
      }
      heapTime[i] = pt;
      heapKey[i] = heapKey[parent];
      heapSlot[i] = heapSlot[parent];
      i = parent;
    }
    heapTime[i] = time;
    heapKey[i] = key;
    heapSlot[i] = s;
  }

  private void heapRemoveTop() {
    int last = --heapSize;
    long t = heapTime[last];
    long k = heapKey[last];
    int s = heapSlot[last];
    int i = 0;
    while (true) {
      int first = (i << 2) + 1;
      if (first >= last) {
        break;
      }
      int best = first;
      long bt = heapTime[first];
      long bk = heapKey[first];
      int end = Math.min(first + 4, last);
      for (int c = first + 1; c < end; c++) {
        long ct = heapTime[c];
        if (ct < bt || (ct == bt && heapKey[c] < bk)) {
          best = c;
          bt = ct;
          bk = heapKey[c];
        }
      }
      if (t < bt || (t == bt && k < bk)) {
        break;
      }
      heapTime[i] = bt;
      heapKey[i] = bk;
      heapSlot[i] = heapSlot[best];
      i = best;
    }
    heapTime[i] = t;
    heapKey[i] = k;
    heapSlot[i] = s;
  }

  private void growSlots(int cap) {
    int old = slotHandler.length;
    slotData = Arrays.copyOf(slotData, cap * STRIDE);
    slotHandler = Arrays.copyOf(slotHandler, cap);
    slotNext = Arrays.copyOf(slotNext, cap);
    chainFree(old, cap);
  }

  /** Puts slots [from, to) on the free list so that the lowest is handed out first. */
  private void chainFree(int from, int to) {
    for (int s = to - 1; s >= from; s--) {
      slotNext[s] = freeSlot;
      freeSlot = s;
    }
  }

  /** Drops every pending event. */
  public void clear() {
    Arrays.fill(slotHandler, null);
    freeSlot = NONE;
    chainFree(0, slotHandler.length);
    Arrays.fill(bucketHead, NONE);
    Arrays.fill(bucketNonEmpty, 0);
    ringCount = 0;
    runStart = 0;
    runEnd = 0;
    Arrays.fill(subHead, NONE);
    subMask = 0;
    subCount = 0;
    heapSize = 0;
  }
}
