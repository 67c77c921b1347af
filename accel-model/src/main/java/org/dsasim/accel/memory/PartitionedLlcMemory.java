package org.dsasim.accel.memory;

import org.dsasim.accel.config.AccelKeys;
import org.dsasim.core.config.Config;
import org.dsasim.mem.llc.LlcScheme;
import org.dsasim.mem.reservation.KvLayout;
import org.dsasim.accel.kernel.TrafficClass;
import org.dsasim.accel.replay.LaunchState;
import org.dsasim.accel.timeline.ActivityObserver;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Messages;

/**
 * The fast memory side: an LLC split into partitions in front of {@link HbmChannels}, timed by
 * timestamps (one event per request: its response).
 *
 * <p>As on Hopper, every line has a home partition (by a hash of its
 * {@code fastmem.llc.partition_interleave} granule, so the lines of a KV entry share a partition)
 * and every compute unit a near one. Without replication a line is cached in its home partition;
 * a miss fetches the needed sectors (rounded up to the fetch granularity) from HBM.
 *
 * <p>With {@code fastmem.llc.replicate_near} each partition caches the lines its own units read
 * (a line read from both sides takes space in both; a miss in the near partition goes to HBM, a
 * simplification of fetching it from the far copy): data read from both sides takes the capacity
 * of both, as measured (gathers whose footprint exceeds one partition's capacity miss). A hit
 * costs the near latency if the line is homed in the requester's partition and the far latency
 * otherwise: gathers spread over all units measured the average of the two, not the near latency
 * of a single unit re-reading its own lines (the single-thread latency ladder, which this model
 * does not reproduce below 24 MiB). Lines being filled merge later requests (they
 * complete when the fill does). Each partition's data port has a bandwidth.
 *
 * <p>An optional persisting set-aside with an address window (as CUDA's access-policy window)
 * keeps a hash-chosen fraction {@code hitRatio} of the window's lines as persisting, in at most the
 * set-aside's share of ways; the rest of the window is inserted as streaming (next victim). While
 * a set-aside is configured the HBM bandwidth is scaled down by the measured penalty.
 *
 * <p>Writes allocate in the home partition without a fetch, mark their sectors dirty and drop
 * stale copies; dirty victims are written back over the HBM bus.
 */
public final class PartitionedLlcMemory extends MemorySystem {
  private static final int LINE_SHIFT = 7;
  private static final int LINE = 1 << LINE_SHIFT;
  private static final int SECTOR = 32;

  private final int partitions;
  private final Remainder partitionOfHash;
  private final LineCache[] parts;
  private final HbmChannels hbm;
  private ActivityObserver activity;
  private final long nearHitPs;
  private final long farHitPs;
  private final double portPsPerByte;
  private final double[] portFree;
  private final int fetchSectors;
  private final boolean replicate;
  private final int partitionShift; // lines per partition-interleave granule, as a shift

  // the KV reservation, or null for none
  private final KvReservation reservation;
  private final long reservedBytes;
  private final Config config; // for errors about the reservation, found when its layout is set
  private KvLayout kv;
  // the layout's fields, read on every gather
  private long kvBase;
  private long kvBytes;
  private int entryBytes;
  /**
   * Bytes fetched from each channel-interleave granule an entry touches, by the entry's start
   * within one period of the granule and line pattern (memoised, 0: not yet computed) when
   * {@link #granuleTableByPhase}; otherwise one row, rewritten for each entry.
   */
  private int[] granuleTable;
  private boolean granuleTableByPhase;
  private long fetchPeriod;
  private int maxGranules;

  /** Tags of whole KV entries in the line caches (above every real line address). */
  private static final long ENTRY_TAG = 1L << 50;

  /** Reads at least this large are bulk streams (weights, index keys): see {@link #onRead}. */
  public static final int BULK_BYTES = 2048;

  // persisting window (CUDA access-policy window); windowBytes == 0: none
  private long windowBase;
  private long windowBytes;
  private double hitRatio;
  private int persistWays;

