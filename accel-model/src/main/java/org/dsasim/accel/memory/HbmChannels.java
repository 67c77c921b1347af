package org.dsasim.accel.memory;

import org.dsasim.accel.config.AccelKeys;
import org.dsasim.accel.replay.LaunchState;
import org.dsasim.accel.timeline.ActivityObserver;
import org.dsasim.core.config.Config;

/**
 * A first-order HBM timing model: independent channels, each a data bus (its share of the
 * effective bandwidth) and a row-activation limiter, with open rows per bank. Addresses are
 * interleaved over channels in {@code interleave}-byte chunks by a hash; a channel's row of
 * {@code rowBytes} covers {@code rowBytes * channels} bytes of address space, so a streaming read
 * keeps hitting open rows while random gathers activate a row per access. Timestamps, no event
 * per access: per channel, transfers queue on the bus in arrival order, and an access that misses
 * its bank's open row also waits for the channel's next activation slot, its bank's row cycle and
 * the row-miss latency, without holding up accesses to other banks (as a reordering controller).
 *
 * <p>Random small accesses are limited by the activation rate (about 40 G/s on an H200), large
 * and streaming ones by the bus: the two ceilings of the measured gather roofline.
 *
 * <p>A bank activates at most one row per row cycle (tRC), so random accesses that land on the
 * same bank in a burst queue behind each other.
 *
 * <p>Banks are refreshed one at a time (per-bank refresh): each bank is unavailable for
 * {@code refresh_busy} once every {@code refresh_interval}, the banks of a channel staggered evenly
 * and channels dephased by a hash. An access to a refreshing bank waits for the refresh to end and
 * then activates its row. This costs a few % of average latency but sets the tail: of thousands
 * of dependent chains in a kernel, the slowest has met refreshes.
 */
final class HbmChannels {
  final int channels;
  private final int banks;
  private final Remainder channelOfHash;
  private final Remainder bankOfHash;
  private final int interleaveShift;
  private final long[] refreshOffset; // per channel: where its banks' refresh cycle starts
  private final long[] bankRefreshOffset; // per bank: its stagger within the refresh interval
  private final long rowSpan; // address bytes covered by one row of every channel
  private final double psPerByte; // per channel
  private final double activationIntervalPs; // per channel
  final long rowMissPs;
  final long requestPathPs;
  final long returnPathPs;
  final long loadToUsePs;
  private final long refreshIntervalPs;
  private final long refreshBusyPs;
  private final long rowCyclePs;
  private final double[] busFree;
  private double bulkFree;
  private final double[] bankFree; // earliest next activation of each bank (tRC after the last)
  private final double[] actFree;
  private final long[] openRow;

  // statistics
  long readBytes;
  long writeBytes;
  long activations;
  double busyPs;
  ActivityObserver activity;

  /**
   * @param efficiencyScale multiplies the effective bandwidth (a set-aside penalty; 1 for none)
   */
  HbmChannels(Config c, double efficiencyScale) {
    channels = c.get(AccelKeys.HBM_CHANNELS);
    banks = c.get(AccelKeys.HBM_BANKS);
    long interleave = c.get(AccelKeys.HBM_INTERLEAVE);
    if (Long.bitCount(interleave) != 1) {
      throw c.inconsistent("the channel interleave must be a power of two", AccelKeys.HBM_INTERLEAVE);
    }
    interleaveShift = Long.numberOfTrailingZeros(interleave);
    rowSpan = c.get(AccelKeys.HBM_ROW) * channels;
    double bw = c.get(AccelKeys.HBM_PEAK) * c.get(AccelKeys.HBM_EFFICIENCY) * efficiencyScale;
    psPerByte = 1e12 / (bw / channels);
    activationIntervalPs = 1e12 / (c.get(AccelKeys.HBM_ACTIVATIONS) / channels);
    rowMissPs = c.get(AccelKeys.HBM_ROW_MISS);
    loadToUsePs = c.get(AccelKeys.HBM_LOAD_TO_USE);
    requestPathPs = c.get(AccelKeys.HBM_REQUEST_PATH);
    long fetch = c.get(AccelKeys.LLC_FETCH);
    returnPathPs = loadToUsePs - requestPathPs - rowMissPs - Math.round(fetch * psPerByte);
    if (returnPathPs < 0) {
      throw c.inconsistent("the request path and a row miss take longer than the load-to-use "
          + "latency", AccelKeys.HBM_REQUEST_PATH, AccelKeys.HBM_ROW_MISS, AccelKeys.HBM_LOAD_TO_USE);
    }
    rowCyclePs = c.get(AccelKeys.HBM_ROW_CYCLE);
    refreshIntervalPs = c.get(AccelKeys.HBM_REFRESH_INTERVAL);
    refreshBusyPs = c.get(AccelKeys.HBM_REFRESH_BUSY);
    refreshOffset = new long[channels];
    for (int ch = 0; ch < channels; ch++) {
      refreshOffset[ch] = LineCache.mix(ch) % Math.max(1, refreshIntervalPs);
    }
    channelOfHash = new Remainder(channels);
    bankOfHash = new Remainder(banks);
    bankRefreshOffset = new long[banks];
    for (int b = 0; b < banks; b++) {
      bankRefreshOffset[b] = (b * refreshIntervalPs) / banks;
    }
    busFree = new double[channels];
    actFree = new double[channels];
    openRow = new long[channels * banks];
    bankFree = new double[channels * banks];
    java.util.Arrays.fill(openRow, -1);
  }

