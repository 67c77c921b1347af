package org.dsasim.accel.memory;

/**
 * Tags of a set-associative cache of 128 B lines with 32 B sectors, LRU within a set, in
 * primitive arrays laid out for few memory touches per lookup: one {@code long} per way packs the
 * line, its valid and dirty sectors and its flags; one {@code long} per set holds the LRU order
 * of its (at most 16) ways as nibbles, most recent first; a way's data-ready time sits in a third
 * array read only on hits.
 *
 * <p>The caller drives misses: {@link #allocate} chooses a victim, reports a dirty victim through
 * {@link #evictedLine} and {@link #evictedDirty} (which the caller writes back and resets to -1),
 * and installs the new tag.
 */
final class LineCache {
  static final int MAX_WAYS = 16;
  static final long PERSISTING = 1L << 8;
  static final long COPY = 1L << 9;
  private static final int TAG_SHIFT = 10;

  final int sets;
  final int ways;
  private final long[] meta; // (line + 1) << 10 | copy << 9 | persisting << 8 | dirty << 4 | valid
  private final long[] order; // per set: way numbers as nibbles, MRU in nibble 0
  final long[] readyAt;
  // streamed lines are inserted lazily: a set catches up with its share when next visited
  private final long[] streamSeen;
  private double streamPerSet;
  private long streamTag = 1L << 52; // tags of streamed lines never match a real line

  /** Line and dirty sectors of the last victim that had dirty data, or -1. */
  long evictedLine = -1;
  int evictedDirty;

  LineCache(long lines, int ways) {
    if (ways < 1 || ways > MAX_WAYS) {
      throw new IllegalArgumentException("1 to 16 ways supported, not " + ways);
    }
    this.ways = ways;
    this.sets = (int) Math.max(1, lines / ways);
    meta = new long[sets * ways];
    order = new long[sets];
    readyAt = new long[sets * ways];
    streamSeen = new long[sets];
    long identity = 0;
    for (int w = ways - 1; w >= 0; w--) {
      identity = (identity << 4) | w;
    }
    java.util.Arrays.fill(order, identity);
  }

  int setOf(long line) {
    return (int) (mix(line) % sets);
  }

  /**
   * Accounts for {@code lines} streamed lines that will never be read again (bulk weight and key
   * streams): each set will receive its share as most-recently-used lines the next time it is
   * visited, pushing its least recently used normal lines out, as an LRU cache would.
   */
  void stream(double lines) {
    streamPerSet += lines / sets;
  }

  /** Inserts the set's pending share of streamed lines. */
  private void catchUp(int set) {
    long due = (long) streamPerSet - streamSeen[set];
    if (due <= 0) {
      return;
    }
    streamSeen[set] += due;
    int base = set * ways;
    for (long k = Math.min(due, ways); k > 0; k--) {
      long ord = order[set];
      int victim = -1;
      for (int p = ways - 1; p >= 0; p--) {
        int w = (int) (ord >>> (4 * p)) & 0xf;
        if ((meta[base + w] & PERSISTING) == 0) {
          victim = w;
          break;
        }
      }
      if (victim < 0) {
        return;
      }
      int slot = base + victim;
      long old = meta[slot];
      if (old >>> TAG_SHIFT != 0 && (old & 0xf0) != 0 && evictedLine < 0) {
        evictedLine = (old >>> TAG_SHIFT) - 1;
        evictedDirty = (int) ((old >>> 4) & 0xf);
      }
      meta[slot] = (streamTag++) << TAG_SHIFT;
      order[set] = moveTo(ord, victim, true);
    }
  }

  /** The slot (set * ways + way) holding {@code line}, or -1. */
  int find(long line) {
    int set = setOf(line);
    catchUp(set);
    int base = set * ways;
    long t = line + 1;
    for (int i = base; i < base + ways; i++) {
      if ((meta[i] >>> TAG_SHIFT) == t) {
        return i;
      }
    }
    return -1;
  }

  int valid(int slot) {
    return (int) (meta[slot] & 0xf);
  }

  void addValid(int slot, int sectors) {
    meta[slot] |= sectors & 0xf;
  }

  void addDirty(int slot, int sectors) {
    meta[slot] |= (long) ((sectors & 0xf) << 4) | (sectors & 0xf);
  }

  boolean isPersisting(int slot) {
    return (meta[slot] & PERSISTING) != 0;
  }

  void setCopy(int slot) {
    meta[slot] |= COPY;
  }

  /** Makes the way of {@code slot} the most recently used of its set. */
  void touch(int slot) {
    int set = slot / ways;
    order[set] = moveTo(order[set], slot - set * ways, true);
  }

  /**
   * Installs {@code line} (absent) and returns its slot, or -1 when no way may take it. A
   * persisting line may use up to {@code persistWays} ways of its set, evicting the least recently
   * used normal line while under that quota and the least recently used persisting line at it; a
   * normal line never evicts a persisting one. A {@code streaming} line is installed as the next
   * victim of its set.
   */
  int allocate(long line, boolean persisting, int persistWays, boolean streaming) {
    int set = setOf(line);
    catchUp(set);
    int base = set * ways;
    boolean evictPersisting = false;
    if (persisting) {
      int here = 0;
      for (int i = base; i < base + ways; i++) {
        if ((meta[i] & PERSISTING) != 0 && meta[i] >>> TAG_SHIFT != 0) {
          here++;
        }
      }
      evictPersisting = here >= persistWays;
    }
    long ord = order[set];
    int victim = -1;
    for (int p = ways - 1; p >= 0; p--) {
      int w = (int) (ord >>> (4 * p)) & 0xf;
      long m = meta[base + w];
      boolean empty = m >>> TAG_SHIFT == 0;
      if (empty ? !evictPersisting : ((m & PERSISTING) != 0) == evictPersisting) {
        victim = w;
        break;
      }
    }
    if (victim < 0) {
      return -1;
    }
    int slot = base + victim;
    long old = meta[slot];
    if (old >>> TAG_SHIFT != 0 && (old & 0xf0) != 0) {
      evictedLine = (old >>> TAG_SHIFT) - 1;
      evictedDirty = (int) ((old >>> 4) & 0xf);
    }
    meta[slot] = ((line + 1) << TAG_SHIFT) | (persisting ? PERSISTING : 0);
    readyAt[slot] = 0;
    order[set] = moveTo(ord, victim, !streaming);
    return slot;
  }

  void invalidate(int slot) {
    int set = slot / ways;
    meta[slot] = 0;
    order[set] = moveTo(order[set], slot - set * ways, false);
  }

  /** Moves way {@code w} to the front (most recent) or the back (next victim) of the order. */
  private long moveTo(long ord, int w, boolean front) {
    int p = 0;
    while (((ord >>> (4 * p)) & 0xf) != w) {
      p++;
    }
    long below = p == 0 ? 0 : ord & ((1L << (4 * p)) - 1); // nibbles 0..p-1
    long above = p == ways - 1 ? 0 : ord >>> (4 * (p + 1)); // nibbles p+1..ways-1, shifted down
    if (front) {
      return (above << (4 * (p + 1))) | (below << 4) | w;
    }
    return ((long) w << (4 * (ways - 1))) | (above << (4 * p)) | below;
  }

  static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x & Long.MAX_VALUE;
  }
}