  private final MemoryStats stats = new MemoryStats();
  private final GatherLists lists = new GatherLists();
  private final String description;

  /**
   * @param setAsideBytes persisting set-aside (0 for none); with a window set by
   *     {@link #setPersistingWindow}
   */
  public PartitionedLlcMemory(Simulator sim, String name, Messages messages, int units,
      Config s, long setAsideBytes) {
    this(sim, name, messages, units, s, setAsideBytes, 0, 1);
  }

  /**
   * @param reservedBytes LLC capacity given to a token-granular LRU reservation of KV entries
   *     (taken from the shared part; 0 for none); its KV layout is set by {@link #setKvLayout}
   * @param entryBytes bytes of one KV entry (how many entries the reservation holds)
   */
  public PartitionedLlcMemory(Simulator sim, String name, Messages messages, int units,
      Config c, long setAsideBytes, long reservedBytes, int entryBytes) {
    super(sim, name, messages, units);
    partitions = c.get(AccelKeys.LLC_PARTITIONS);
    partitionOfHash = new Remainder(partitions);
    long capacity = c.get(AccelKeys.LLC_CAPACITY);
    int ways = c.get(AccelKeys.LLC_WAYS);
    if (capacity < (long) LINE * ways * partitions) {
      throw c.inconsistent("the LLC needs room for at least one set per partition",
          AccelKeys.LLC_CAPACITY, AccelKeys.LLC_WAYS, AccelKeys.LLC_PARTITIONS);
    }
    long setAsideMax = c.get(AccelKeys.LLC_SET_ASIDE_MAX);
    if (setAsideBytes < 0 || setAsideBytes > setAsideMax) {
      throw new org.dsasim.core.UserInputException(
          "persisting set-aside of " + setAsideBytes + " B exceeds fastmem.llc.set_aside_max ("
              + setAsideMax + " B)");
    }
    if (reservedBytes < 0 || reservedBytes >= capacity) {
      throw new org.dsasim.core.UserInputException("KV reservation of " + reservedBytes
          + " B must be at least 0 and smaller than llc.capacity (" + capacity + " B)");
    }
    this.reservedBytes = reservedBytes;
    // the kind means what it means in the LLC model (its layout is needed only for a window)
    this.reservation = reservedBytes == 0 ? null : new KvReservation(
        LlcScheme.named(c.get(AccelKeys.LLC_RESERVATION_KIND), reservedBytes, null).reservation()
            .withSharing(c.get(AccelKeys.LLC_RESERVATION_SHARING))
            .withAdmission(c.get(AccelKeys.LLC_RESERVATION_ADMISSION))
            .withGhostUnits(c.get(AccelKeys.LLC_RESERVATION_GHOST)), entryBytes);
    this.config = c;
    parts = new LineCache[partitions];
    for (int p = 0; p < partitions; p++) {
      parts[p] = new LineCache((capacity - reservedBytes) / partitions / LINE, ways,
          this::writeBack);
    }
    persistWays = (int) Math.round((double) ways * setAsideBytes / capacity);
    double penalty = setAsideBytes > 0 ? c.get(AccelKeys.LLC_SET_ASIDE_PENALTY) : 0;
    hbm = new HbmChannels(c, 1 - penalty);
    nearHitPs = AccelKeys.ps(c, AccelKeys.LLC_NEAR);
    farHitPs = AccelKeys.ps(c, AccelKeys.LLC_FAR);
    portPsPerByte = 1e12 / (c.get(AccelKeys.LLC_BANDWIDTH) / partitions);
    portFree = new double[partitions];
    fetchSectors = (int) (c.get(AccelKeys.LLC_FETCH) / SECTOR);
    replicate = c.get(AccelKeys.LLC_REPLICATE);
    long granule = c.get(AccelKeys.LLC_PARTITION_INTERLEAVE);
    if (Long.bitCount(granule) != 1) {
      throw c.inconsistent("the partition interleave must be a power of two",
          AccelKeys.LLC_PARTITION_INTERLEAVE);
    }
    partitionShift = Long.numberOfTrailingZeros(granule / LINE);
    stats.hbmChannels = hbm.channels;
    description = String.format(java.util.Locale.ROOT,
        "LLC %s in %d partitions (%d-way), near %.0f ns, far %.0f ns; HBM %d channels, %.0f ns"
            + "%s",
        org.dsasim.core.config.Units.formatBytes(capacity), partitions, ways, nearHitPs / 1e3,
        farHitPs / 1e3, hbm.channels, hbm.loadToUsePs / 1e3,
        setAsideBytes > 0 ? ", set-aside " + org.dsasim.core.config.Units.formatBytes(setAsideBytes)
            : "")
        + (reservedBytes > 0 ? ", KV reservation " + org.dsasim.core.config.Units.formatBytes(
            reservedBytes) + " (" + c.get(AccelKeys.LLC_RESERVATION_KIND) + ", "
            + c.get(AccelKeys.LLC_RESERVATION_SHARING)
            + ", admission " + c.get(AccelKeys.LLC_RESERVATION_ADMISSION) + ")" : "");
  }