  /** Bytes of the granule addresses are interleaved over channels in. */
  long interleaveBytes() {
    return 1L << interleaveShift;
  }

  int channelOf(long addr) {
    return (int) channelOfHash.of(LineCache.mix(addr >>> interleaveShift));
  }

  /**
   * Transfers {@code bytes} at {@code addr} (within one interleave chunk) for a request that
   * reaches the controller at {@code arrive}; returns when its last byte has crossed the bus.
   */
  long access(long addr, int bytes, long arrive, boolean write) {
    oneGranule[0] = bytes;
    return transfer(addr, addr + 1, oneGranule, 0, arrive, write);
  }

  /** The bytes of a single {@link #access}, as a transfer of one granule. */
  private final int[] oneGranule = new int[1];

  /**
   * Transfers the granules of the contiguous range {@code [base, end)}, the {@code i}-th of
   * {@code granuleBytes[from + i]} bytes, for requests that all reach the controller at
   * {@code arrive}; returns when the last of them has crossed the bus. The same as accessing
   * the granules one at a time in address order, with what they share (their row when the range
   * is within one, the arrival's refresh phase) worked out once, and the statistics
   * summed in registers: a KV entry spans 16 granules, and this loop is the largest single cost
   * of a simulation without a reservation.
   */
  long transfer(long base, long end, int[] granuleBytes, int from, long arrive, boolean write) {
    long firstRow = base / rowSpan;
    boolean oneRow = end <= (firstRow + 1) * rowSpan;
    long arrivalPhase = refreshPhase(arrive);
    double last = arrive;
    double busySum = busyPs; // added to in the same order as one granule at a time would
    long bytesSum = 0;
    int k = from;
    for (long g = base & -interleaveBytes(); g < end; g += interleaveBytes(), k++) {
      long addr = Math.max(base, g);
      long row = oneRow ? firstRow : addr / rowSpan;
      int bytes = granuleBytes[k];
      double busy = bytes * psPerByte;
      last = Math.max(last, serve(channelOf(addr), row, bytes, busy, arrive, arrivalPhase));
      busySum += busy;
      bytesSum += bytes;
    }
    busyPs = busySum;
    if (write) {
      writeBytes += bytesSum;
    } else {
      readBytes += bytesSum;
    }
    return (long) Math.ceil(last);
  }

  /**
   * One access of {@code bytes} ({@code busy} on the bus) to {@code row} on channel {@code ch},
   * arriving at {@code arrive} (whose {@link #refreshPhase} is {@code arrivalPhase}); returns
   * when its last byte has crossed the bus.
   */
  private double serve(int ch, long row, int bytes, double busy, long arrive, long arrivalPhase) {
    int bank = (int) bankOfHash.of(LineCache.mix(row * 31 + ch));
    long ready = afterRefresh(ch, bank, arrive, arrivalPhase);
    double dataFrom = rowOpened(ch, bank, row, arrive, ready);
    // the bus is a queue of transfers in arrival order; an access whose data is late (its row
    // being opened) finishes when both its turn and its data have come
    double turn = Math.max(arrive, busFree[ch]) + busy;
    busFree[ch] = turn;
    if (activity != null) {
      activity.hbmTransfer(ch, (long) (turn - busy), (long) turn, bytes);
    }
    return Math.max(turn, dataFrom + busy);
  }

