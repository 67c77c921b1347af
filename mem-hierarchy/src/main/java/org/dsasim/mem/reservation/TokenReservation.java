package org.dsasim.mem.reservation;

import java.util.Map;

/**
 * The reservation controller: which KV units (token entries, or pages of tokens) the reserved
 * share of the LLC holds, which of their sectors are present and dirty, and which unit goes when
 * room is needed. It has no timing of its own; the LLC consults it on every KV-gather access.
 *
 * <p><b>Capacity.</b> The reservation owns {@code frames = sizeBytes / lineBytes} line frames
 * carved out of the cache. Each unit occupies a <em>slot</em> of {@code slotSectors} consecutive
 * sectors of that space, enough for the widest sector span a unit can have at its alignment (a
 * 656-B entry at a 16-B-aligned offset spans at most 21 sectors of 32 B, so slots are 672 B), hence
 * {@code capacityUnits = frames * sectorsPerLine / slotSectors}. Slots are fixed to frames, so
 * the frames a unit uses are known without search, and with lending a frame no occupied slot
 * overlaps may hold a shared line.
 *
 * <p><b>Directory and eviction.</b> Unit keys ({@link KvLayout}) map to slots through an
 * open-addressing table; LRU order is kept per sharing group in intrusive lists
 * ({@link GroupedLru}); admitting a unit into a group at its quota evicts that group's least
 * recently used unit, whose dirty sectors are written back. All of it is O(1) per access.
 *
 * <p><b>Sectors.</b> A unit's sectors fill on demand as they are gathered (or written); a unit is
 * resident as a whole: lookups are by unit, and its sectors leave together.
 */
public final class TokenReservation {
  private final KvLayout layout;
  private final int unitTokens;
  private final int sectorShift;
  private final int sectorsPerLine;
  private final int slotSectors;
  private final int words;
  private final int frames;
  private final int capacityUnits;
  private final boolean lend;
  private final Retention retention;
  private final AdmissionPolicy admission;
  private final SharingPolicy sharing;
  private final GroupedLru directory;
  private final ReservationListener listener;
  private final long[] valid;
  private final long[] dirty;
  private final long[] firstSector;
  private final int[] spanSectors;
  private final long[] lastStep;
  private final byte[] holders;
  private long step;

  private long admissions;
  private long rejections;
  private long evictions;
  private long expirations;
  private long writebackBytes;

  /**
   * @param lineBytes the cache line size
   * @param sectorBytes the cache sector size; {@code layout.base()} must be a multiple of it
   */
  public TokenReservation(
      ReservationParams params,
      KvLayout layout,
      int lineBytes,
      int sectorBytes,
      ReservationListener listener) {
    this.layout = layout;
    this.unitTokens = params.unitTokens();
    this.sectorShift = Integer.numberOfTrailingZeros(sectorBytes);
    this.sectorsPerLine = lineBytes / sectorBytes;
    this.lend = params.lend();
    this.retention = params.retention();
    this.listener = listener;
    Geometry g = geometry(params, layout, lineBytes, sectorBytes);
    this.slotSectors = g.slotSectors();
    this.words = (slotSectors + 63) >>> 6;
    this.frames = g.frames();
    this.capacityUnits = g.capacityUnits();
    this.admission = AdmissionPolicies.create(
        params.admission(), params.ghostUnits() > 0 ? params.ghostUnits() : capacityUnits);
    this.sharing = SharingPolicies.create(params.sharing(), capacityUnits, layout);
    this.directory = new GroupedLru(capacityUnits, sharing.groups());
    this.valid = new long[capacityUnits * words];
    this.dirty = new long[capacityUnits * words];
    this.firstSector = new long[capacityUnits];
    this.spanSectors = new int[capacityUnits];
    this.lastStep = new long[capacityUnits];
    this.holders = new byte[frames];
  }

  /**
   * How a reservation lays out: sectors per slot, line frames carved out, units it holds.
   *
   * @param slotSectors sectors of storage per unit
   * @param frames line frames carved out of the cache
   * @param capacityUnits units the reservation holds
   */
  public record Geometry(int slotSectors, int frames, int capacityUnits) {}