  /**
   * Marks accesses to {@code [base, base + bytes)} as persisting with probability
   * {@code hitRatio} per line (the others streaming), as an access-policy window does.
   */
  public void setPersistingWindow(long base, long bytes, double hitRatio) {
    this.windowBase = base;
    this.windowBytes = bytes;
    this.hitRatio = hitRatio;
  }

  /** Blocks are spread over all GPCs, so consecutive units alternate between partitions. */
  /** The KV buffer whose entries the reservation keeps (required when one is configured). */
  public void setKvLayout(KvLayout layout) {
    this.kv = layout;
    try {
      if (reservation != null) {
        reservation.bind(layout);
      }
    } catch (IllegalArgumentException e) {
      throw config.inconsistent(e.getMessage(), AccelKeys.LLC_RESERVATION,
          AccelKeys.LLC_RESERVATION_KIND, AccelKeys.LLC_RESERVATION_SHARING);
    }
    kvBase = layout.base();
    kvBytes = layout.totalBytes();
    entryBytes = layout.entryBytes();
    long granule = hbm.interleaveBytes();
    fetchPeriod = Math.max(granule, LINE);
    maxGranules = (int) ((entryBytes + granule - 1) / granule + 1);
    long cells = fetchPeriod * maxGranules;
    granuleTableByPhase = cells <= MAX_MEMO_CELLS;
    granuleTable = new int[granuleTableByPhase ? (int) cells : maxGranules];
  }

  @Override
  public void endDecodeStep() {
    if (reservation != null) {
      reservation.endStep();
    }
  }

  /** Largest {@link #granuleTable} of phases kept (4 MiB). */
  private static final int MAX_MEMO_CELLS = 1 << 20;

  private int nearPartition(int unit) {
    return unit % partitions;
  }

  private int homePartition(long line) {
    long h = LineCache.mix((line >>> partitionShift) * 0x9E3779B97F4A7C15L);
    return (int) partitionOfHash.of(h);
  }