  /**
   * Makes {@code row} the open row of bank {@code bank} of channel {@code ch} for an access that
   * arrives at {@code arrive} and finds the bank free of refresh at {@code ready}; returns when
   * its data can flow.
   *
   * <p>Whether the access hits the open row is a coin flip for the gathers of a decode step (about
   * 45 % do), so it is not a branch: both outcomes are computed and the miss's updates are
   * scaled by {@code miss} (1 or 0). This is exact: times are never negative, a miss only moves
   * the channel's and the bank's next activation later (so the maximum with the old value is the
   * new one), and a hit's scaled update is 0 (so the maximum keeps the old value).
   */
  private double rowOpened(int ch, int bank, long row, long arrive, long ready) {
    int rb = ch * banks + bank;
    // a refresh that delayed the access closed the row
    long differs = (ready ^ arrive) | (openRow[rb] ^ row);
    long missed = (differs | -differs) >>> 63;
    double miss = missed;
    // the channel grants activations at its rate; a busy bank delays only this access (the
    // controller serves other banks meanwhile)
    double slot = Math.max(ready, actFree[ch]);
    double act = Math.max(slot, bankFree[rb]);
    actFree[ch] = Math.max(actFree[ch], (slot + activationIntervalPs) * miss);
    bankFree[rb] = Math.max(bankFree[rb], (act + rowCyclePs) * miss);
    openRow[rb] = row;
    activations += missed;
    return Math.max(ready, (act + rowMissPs) * miss);
  }

  /**
   * A large sequential transfer spread evenly over all channels (open rows, one activation per
   * row), served in arrival order at the channels' combined bandwidth: returns when it is done.
   * Bulk streams are queued apart from the random accesses (a decode step runs them in different
   * kernels), which keeps this O(1) per request.
   */
  long bulk(long bytes, long arrive, boolean write) {
    double busy = bytes * psPerByte / channels;
    double start = Math.max(arrive, bulkFree);
    bulkFree = start + busy;
    if (activity != null) {
      activity.hbmTransfer(-1, (long) start, (long) bulkFree, bytes);
    }
    busyPs += busy * channels;
    activations += Math.max(1, bytes / (rowSpan / channels));
    if (write) {
      writeBytes += bytes;
    } else {
      readBytes += bytes;
    }
    return (long) Math.ceil(bulkFree);
  }

  /** Whether the bulk queue has nothing left to serve at {@code now}. */
  boolean bulkIdle(long now) {
    return bulkFree <= now;
  }

  /** Passes what bulk transfers change through {@code s} (for a launch replay). */
  void replayBulkState(LaunchState s) {
    readBytes = s.count(readBytes);
    writeBytes = s.count(writeBytes);
    activations = s.count(activations);
    busyPs = s.sum(busyPs);
    bulkFree = s.time(bulkFree);
  }

  /** Where {@code t} falls in the refresh interval (0 without refresh). */
  private long refreshPhase(long t) {
    return refreshBusyPs == 0 ? 0 : Math.floorMod(t, refreshIntervalPs);
  }

  /**
   * The earliest time from {@code t} (at {@code phase} of the refresh interval) at which bank
   * {@code bank} of {@code ch} is not refreshing.
   */
  private long afterRefresh(int ch, int bank, long t, long phase) {
    if (refreshBusyPs == 0) {
      return t;
    }
    // phase and both offsets are below the interval, so a conditional addition after each
    // subtraction (without a branch: its condition is a coin flip) keeps the difference in it;
    // the channel's part first, while the bank is still being worked out
    long channelPhase = phase - refreshOffset[ch];
    channelPhase += (channelPhase >> 63) & refreshIntervalPs;
    long bankPhase = channelPhase - bankRefreshOffset[bank];
    bankPhase += (bankPhase >> 63) & refreshIntervalPs;
    return t + Math.max(0, refreshBusyPs - bankPhase);
  }

  /** Unloaded latency of a read of {@code bytes} that misses the open row. */
  long unloadedRead(int bytes) {
    return requestPathPs + rowMissPs + Math.round(bytes * psPerByte) + returnPathPs;
  }

  void resetStats() {
    readBytes = 0;
    writeBytes = 0;
    activations = 0;
    busyPs = 0;
  }
}
