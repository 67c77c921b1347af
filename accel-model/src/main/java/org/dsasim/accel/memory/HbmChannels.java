package org.dsasim.accel.memory;

import org.dsasim.accel.config.AccelKeys;
import org.dsasim.core.config.Config;

/**
 * A first-order HBM timing model: independent channels, each a data bus (its share of the
 * effective bandwidth) and a row-activation limiter, with open rows per bank. Addresses are
 * interleaved over channels in {@code interleave}-byte chunks by a hash; a channel's row of
 * {@code rowBytes} covers {@code rowBytes * channels} bytes of address space, so a streaming read
 * keeps hitting open rows while random gathers activate a row per access. Requests are served in
 * arrival order per channel (timestamps, no event per access): an access that misses the open row
 * waits for the channel's activation slot and the row-miss latency, then for the bus.
 *
 * <p>Random small accesses are limited by the activation rate (about 40 G/s on an H200), large
 * and streaming ones by the bus: the two ceilings of the measured gather roofline.
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
  private final int interleaveShift;
  private final long rowSpan; // address bytes covered by one row of every channel
  private final double psPerByte; // per channel
  private final double activationIntervalPs; // per channel
  final long rowMissPs;
  final long requestPathPs;
  final long returnPathPs;
  final long loadToUsePs;
  private final long refreshIntervalPs;
  private final long refreshBusyPs;
  private final double[] busFree;
  private final double[] actFree;
  private final long[] openRow;

  // statistics
  long readBytes;
  long writeBytes;
  long activations;
  double busyPs;

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
    refreshIntervalPs = c.get(AccelKeys.HBM_REFRESH_INTERVAL);
    refreshBusyPs = c.get(AccelKeys.HBM_REFRESH_BUSY);
    busFree = new double[channels];
    actFree = new double[channels];
    openRow = new long[channels * banks];
    java.util.Arrays.fill(openRow, -1);
  }

  int channelOf(long addr) {
    return (int) (LineCache.mix(addr >>> interleaveShift) % channels);
  }

  /**
   * Transfers {@code bytes} at {@code addr} (within one interleave chunk) for a request that
   * reaches the controller at {@code arrive}; returns when its last byte has crossed the bus.
   */
  long access(long addr, int bytes, long arrive, boolean write) {
    int ch = channelOf(addr);
    long row = addr / rowSpan;
    int bank = (int) (LineCache.mix(row * 31 + ch) % banks);
    int rb = ch * banks + bank;
    long ready = afterRefresh(ch, bank, arrive);
    if (ready > arrive) {
      openRow[rb] = -1; // refresh closed the row
    }
    double start = Math.max(ready, busFree[ch]);
    if (openRow[rb] != row) {
      double act = Math.max(ready, actFree[ch]);
      actFree[ch] = act + activationIntervalPs;
      start = Math.max(start, act + rowMissPs);
      openRow[rb] = row;
      activations++;
    }
    double busy = bytes * psPerByte;
    busFree[ch] = start + busy;
    busyPs += busy;
    if (write) {
      writeBytes += bytes;
    } else {
      readBytes += bytes;
    }
    return (long) Math.ceil(busFree[ch]);
  }

  /**
   * A large sequential transfer spread evenly over all channels (open rows, one activation per
   * row): returns when the last channel has moved its share.
   */
  long bulk(long bytes, long arrive, boolean write) {
    double share = (double) bytes / channels;
    double busy = share * psPerByte;
    double done = arrive;
    for (int ch = 0; ch < channels; ch++) {
      double start = Math.max(arrive, busFree[ch]);
      busFree[ch] = start + busy;
      done = Math.max(done, busFree[ch]);
    }
    busyPs += busy * channels;
    activations += Math.max(1, bytes / (rowSpan / channels));
    if (write) {
      writeBytes += bytes;
    } else {
      readBytes += bytes;
    }
    return (long) Math.ceil(done);
  }

  /** The earliest time from {@code t} at which bank {@code bank} of {@code ch} is not refreshing. */
  private long afterRefresh(int ch, int bank, long t) {
    if (refreshBusyPs == 0) {
      return t;
    }
    long offset = (bank * refreshIntervalPs) / banks + (LineCache.mix(ch) % refreshIntervalPs);
    long phase = Math.floorMod(t - offset, refreshIntervalPs);
    return phase < refreshBusyPs ? t + (refreshBusyPs - phase) : t;
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