  /**
   * A read: a bulk stream, a gather list, a KV gather the reservation serves, or line by line
   * through the shared LLC.
   *
   * <p>Bulk reads (at least {@link #BULK_BYTES}) are sequential streams read once per step
   * (weights, index keys, ever larger than the LLC): they are not looked up, their bytes are
   * spread over all HBM channels, and their lines are streamed into the LLC sets they pass
   * through (evicting what is there, lazily, see {@link LineCache#stream}). A gather list is
   * answered once, when its slowest entry is ready.
   */
  @Override
  protected void onRead(int unit, int m) {
    if (isBulk(m)) {
      readBulk(unit, m);
      respond(m, outLevel, outUnloaded, outReady);
      return;
    }
    long addr = messages.addr(m);
    int bytes = messages.bytes(m);
    int cls = messages.trafficClass(m);
    long now = sim.now();
    int near = nearPartition(unit);
    stats.readBytes += bytes;
    if ((cls & TrafficClass.LIST) != 0) {
      int id = (int) addr;
      int n = lists.count(id);
      int each = bytes / n;
      long ready = now;
      long unloaded = 0;
      byte worst = ServedBy.LLC_NEAR;
      if (n > 1 && TrafficClass.base(cls) == TrafficClass.KV_GATHER && kv != null
          && !reservationServesGathers()) {
        loadEntrySets(id, n, near);
      }
      for (int i = 0; i < n; i++) {
        gatherOne(lists.addr(id, i), each, TrafficClass.base(cls), near, now);
        ready = Math.max(ready, outReady);
        unloaded = Math.max(unloaded, outUnloaded);
        worst = (byte) Math.max(worst, outLevel);
      }
      stats.readRequests += n;
      respond(m, worst, unloaded, ready);
      return;
    }
    stats.readRequests++;
    gatherOne(addr, bytes, cls, near, now);
    respond(m, outLevel, outUnloaded, outReady);
  }

  /** What {@link #loadEntrySets} read, kept so that the compiler does not drop the reads. */
  private long loadedSetWords;

  /**
   * Reads the LLC set of each entry of gather list {@code id} before the first entry is served,
   * changing nothing. The sets of a large LLC are far apart in the simulator's memory and seldom
   * in the host's caches, so each lookup would wait for its set's cache miss in turn; read
   * together, the misses overlap (about 6 % of a default-study run without a reservation, see
   * BENCHMARKS.md).
   */
  private void loadEntrySets(int id, int n, int near) {
    long words = 0;
    for (int i = 0; i < n; i++) {
      long entry = kvEntryAt(lists.addr(id, i));
      if (entry >= 0) {
        words += parts[replicate ? near : entryHome(entry)].loadSet(ENTRY_TAG | entry);
      }
    }
    loadedSetWords += words;
  }

  /** Whether KV gathers go to the reservation (one that holds at least one unit), not the LLC. */
  private boolean reservationServesGathers() {
    return reservation != null && reservation.capacity() > 0;
  }

  /** The KV entry that holds {@code addr}, or -1 outside the KV buffer (or without one). */
  private long kvEntryAt(long addr) {
    long offset = addr - kvBase;
    return kv != null && offset >= 0 && offset < kvBytes ? offset / entryBytes : -1;
  }

  /** Where KV entry {@code entry} starts. */
  private long entryBase(long entry) {
    return kvBase + entry * entryBytes;
  }

  /** The home partition of KV entry {@code entry}: that of its first line. */
  private int entryHome(long entry) {
    return homePartition(entryBase(entry) >>> LINE_SHIFT);
  }

  // outcome of gatherOne, readBulk and their helpers (fields, to stay allocation-free)
  private long outReady;
  private long outUnloaded;
  private byte outLevel;

  /** Serves one read of {@code bytes} at {@code addr}, leaving its outcome in the out fields. */
  private void gatherOne(long addr, int bytes, int cls, int near, long now) {
    long entry = cls == TrafficClass.KV_GATHER ? kvEntryAt(addr) : -1;
    if (entry >= 0) {
      if (reservationServesGathers()) {
        readReserved(entry, bytes, near, now);
        return;
      }
      if (bytes == entryBytes && entryBase(entry) == addr) {
        readEntry(entry, near, now);
        return;
      }
    }
    long ready = now;
    long unloaded = 0;
    byte worst = ServedBy.LLC_NEAR;
    long first = addr >>> LINE_SHIFT;
    long last = (addr + bytes - 1) >>> LINE_SHIFT;
    for (long line = first; line <= last; line++) {
      long lo = Math.max(addr, line << LINE_SHIFT);
      long hi = Math.min(addr + bytes, (line + 1) << LINE_SHIFT);
      int mask = sectorMask(lo, hi);
      readLine(line, mask, near, now);
      ready = Math.max(ready, lineReady);
      unloaded = Math.max(unloaded, lineUnloaded);
      if (lineLevel > worst) {
        worst = lineLevel;
      }
      stats.bytesByLevel[lineLevel] += hi - lo;
    }
    outReady = ready;
    outUnloaded = unloaded;
    outLevel = worst;
  }