  /** The geometry of a reservation, or an {@link IllegalArgumentException} if it cannot work. */
  public static Geometry geometry(
      ReservationParams params, KvLayout layout, int lineBytes, int sectorBytes) {
    if (layout.base() % sectorBytes != 0) {
      throw new IllegalArgumentException("kv.base (" + layout.base()
          + ") must be a multiple of the sector size " + sectorBytes);
    }
    long unitBytes = (long) params.unitTokens() * layout.entryBytes();
    // units start at multiples of unitBytes from a sector-aligned base, so their offset inside a
    // sector is a multiple of gcd(unitBytes, sector) and at most sector - gcd
    long maxOffset = sectorBytes - gcd(unitBytes, sectorBytes);
    long span = (maxOffset + unitBytes + sectorBytes - 1) / sectorBytes;
    if (span > Integer.MAX_VALUE / 64) {
      throw new IllegalArgumentException("a unit of " + unitBytes + " bytes is too large");
    }
    long frameCount = params.sizeBytes() / lineBytes;
    long units = frameCount * (lineBytes / sectorBytes) / span;
    if (units < 1) {
      throw new IllegalArgumentException("llc.reservation.size " + params.sizeBytes()
          + " B holds no unit of " + unitBytes + " B (" + span * sectorBytes
          + " B of sectors)");
    }
    long words = (span + 63) >>> 6;
    if (frameCount > Integer.MAX_VALUE || units * words > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("llc.reservation.size " + params.sizeBytes()
          + " B is too large");
    }
    return new Geometry((int) span, (int) frameCount, (int) units);
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** Units the reservation can hold. */
  public int capacityUnits() {
    return capacityUnits;
  }

  /** Units it holds now. */
  public int occupancyUnits() {
    return directory.size();
  }

  /** Line frames carved out of the cache. */
  public int frames() {
    return frames;
  }

  /** Sectors of storage per unit. */
  public int slotSectors() {
    return slotSectors;
  }

  public boolean lends() {
    return lend;
  }

  /** Whether frame {@code frame} backs an occupied slot (and so cannot be lent). */
  public boolean isHeld(int frame) {
    return holders[frame] != 0;
  }

  /** Whether {@code address} belongs to the KV buffer. */
  public boolean covers(long address) {
    return layout.contains(address);
  }

  /** The key of the unit holding {@code address}, which must be inside the KV buffer. */
  public long unitKeyOf(long address) {
    return layout.unitKeyOf(address, unitTokens);
  }

  /** The address of the first byte of unit {@code unitKey}. */
  public long unitAddress(long unitKey) {
    return layout.unitAddress(unitKey, unitTokens);
  }

  /** The slot of a resident unit, or -1. */
  public int lookup(long unitKey) {
    return directory.find(unitKey);
  }

  /** Asks the admission policy whether an absent unit enters on this access. */
  public boolean admits(long unitKey) {
    if (admission.admit(unitKey, step)) {
      return true;
    }
    rejections++;
    return false;
  }

  /**
   * Makes an absent unit resident with no valid sector, evicting the least recently used unit of
   * its group when the group is at its quota; returns its slot.
   */
  public int allocate(long unitKey) {
    int group = sharing.groupOf(unitKey);
    int slot;
    if (directory.count(group) >= sharing.quota(group)) {
      slot = directory.lru(group);
      evictContents(slot);
      directory.rekey(slot, unitKey, group);
    } else {
      slot = directory.insert(unitKey, group);
      hold(slot);
    }
    long base = unitAddress(unitKey);
    long last = base + layout.unitBytes(unitKey, unitTokens) - 1;
    firstSector[slot] = base >>> sectorShift;
    spanSectors[slot] = (int) ((last >>> sectorShift) - firstSector[slot] + 1);
    lastStep[slot] = step;
    admissions++;
    return slot;
  }

  /** Marks a resident unit used now. */
  public void touch(int slot) {
    directory.touch(slot);
    lastStep[slot] = step;
  }

  /** The sectors of {@code line} (bit j = sector j of the line) that belong to the unit. */
  public int unitMask(int slot, long line) {
    long rel = line * sectorsPerLine - firstSector[slot];
    int span = spanSectors[slot];
    int mask = 0;
    for (int j = 0; j < sectorsPerLine; j++, rel++) {
      if (rel >= 0 && rel < span) {
        mask |= 1 << j;
      }
    }
    return mask;
  }

  /** The sectors of {@code line} the unit holds valid. */
  public int validMask(int slot, long line) {
    return bits(valid, slot, line);
  }

  /** Marks sectors of {@code line} valid; {@code mask} must lie within {@link #unitMask}. */
  public void markValid(int slot, long line, int mask) {
    setBits(valid, slot, line, mask);
  }

  /** Marks sectors of {@code line} written (valid and dirty). */
  public void markWritten(int slot, long line, int mask) {
    setBits(valid, slot, line, mask);
    setBits(dirty, slot, line, mask);
  }

  private int bits(long[] map, int slot, long line) {
    long rel = line * sectorsPerLine - firstSector[slot];
    int span = spanSectors[slot];
    int base = slot * words;
    int mask = 0;
    for (int j = 0; j < sectorsPerLine; j++, rel++) {
      if (rel >= 0 && rel < span && (map[base + (int) (rel >>> 6)] & (1L << rel)) != 0) {
        mask |= 1 << j;
      }
    }
    return mask;
  }

  private void setBits(long[] map, int slot, long line, int mask) {
    long rel0 = line * sectorsPerLine - firstSector[slot];
    int base = slot * words;
    for (int m = mask; m != 0; m &= m - 1) {
      long rel = rel0 + Integer.numberOfTrailingZeros(m);
      if (rel < 0 || rel >= spanSectors[slot]) {
        throw new IllegalArgumentException("sector outside the unit in slot " + slot);
      }
      map[base + (int) (rel >>> 6)] |= 1L << rel;
    }
  }

  /**
   * Ends the current decode step. With {@link Retention#PREVIOUS_STEP}, every unit not touched
   * during the step leaves (they are the least recent of their groups).
   */
  public void endStep() {
    if (retention == Retention.PREVIOUS_STEP) {
      for (int g = 0; g < sharing.groups(); g++) {
        int slot;
        while ((slot = directory.lru(g)) >= 0 && lastStep[slot] < step) {
          evictContents(slot);
          directory.remove(slot);
          release(slot);
          expirations++;
        }
      }
    }
    step++;
  }

  /** Writes back the dirty sectors of a slot's unit and clears it. */
  private void evictContents(int slot) {
    int base = slot * words;
    long first = firstSector[slot];
    int span = spanSectors[slot];
    int runStart = -1;
    for (int rel = 0; rel <= span; rel++) {
      boolean d = rel < span && (dirty[base + (rel >>> 6)] & (1L << rel)) != 0;
      boolean lineStart = ((first + rel) % sectorsPerLine) == 0;
      if (runStart >= 0 && (!d || lineStart)) {
        int bytes = (rel - runStart) << sectorShift;
        listener.writeBack((first + runStart) << sectorShift, bytes);
        writebackBytes += bytes;
        runStart = -1;
      }
      if (d && runStart < 0) {
        runStart = rel;
      }
    }
    for (int w = 0; w < words; w++) {
      valid[base + w] = 0;
      dirty[base + w] = 0;
    }
    evictions++;
  }

  private int firstFrame(int slot) {
    return (int) ((long) slot * slotSectors / sectorsPerLine);
  }

  private int lastFrame(int slot) {
    return (int) (((long) slot * slotSectors + slotSectors - 1) / sectorsPerLine);
  }

  private void hold(int slot) {
    for (int f = firstFrame(slot), last = lastFrame(slot); f <= last; f++) {
      if (holders[f]++ == 0 && lend) {
        listener.claim(f);
      }
    }
  }

  private void release(int slot) {
    for (int f = firstFrame(slot), last = lastFrame(slot); f <= last; f++) {
      holders[f]--;
    }
  }

  /**
   * Adds the reservation's statistics under {@code prefix}: units it can hold and holds,
   * admissions, admissions refused by the policy, evictions (LRU and expiry), expiries at step
   * ends, and dirty bytes written back.
   */
  public void exportStats(String prefix, Map<String, Number> out) {
    out.put(prefix + ".capacity_units", capacityUnits);
    out.put(prefix + ".occupancy_units", directory.size());
    out.put(prefix + ".admissions", admissions);
    out.put(prefix + ".rejections", rejections);
    out.put(prefix + ".evictions", evictions);
    out.put(prefix + ".expirations", expirations);
    out.put(prefix + ".writeback_bytes", writebackBytes);
  }

  /** Clears the counters (not the contents). */
  public void resetStats() {
    admissions = 0;
    rejections = 0;
    evictions = 0;
    expirations = 0;
    writebackBytes = 0;
  }
}
