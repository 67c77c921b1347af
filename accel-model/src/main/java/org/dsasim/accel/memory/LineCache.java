package org.dsasim.accel.memory;

import org.dsasim.accel.replay.LaunchState;

/**
 * Tags of a set-associative cache of 128 B lines with 32 B sectors, LRU within a set, laid out so
 * that a lookup touches one contiguous stretch of memory: per set, one {@code long} holds the LRU
 * order of its (at most 16) ways as nibbles (most recent first), one the share of streamed lines
 * it has taken in, then one per way packing the line, its valid and dirty sectors and whether it is
 * persisting, then one per way with the time its data is (or will be) ready.
 *
 * <p>The caller drives misses: {@link #allocate} chooses a victim and installs the new tag.
 * Every dirty line evicted, by an allocation or by streamed lines, is handed to the
 * {@link DirtyVictims} at once. Slots returned by {@link #find} and {@link #allocate} index the
 * way's tag word.
 */
final class LineCache {
  static final int MAX_WAYS = 16;
  static final long PERSISTING = 1L << 8;
  private static final int TAG_SHIFT = 10;
  private static final int ORDER = 0;
  private static final int SEEN = 1;
  private static final int TAGS = 2;
  /**
   * The tag word of a streamed line: one value for all of them, as they are never looked up or
   * written back (its line is above every real line and entry, and it has no dirty sectors).
   */
  private static final long STREAMED = (1L << 52) << TAG_SHIFT;

  final int sets;
  final int ways;
  private final int stride;
  private final Remainder setOfHash;
  private final long[] data;
  // streamed lines are inserted lazily: a set catches up with its share when next visited
  private double streamPerSet;

  // the set of the last line looked up: a miss's allocate follows its find
  private long lastLine = -1;
  private int lastBase;

  /** Told of each dirty line when it is evicted, to write it back. */
  @FunctionalInterface
  interface DirtyVictims {
    void evicted(long line, int dirtySectors);
  }

  private final DirtyVictims victims;

  LineCache(long lines, int ways, DirtyVictims victims) {
    this.victims = victims;
    if (ways < 1 || ways > MAX_WAYS) {
      throw new IllegalArgumentException("1 to 16 ways supported, not " + ways);
    }
    this.ways = ways;
    this.sets = (int) Math.max(1, lines / ways);
    this.stride = TAGS + 2 * ways;
    setOfHash = new Remainder(sets);
    data = new long[Math.multiplyExact(sets, stride)];
    long identity = 0;
    for (int w = ways - 1; w >= 0; w--) {
      identity = (identity << 4) | w;
    }
    for (int s = 0; s < sets; s++) {
      data[s * stride + ORDER] = identity;
    }
  }

  int setOf(long line) {
    return (int) setOfHash.of(mix(line));
  }

  /** Where the set of {@code line} starts in {@link #data}. */
  private int baseOfLine(long line) {
    if (line != lastLine) {
      lastLine = line;
      lastBase = setOf(line) * stride;
    }
    return lastBase;
  }

  /**
   * Accounts for {@code lines} streamed lines that will never be read again (bulk weight and key
   * streams): each set will receive its share as most-recently-used lines the next time it is
   * visited, pushing its least recently used normal lines out, as an LRU cache would.
   */
  void stream(double lines) {
    streamPerSet += lines / sets;
  }

  /** Passes the streamed lines per set so far (see {@link #stream}) through a launch replay. */
  void replayState(LaunchState s) {
    streamPerSet = s.sum(streamPerSet);
  }

  /** Inserts the pending share of streamed lines of the set starting at {@code base}. */
  private void catchUp(int base) {
    long due = (long) streamPerSet - data[base + SEEN];
    if (due <= 0) {
      return;
    }
    data[base + SEEN] += due;
    int tags = base + TAGS;
    if (due >= ways) {
      // the stream went through the whole set: every normal line is gone (order unchanged, as
      // the streamed lines are never read again)
      for (int i = tags; i < tags + ways; i++) {
        if ((data[i] & PERSISTING) == 0) {
          evictForStream(i);
        }
      }
      return;
    }
    for (long k = due; k > 0; k--) {
      long ord = data[base + ORDER];
      int at = ways - 1;
      while (at >= 0 && (data[tags + wayAt(ord, at)] & PERSISTING) != 0) {
        at--;
      }
      if (at < 0) {
        return;
      }
      evictForStream(tags + wayAt(ord, at));
      data[base + ORDER] = moveFrom(ord, at, true);
    }
  }

  private void evictForStream(int slot) {
    evicted(data[slot]);
    data[slot] = STREAMED;
  }