  /**
   * A whole KV entry gathered at once (the decode kernels' requests): its lines were fetched
   * together and age together, so the entry is looked up as one tag (in its home granule's
   * partition, or the near one with replication) and, when it is filled, its other lines take
   * their capacity as lines that are never looked up (see {@link LineCache#stream}). One lookup
   * per entry instead of one per line; HBM is still timed line by line.
   */
  private void readEntry(long entry, int near, long now) {
    int bytes = entryBytes;
    long entryBase = entryBase(entry);
    long first = entryBase >>> LINE_SHIFT;
    long last = (entryBase + bytes - 1) >>> LINE_SHIFT;
    int lines = (int) (last - first + 1);
    int home = entryHome(entry);
    int owner = replicate ? near : home;
    LineCache cache = parts[owner];
    long tag = ENTRY_TAG | entry;
    stats.sharedLookups += lines;
    int w = cache.find(tag);
    if (w >= 0) {
      cache.touch(w);
      stats.sharedHits += lines;
      lookup(owner, true, bytes, now);
      long lat = home == near ? nearHitPs : farHitPs;
      byte level = home == near ? ServedBy.LLC_NEAR : ServedBy.LLC_FAR;
      served(level, Math.max(now + lat, cache.readyAt(w)), lat, owner, 0xf, now);
      stats.bytesByLevel[level] += bytes;
      outcome(level, lat, lineReady + (long) ((bytes - LINE) * portPsPerByte));
      return;
    }
    lookup(owner, false, bytes, now);
    long ready = fetchEntry(entryBase, now);
    install(cache, -1, tag, 0xf, ready);
    cache.stream(lines - 1);
    stats.bytesByLevel[ServedBy.HBM] += bytes;
    outcome(ServedBy.HBM, hbm.unloadedRead(bytes), ready);
  }

  /**
   * Reads a whole KV entry from HBM, one access per channel-interleave granule it touches (the
   * sectors it needs there, rounded to the fetch granularity); returns when the last is back.
   */
  private long fetchEntry(long entryBase, long now) {
    return transferEntry(entryBase, now, false);
  }

  /** {@link #fetchEntry}, or the write of a whole entry ({@code write}). */
  private long transferEntry(long entryBase, long now, boolean write) {
    int from = granuleBytes(entryBase);
    long done = hbm.transfer(entryBase, entryBase + entryBytes, granuleTable, from,
        now + hbm.requestPathPs, write);
    return Math.max(now, done + hbm.returnPathPs);
  }

  /**
   * Bytes the entry at {@code entryBase} fetches from each granule it touches: the sectors it
   * needs in each line there, rounded to the fetch granularity; returns where they start in
   * {@link #granuleTable}. The answer depends only on where the entry starts within one period of
   * the granule and line pattern, so it is computed once per such phase when the table of phases
   * is small enough, and every time into one row otherwise.
   */
  private int granuleBytes(long entryBase) {
    int from = granuleTableByPhase ? (int) (entryBase & (fetchPeriod - 1)) * maxGranules : 0;
    if (granuleTableByPhase && granuleTable[from] != 0) {
      return from;
    }
    long granule = hbm.interleaveBytes();
    long end = entryBase + entryBytes;
    int k = from;
    for (long g = entryBase & -granule; g < end; g += granule, k++) {
      long gEnd = Math.min(end, g + granule);
      int bytes = 0;
      for (long line = Math.max(entryBase, g) >>> LINE_SHIFT; line <= (gEnd - 1) >>> LINE_SHIFT;
          line++) {
        long lo = Math.max(entryBase, line << LINE_SHIFT);
        long hi = Math.min(end, (line + 1) << LINE_SHIFT);
        bytes += Integer.bitCount(expand(sectorMask(lo, hi))) * SECTOR;
      }
      granuleTable[k] = bytes;
    }
    return from;
  }

