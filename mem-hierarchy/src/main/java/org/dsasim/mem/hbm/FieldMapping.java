package org.dsasim.mem.hbm;

/**
 * An address mapping that splits the granule index (address / access bytes) into fields by mixed-
 * radix digits, least significant field first, so that field sizes need not be powers of two (five
 * or six stacks). Power-of-two divisors and sizes use shifts and masks.
 */
final class FieldMapping implements AddressMapping {
  private static final int COL_LOW = 0;
  private static final int PC = 1;
  private static final int CH = 2;
  private static final int BG = 3;
  private static final int COL_HIGH = 4;
  private static final int BANK = 5;
  private static final int SID = 6;
  private static final int ROW = 7;
  private static final int FIELDS = 8;

  private final String name;
  private final int contiguousBytes;
  private final long granule;
  private final int granuleShift;
  private final int[] size = new int[FIELDS];
  private final long[] divisor = new long[FIELDS];
  private final int[] divisorShift = new int[FIELDS];
  private final int[] sizeMask = new int[FIELDS];
  private final int pcsPerChannel;
  private final int pseudoChannels;
  private final int bankGroups;
  private final int banksPerGroup;
  private final int colLowSize;
  /** Permutation-based interleaving of banks and rotation of pseudo-channels. */
  private final boolean hashed;
  private final long aboveChannelDivisor;
  /** Number of distinct values of all fields above the channel (the row wraps). */
  private final long aboveChannelSpan;
  private final int bankGroupBits;

  private FieldMapping(String name, HbmOrganization org, int[] order, int[] sizes,
      int contiguousBytes, boolean hashed) {
    this.name = name;
    this.contiguousBytes = contiguousBytes;
    this.granule = org.accessBytes();
    this.granuleShift = Long.bitCount(granule) == 1 ? Long.numberOfTrailingZeros(granule) : -1;
    long d = 1;
    for (int i = 0; i < order.length; i++) {
      int f = order[i];
      size[f] = sizes[i];
      divisor[f] = d;
      divisorShift[f] = Long.bitCount(d) == 1 ? Long.numberOfTrailingZeros(d) : -1;
      sizeMask[f] = Integer.bitCount(sizes[i]) == 1 ? sizes[i] - 1 : -1;
      d = f == ROW ? d : Math.multiplyExact(d, sizes[i]);
    }
    this.pcsPerChannel = org.pseudoChannelsPerChannel();
    this.pseudoChannels = org.pseudoChannels();
    this.bankGroups = org.bankGroups();
    this.banksPerGroup = org.banksPerGroup();
    this.colLowSize = size[COL_LOW];
    this.hashed = hashed;
    this.aboveChannelDivisor = divisor[CH] * size[CH];
    long span = 1;
    for (int f = 0; f < FIELDS; f++) {
      if (divisor[f] >= aboveChannelDivisor) {
        span = Math.multiplyExact(span, size[f]);
      }
    }
    this.aboveChannelSpan = span;
    this.bankGroupBits = Integer.numberOfTrailingZeros(bankGroups);
    if (hashed && (Integer.bitCount(bankGroups) != 1 || Integer.bitCount(banksPerGroup) != 1)) {
      throw new IllegalArgumentException("address mapping " + name
          + " needs power-of-two bank_groups and banks_per_group, got " + bankGroups + " and "
          + banksPerGroup);
    }
  }

  /** The chunk-interleaved layout: offset | col low | Pc | Ch | Bg | col high | bank | SID | row. */
  static FieldMapping interleaved(String name, HbmOrganization org, int interleaveBytes,
      boolean hashed) {
    int g = org.accessBytes();
    if (interleaveBytes < g || interleaveBytes % g != 0) {
      throw new IllegalArgumentException("interleave (" + interleaveBytes
          + " B) must be a positive multiple of the access granule (" + g + " B)");
    }
    int chunk = interleaveBytes / g;
    if (org.columns() % chunk != 0) {
      throw new IllegalArgumentException("interleave (" + interleaveBytes
          + " B) must divide the row (" + org.rowBytes() + " B)");
    }
    return new FieldMapping(name, org,
        new int[] {COL_LOW, PC, CH, BG, COL_HIGH, BANK, SID, ROW},
        new int[] {chunk, org.pseudoChannelsPerChannel(), org.channels(), org.bankGroups(),
            org.columns() / chunk, org.banksPerGroup(), org.sids(), org.rows()},
        interleaveBytes, hashed);
  }

  /** The naive layout: offset | column | Bg | bank | SID | Pc | Ch | row. */
  static FieldMapping rowContiguous(String name, HbmOrganization org) {
    return new FieldMapping(name, org,
        new int[] {COL_LOW, BG, BANK, SID, PC, CH, COL_HIGH, ROW},
        new int[] {org.columns(), org.bankGroups(), org.banksPerGroup(), org.sids(),
            org.pseudoChannelsPerChannel(), org.channels(), 1, org.rows()},
        org.rowBytes(), false);
  }

  private long granuleIndex(long addr) {
    return granuleShift >= 0 ? addr >>> granuleShift : addr / granule;
  }

  private int field(long q, int f) {
    long x = divisorShift[f] >= 0 ? q >>> divisorShift[f] : q / divisor[f];
    return (int) (sizeMask[f] >= 0 ? x & sizeMask[f] : x % size[f]);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int pseudoChannel(long addr) {
    long q = granuleIndex(addr);
    int p = field(q, CH) * pcsPerChannel + field(q, PC);
    if (hashed) {
      long above = q / aboveChannelDivisor % aboveChannelSpan;
      long rotation = Long.remainderUnsigned(mix(above), pseudoChannels);
      p = (int) ((p + rotation) % pseudoChannels);
    }
    return p;
  }

  @Override
  public int bank(long addr) {
    long q = granuleIndex(addr);
    int bg = field(q, BG);
    int bank = field(q, BANK);
    if (hashed) {
      int row = field(q, ROW);
      bg ^= row & (bankGroups - 1);
      bank ^= (row >>> bankGroupBits) & (banksPerGroup - 1);
    }
    return (field(q, SID) * bankGroups + bg) * banksPerGroup + bank;
  }

  @Override
  public int row(long addr) {
    return field(granuleIndex(addr), ROW);
  }

  @Override
  public int column(long addr) {
    long q = granuleIndex(addr);
    return field(q, COL_HIGH) * colLowSize + field(q, COL_LOW);
  }

  @Override
  public int contiguousBytes() {
    return contiguousBytes;
  }

  /** The 64-bit finaliser of MurmurHash3: every input bit affects every output bit. */
  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }

  @Override
  public String toString() {
    return name;
  }
}
