package org.dsasim.mem.hbm;

import org.dsasim.core.time.ClockDomain;

/**
 * How an HBM device is built: stacks of independent channels, each split into pseudo-channels
 * (PCs) with their own banks and 32-bit data bus; inside a PC, stack IDs (SIDs, the ranks of an
 * 8- or 16-high stack), bank groups, banks, rows and columns.
 *
 * <p>A column here is one burst-sized access granule ({@link #accessBytes()}, 32 B for a 32-bit PC
 * and BL8), so a row of {@code columns} granules holds {@link #rowBytes()} bytes. The command
 * clock CK runs at {@code pinRate / beatsPerClock} (HBM3: 4 data beats per CK, so 6.4 Gb/s per pin
 * is a 1.6 GHz CK) and one burst occupies the data bus for {@code burstLength / beatsPerClock} CK.
 *
 * @param stacks HBM stacks (sites populated) on the device
 * @param channelsPerStack independent channels per stack (16 for HBM3)
 * @param pseudoChannelsPerChannel pseudo-channels per channel (2 for HBM3)
 * @param sids stack IDs per pseudo-channel (1 for 4-high, 2 for 8-high, 4 for 16-high stacks)
 * @param bankGroups bank groups per SID
 * @param banksPerGroup banks per bank group
 * @param rows rows per bank (need not be a power of two: 24 Gb dies have 1.5 x 2^14)
 * @param columns access granules per row
 * @param widthBits data pins per pseudo-channel
 * @param burstLength data beats per access (BL)
 * @param beatsPerClock data beats per command-clock cycle
 * @param pinRateBitsPerSecond data rate of one pin
 */
public record HbmOrganization(
    int stacks,
    int channelsPerStack,
    int pseudoChannelsPerChannel,
    int sids,
    int bankGroups,
    int banksPerGroup,
    int rows,
    int columns,
    int widthBits,
    int burstLength,
    int beatsPerClock,
    double pinRateBitsPerSecond) {

  /** The scheduler tracks the banks of a pseudo-channel in one 64-bit mask. */
  public static final int MAX_BANKS_PER_PSEUDO_CHANNEL = 64;

  public HbmOrganization {
    positive("stacks", stacks);
    positive("channels_per_stack", channelsPerStack);
    positive("pseudo_channels_per_channel", pseudoChannelsPerChannel);
    positive("sids", sids);
    positive("bank_groups", bankGroups);
    positive("banks_per_group", banksPerGroup);
    positive("rows", rows);
    positive("columns", columns);
    positive("pc_width_bits", widthBits);
    positive("burst_length", burstLength);
    positive("beats_per_clock", beatsPerClock);
    if (!(pinRateBitsPerSecond > 0) || Double.isInfinite(pinRateBitsPerSecond)) {
      throw new IllegalArgumentException("pin_rate must be a positive data rate, got "
          + pinRateBitsPerSecond + " b/s");
    }
    if (burstLength % beatsPerClock != 0) {
      throw new IllegalArgumentException("burst_length (" + burstLength
          + ") must be a whole number of clock cycles of beats_per_clock (" + beatsPerClock + ")");
    }
    if ((long) widthBits * burstLength % 8 != 0) {
      throw new IllegalArgumentException("pc_width_bits x burst_length (" + widthBits + " x "
          + burstLength + ") must be a whole number of bytes");
    }
    long banks = (long) sids * bankGroups * banksPerGroup;
    if (banks > MAX_BANKS_PER_PSEUDO_CHANNEL) {
      throw new IllegalArgumentException("sids x bank_groups x banks_per_group = " + banks
          + " banks per pseudo-channel; at most " + MAX_BANKS_PER_PSEUDO_CHANNEL + " supported");
    }
  }

  private static void positive(String key, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(key + " must be at least 1, got " + v);
    }
  }

  /** Channels on the device, over all stacks. */
  public int channels() {
    return stacks * channelsPerStack;
  }

  /** Pseudo-channels on the device: one memory controller each. */
  public int pseudoChannels() {
    return channels() * pseudoChannelsPerChannel;
  }

  /** Banks of one pseudo-channel over all its SIDs. */
  public int banksPerPseudoChannel() {
    return sids * bankGroups * banksPerGroup;
  }

  /** Bytes moved by one RD or WR burst: {@code widthBits x burstLength / 8}. */
  public int accessBytes() {
    return widthBits * burstLength / 8;
  }

  /** Bytes of one row of one bank (the open-row buffer). */
  public int rowBytes() {
    return columns * accessBytes();
  }

  /** Capacity of the device in bytes. */
  public long capacityBytes() {
    return (long) pseudoChannels() * banksPerPseudoChannel() * rows * rowBytes();
  }

  /** Command-clock frequency in Hz. */
  public double clockHz() {
    return pinRateBitsPerSecond / beatsPerClock;
  }

  /** The command clock CK, in which all timing parameters are counted. */
  public ClockDomain clock() {
    return new ClockDomain("hbm", clockHz());
  }

  /** Cycles of CK one burst occupies the data bus (nBL). */
  public int burstCycles() {
    return burstLength / beatsPerClock;
  }

  /**
   * Peak data bandwidth in bytes per second: stacks x channels x pseudo-channels x pins x pin rate
   * / 8. The simulated device reaches it when every pseudo-channel moves one burst every
   * {@link #burstCycles()} cycles.
   */
  public double peakBytesPerSecond() {
    return (double) pseudoChannels() * widthBits * pinRateBitsPerSecond / 8;
  }
}