  private void outcome(byte level, long unloaded, long ready) {
    outLevel = level;
    outUnloaded = unloaded;
    outReady = ready;
  }

  /**
   * A bulk read is answered when its turn on the bulk queue ends, which requests issued after it
   * cannot change: it is served at issue (one event, its completion at the unit).
   */
  @Override
  public long readAtIssue(int unit, int m) {
    if (!isBulk(m)) {
      return -1;
    }
    readBulk(unit, m);
    return answeredAtIssue(m, outLevel, outUnloaded, outReady);
  }

  /** Whether read {@code m} is a bulk read. */
  private boolean isBulk(int m) {
    return isBulk(messages.bytes(m), messages.trafficClass(m));
  }

  /** Whether a read of {@code bytes} is a bulk read: at least {@link #BULK_BYTES}, not a list. */
  private static boolean isBulk(int bytes, int trafficClass) {
    return bytes >= BULK_BYTES && (trafficClass & TrafficClass.LIST) == 0;
  }

  /**
   * Counts and times bulk read {@code m} of {@code unit}; its level, unloaded latency and when its
   * data is at the unit's side are left in outLevel, outUnloaded and outReady.
   */
  private void readBulk(int unit, int m) {
    int bytes = messages.bytes(m);
    int near = nearPartition(unit);
    stats.readBytes += bytes;
    stats.readRequests++;
    long done = hbm.bulk(bytes, sim.now() + hbm.requestPathPs, false);
    long lines = (bytes + LINE - 1) / LINE;
    for (int p = 0; p < partitions; p++) {
      double share = (double) lines / partitions;
      parts[p].stream(replicate && p == near ? share + lines - share : share);
    }
    stats.bytesByLevel[ServedBy.HBM] += bytes;
    // the data goes into the unit's shared memory as the copy proceeds, not as one message
    // serialised on its port after the whole chunk has arrived
    messages.setBytes(m, LINE);
    outLevel = ServedBy.HBM;
    outUnloaded = hbm.unloadedRead(bytes);
    outReady = done + hbm.returnPathPs;
  }

  /**
   * A KV gather within one token entry: served by the reservation if it holds the entry (the
   * near or far latency by the entry's home partition), else the whole entry is fetched from HBM
   * (the reservation's unit is a token entry or a page, never a line) and offered to the
   * reservation, which admits it or not by its policies ({@link KvReservation}).
   */
  private void readReserved(long entry, int bytes, int near, long now) {
    long key = entry; // the entry's index in the KV buffer identifies it
    long entryBase = entryBase(entry);
    stats.reservedLookups++;
    int node = reservation.find(key);
    int home = entryHome(entry);
    long lat = home == near ? nearHitPs : farHitPs;
    if (node >= 0) {
      stats.reservedHits++;
      lookup(home, true, bytes, now);
      reservation.touch(node);
      stats.bytesByLevel[ServedBy.LLC_RESERVED] += bytes;
      outcome(ServedBy.LLC_RESERVED, lat, Math.max(now + lat, reservation.readyAt(node)));
      return;
    }
    lookup(home, false, bytes, now);
    long ready = fetchEntry(entryBase, now);
    reservation.offer(key, ready);
    stats.bytesByLevel[ServedBy.HBM] += bytes;
    outcome(ServedBy.HBM, hbm.unloadedRead(entryBytes), ready);
  }

  // results of readLine (fields, to stay allocation-free)
  private long lineReady;
  private long lineUnloaded;
  private byte lineLevel;

  private static int sectorMask(long lo, long hi) {
    int s0 = (int) ((lo & (LINE - 1)) / SECTOR);
    int s1 = (int) (((hi - 1) & (LINE - 1)) / SECTOR);
    return ((1 << (s1 + 1)) - 1) & ~((1 << s0) - 1);
  }