  /** Hands tag word {@code old}'s line to the write-back if it holds dirty data. */
  private void evicted(long old) {
    if (old >>> TAG_SHIFT != 0 && (old & 0xf0) != 0) {
      victims.evicted((old >>> TAG_SHIFT) - 1, (int) ((old >>> 4) & 0xf));
    }
  }

  /**
   * Reads the words of {@code line}'s set that {@link #find} reads first (its order, its first,
   * middle and last tags: the cache lines it spans) and returns their sum, changing nothing: for
   * a caller that will look up several lines, to have their sets' cache misses overlap.
   */
  long loadSet(long line) {
    int base = setOf(line) * stride;
    return data[base] + data[base + TAGS + ways / 2] + data[base + TAGS + ways - 1];
  }

  /** The slot holding {@code line}, or -1. */
  int find(long line) {
    int base = baseOfLine(line);
    catchUp(base);
    int tags = base + TAGS;
    long t = line + 1;
    for (int i = tags; i < tags + ways; i++) {
      if ((data[i] >>> TAG_SHIFT) == t) {
        return i;
      }
    }
    return -1;
  }

  int valid(int slot) {
    return (int) (data[slot] & 0xf);
  }

  void addValid(int slot, int sectors) {
    data[slot] |= sectors & 0xf;
  }

  void addDirty(int slot, int sectors) {
    data[slot] |= (long) ((sectors & 0xf) << 4) | (sectors & 0xf);
  }

  long readyAt(int slot) {
    return data[slot + ways];
  }

  void setReadyAt(int slot, long t) {
    data[slot + ways] = t;
  }

  private int baseOf(int slot) {
    return slot / stride * stride;
  }

  /** Makes the way of {@code slot} the most recently used of its set. */
  void touch(int slot) {
    int base = baseOf(slot);
    data[base + ORDER] = moveTo(data[base + ORDER], slot - base - TAGS, true);
  }

  /**
   * Installs {@code line} (absent) and returns its slot, or -1 when no way may take it. A
   * persisting line may use up to {@code persistWays} ways of its set, evicting the least recently
   * used normal line while under that quota and the least recently used persisting line at it; a
   * normal line never evicts a persisting one. A {@code streaming} line is installed as the next
   * victim of its set.
   */
  int allocate(long line, boolean persisting, int persistWays, boolean streaming) {
    int base = baseOfLine(line);
    catchUp(base);
    int tags = base + TAGS;
    boolean evictPersisting = false;
    if (persisting) {
      int here = 0;
      for (int i = tags; i < tags + ways; i++) {
        if ((data[i] & PERSISTING) != 0 && data[i] >>> TAG_SHIFT != 0) {
          here++;
        }
      }
      evictPersisting = here >= persistWays;
    }
    long ord = data[base + ORDER];
    int at = ways - 1;
    for (; at >= 0; at--) {
      long m = data[tags + wayAt(ord, at)];
      boolean empty = m >>> TAG_SHIFT == 0;
      if (empty ? !evictPersisting : ((m & PERSISTING) != 0) == evictPersisting) {
        break;
      }
    }
    if (at < 0) {
      return -1;
    }
    int slot = tags + wayAt(ord, at);
    evicted(data[slot]);
    data[slot] = ((line + 1) << TAG_SHIFT) | (persisting ? PERSISTING : 0);
    data[slot + ways] = 0;
    data[base + ORDER] = moveFrom(ord, at, !streaming);
    return slot;
  }

  void invalidate(int slot) {
    int base = baseOf(slot);
    data[slot] = 0;
    data[base + ORDER] = moveTo(data[base + ORDER], slot - base - TAGS, false);
  }

  /** Moves way {@code w} to the front (most recent) or the back (next victim) of the order. */
  private long moveTo(long ord, int w, boolean front) {
    int p = 0;
    while (wayAt(ord, p) != w) {
      p++;
    }
    return moveFrom(ord, p, front);
  }

  /** The way at position {@code p} of LRU order {@code ord} (0: the most recent). */
  private static int wayAt(long ord, int p) {
    return (int) (ord >>> (4 * p)) & 0xf;
  }

  /** Moves the way at position {@code p} of the order to its front or back (see moveTo). */
  private long moveFrom(long ord, int p, boolean front) {
    long w = wayAt(ord, p);
    long below = p == 0 ? 0 : ord & ((1L << (4 * p)) - 1); // nibbles 0..p-1
    long above = p == ways - 1 ? 0 : ord >>> (4 * (p + 1)); // nibbles p+1..ways-1, shifted down
    if (front) {
      return (above << (4 * (p + 1))) | (below << 4) | w;
    }
    return (w << (4 * (ways - 1))) | (above << (4 * p)) | below;
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