  /**
   * One line of a read. With replication each partition caches what its own units read (lines
   * read from both sides take space in both); without, a line lives in its home partition. Either
   * way one partition is looked up, and a hit costs the near or far latency by the line's home.
   */
  private void readLine(long line, int mask, int near, long now) {
    stats.sharedLookups++;
    int home = homePartition(line);
    int owner = replicate ? near : home;
    LineCache cache = parts[owner];
    int w = cache.find(line);
    if (w >= 0 && (cache.valid(w) & mask) == mask) {
      cache.touch(w);
      stats.sharedHits++;
      lookup(owner, true, Integer.bitCount(mask) * SECTOR, now);
      long lat = home == near ? nearHitPs : farHitPs;
      served(home == near ? ServedBy.LLC_NEAR : ServedBy.LLC_FAR,
          Math.max(now + lat, cache.readyAt(w)), lat, owner, mask, now);
      return;
    }
    lookup(owner, false, Integer.bitCount(mask) * SECTOR, now);
    int have = w >= 0 ? cache.valid(w) : 0;
    int fetch = expand(mask & ~have);
    long done = hbm.access(line << LINE_SHIFT, Integer.bitCount(fetch) * SECTOR,
        now + hbm.requestPathPs, false);
    long t = done + hbm.returnPathPs;
    if (w >= 0) {
      t = Math.max(t, cache.readyAt(w));
    }
    served(ServedBy.HBM, t, hbm.unloadedRead(Integer.bitCount(fetch) * SECTOR), owner, mask, now);
    install(cache, w, line, have | fetch, lineReady);
  }

  /** Records the line's outcome, adding the serving partition port's queueing. */
  private void served(byte level, long t, long unloadedPs, int partition, int mask, long now) {
    double bytes = Integer.bitCount(mask) * SECTOR;
    double start = Math.max(now, portFree[partition]);
    portFree[partition] = start + bytes * portPsPerByte;
    long portWait = (long) (start - now);
    lineReady = t + portWait;
    lineUnloaded = unloadedPs;
    lineLevel = level;
  }

  /** Rounds a sector mask up to the fetch granularity (aligned groups of sectors). */
  private int expand(int mask) {
    int out = 0;
    for (int g = 0; g < 4; g += fetchSectors) {
      int group = ((1 << fetchSectors) - 1) << g;
      if ((mask & group) != 0) {
        out |= group;
      }
    }
    return out;
  }

  /**
   * Puts {@code line} with sectors {@code valid} ready at {@code ready} into {@code cache} (way
   * {@code way} if present, else a new way).
   */
  private void install(LineCache cache, int way, long line, int valid, long ready) {
    int w = way;
    if (w < 0) {
      boolean inWindow = windowBytes > 0 && (line << LINE_SHIFT) - windowBase >= 0
          && (line << LINE_SHIFT) - windowBase < windowBytes;
      boolean persisting = inWindow && persistWays > 0 && persisting(line);
      w = cache.allocate(line, persisting, persistWays, inWindow && !persisting);
      if (w < 0) {
        return;
      }
    } else {
      cache.touch(w);
    }
    cache.addValid(w, valid);
    cache.setReadyAt(w, Math.max(cache.readyAt(w), ready));
  }

  private boolean persisting(long line) {
    return (LineCache.mix(line ^ 0x5bd1e995L) % 1_000_000) < hitRatio * 1_000_000;
  }

  /** Writes back an evicted line's dirty sectors, or a whole dirty KV entry. */
  private void writeBack(long line, int dirtySectors) {
    if (line >= ENTRY_TAG) {
      transferEntry(entryBase(line - ENTRY_TAG), sim.now(), true);
    } else {
      hbm.access(line << LINE_SHIFT, Integer.bitCount(dirtySectors) * SECTOR,
          sim.now() + hbm.requestPathPs, true);
    }
  }

  @Override
  protected void onWrite(int unit, int m) {
    long addr = messages.addr(m);
    int bytes = messages.bytes(m);
    long now = sim.now();
    stats.writeRequests++;
    stats.writeBytes += bytes;
    long entry = TrafficClass.base(messages.trafficClass(m)) == TrafficClass.KV_APPEND
        ? kvEntryAt(addr) : -1;
    if (entry >= 0 && bytes == entryBytes && entryBase(entry) == addr) {
      writeEntry(unit, entry, now);
      return;
    }
    for (long line = addr >>> LINE_SHIFT; line <= (addr + bytes - 1) >>> LINE_SHIFT; line++) {
      long lo = Math.max(addr, line << LINE_SHIFT);
      long hi = Math.min(addr + bytes, (line + 1) << LINE_SHIFT);
      int mask = sectorMask(lo, hi);
      int home = replicate ? nearPartition(unit) : homePartition(line);
      if (!writeInto(home, line, mask, 0, now)) {
        hbm.access(line << LINE_SHIFT, Integer.bitCount(mask) * SECTOR, now, true);
      }
    }
  }

  /**
   * Writes {@code sectors} of {@code tag} into partition {@code owner} without a fetch: into the
   * way that holds it, or a new way (whose {@code streamedLines} other lines then take their
   * capacity as streamed lines); marks them dirty and drops the other partitions' copies. False
   * when no way may take it: the caller writes through.
   */
  private boolean writeInto(int owner, long tag, int sectors, int streamedLines, long now) {
    LineCache cache = parts[owner];
    int w = cache.find(tag);
    if (w < 0) {
      w = cache.allocate(tag, false, persistWays, false);
      if (w < 0) {
        return false;
      }
      cache.setReadyAt(w, now);
      if (streamedLines > 0) {
        cache.stream(streamedLines);
      }
    } else {
      cache.touch(w);
    }
    cache.addDirty(w, sectors);
    for (int p = 0; p < partitions; p++) {
      if (p != owner) {
        int c = parts[p].find(tag);
        if (c >= 0) {
          parts[p].invalidate(c);
        }
      }
    }
    return true;
  }

  /**
   * An appended KV entry, written whole: it takes one tag as a gathered entry does (so that a
   * gather of it finds it), dirty, and the capacity of its other lines as streamed lines. A copy
   * of it in another partition is invalidated; an entry no way may take is written through.
   */
  private void writeEntry(int unit, long entry, long now) {
    long entryBase = entryBase(entry);
    long first = entryBase >>> LINE_SHIFT;
    int lines = (int) (((entryBase + entryBytes - 1) >>> LINE_SHIFT) - first + 1);
    int owner = replicate ? nearPartition(unit) : homePartition(first);
    if (!writeInto(owner, ENTRY_TAG | entry, 0xf, lines - 1, now)) {
      transferEntry(entryBase, now, true);
    }
  }

  /**
   * Bulk reads are answered at issue from the bulk queue and change only it, the streamed share
   * of each partition and counters; not while an observer watches each transfer.
   */
  @Override
  public boolean replaysReads(int bytes, int trafficClass, long now) {
    return activity == null && isBulk(bytes, trafficClass) && hbm.bulkIdle(now);
  }

  @Override
  public void replayState(LaunchState s) {
    stats.replayState(s);
    hbm.replayBulkState(s);
    for (LineCache part : parts) {
      part.replayState(s);
    }
  }

  @Override
  public void setActivityObserver(ActivityObserver observer) {
    activity = observer;
    hbm.activity = observer;
    if (observer != null) {
      observer.memoryLayout(partitions, hbm.channels);
    }
  }

  private void lookup(int partition, boolean hit, int bytes, long now) {
    if (activity != null) {
      activity.llcLookup(partition, hit, bytes, now);
    }
  }

  @Override
  public GatherLists gatherLists() {
    return lists;
  }

  @Override
  public MemoryStats stats() {
    stats.hbmReadBytes = hbm.readBytes;
    stats.hbmWriteBytes = hbm.writeBytes;
    stats.hbmActivations = hbm.activations;
    stats.hbmBusyPs = (long) hbm.busyPs;
    return stats;
  }

  @Override
  public void resetStats() {
    stats.reset();
    hbm.resetStats();
  }

  @Override
  public String describe() {
    return description;
  }
}
