package org.dsasim.core.reuse;

import java.util.Arrays;

/**
 * An open-addressing map from {@code long} keys to {@code int} values, for hot paths that must not
 * allocate per operation (no boxing, no entry objects).
 *
 * <p>Linear probing over a power-of-two table kept at most half full, with Fibonacci hashing (the
 * key times 2^64/phi, top bits), which spreads packed keys such as (sequence, layer, token) whose
 * low fields vary fastest. Removal shifts the following run back (no tombstones), so lookups stay
 * short however many keys come and go. Every {@code long} is a valid key: {@link Long#MIN_VALUE},
 * which marks free slots inside the table, is kept in a slot of its own past the table's end.
 *
 * <p>Besides {@link #get}/{@link #put}/{@link #remove}, a slot-level API lets a caller probe once
 * and then read, update or insert at the probed position: {@link #find} returns the key's slot or
 * the encoded insertion point, then {@link #valueAt}, {@link #setValueAt}, {@link #insertAt}. Slots
 * stay valid until the next insertion or removal.
 */
public final class LongIntHashMap {
  private static final long FREE = Long.MIN_VALUE;
  private static final long PHI64 = 0x9E3779B97F4A7C15L;
  private static final int MIN_TABLE = 16;

  private final int missing;
  private long[] keys;
  /** One more than the table: {@code vals[keys.length]} holds the value of {@link #FREE}. */
  private int[] vals;

  private int mask;
  private int shift;
  private int size;
  private boolean hasFreeKey;

  /**
   * @param expectedKeys number of keys the map should hold without resizing
   * @param missingValue what {@link #get} and {@link #remove} return for absent keys
   */
  public LongIntHashMap(int expectedKeys, int missingValue) {
    if (expectedKeys < 0) {
      throw new IllegalArgumentException("expectedKeys < 0: " + expectedKeys);
    }
    this.missing = missingValue;
    allocate(tableSizeFor(expectedKeys));
  }

  /** A map that returns -1 for absent keys. */
  public LongIntHashMap() {
    this(MIN_TABLE / 2, -1);
  }

  private static int tableSizeFor(int keys) {
    long want = Math.max(MIN_TABLE, 2L * keys);
    long pow = Long.highestOneBit(want - 1) << 1;
    if (pow > 1 << 30) {
      throw new IllegalStateException("map too large: " + keys + " keys");
    }
    return (int) pow;
  }

  private void allocate(int tableSize) {
    keys = new long[tableSize];
    Arrays.fill(keys, FREE);
    vals = new int[tableSize + 1];
    mask = tableSize - 1;
    shift = 64 - Integer.numberOfTrailingZeros(tableSize);
  }

  private int home(long key) {
    return (int) ((key * PHI64) >>> shift);
  }

  /** Number of keys. */
  public int size() {
    return size;
  }

  /** The value returned for absent keys. */
  public int missingValue() {
    return missing;
  }

  /**
   * The slot holding {@code key} (>= 0), or {@code -(insertionPoint) - 1} when absent; pass the
   * latter unchanged to {@link #insertAt}.
   */
  public int find(long key) {
    if (key == FREE) {
      return hasFreeKey ? keys.length : -keys.length - 1;
    }
    final long[] k = keys;
    int i = home(key);
    while (true) {
      long here = k[i];
      if (here == key) {
        return i;
      }
      if (here == FREE) {
        return -i - 1;
      }
      i = (i + 1) & mask;
    }
  }

  /** The value in a slot returned by {@link #find}. */
  public int valueAt(int slot) {
    return vals[slot];
  }

  /** Replaces the value in a slot returned by {@link #find}. */
  public void setValueAt(int slot, int value) {
    vals[slot] = value;
  }

  /**
   * Inserts {@code key} (absent) at the insertion point {@code notFound} that {@link #find} just
   * returned for it; no other insertion or removal may come in between.
   */
  public void insertAt(int notFound, long key, int value) {
    int slot = -notFound - 1;
    if (key == FREE) {
      hasFreeKey = true;
    } else {
      keys[slot] = key;
    }
    vals[slot] = value;
    if (++size > (keys.length >>> 1)) {
      rehash(keys.length << 1);
    }
  }

  /** The value of {@code key}, or the missing value. */
  public int get(long key) {
    int slot = find(key);
    return slot >= 0 ? vals[slot] : missing;
  }

  public boolean containsKey(long key) {
    return find(key) >= 0;
  }

  /** Sets the value of {@code key}; returns the previous value or the missing value. */
  public int put(long key, int value) {
    int slot = find(key);
    if (slot >= 0) {
      int old = vals[slot];
      vals[slot] = value;
      return old;
    }
    insertAt(slot, key, value);
    return missing;
  }

  /** Removes {@code key}; returns its value or the missing value. */
  public int remove(long key) {
    int slot = find(key);
    if (slot < 0) {
      return missing;
    }
    int old = vals[slot];
    size--;
    if (key == FREE) {
      hasFreeKey = false;
    } else {
      shiftBack(slot);
    }
    return old;
  }

  /** Closes the gap at {@code gap} by moving back later keys of the run that may live there. */
  private void shiftBack(int gap) {
    final long[] k = keys;
    int i = gap;
    while (true) {
      i = (i + 1) & mask;
      long here = k[i];
      if (here == FREE) {
        break;
      }
      int h = home(here);
      // `here` may fill the gap if its home is not in the cyclic interval (gap, i].
      if (((i - h) & mask) >= ((i - gap) & mask)) {
        k[gap] = here;
        vals[gap] = vals[i];
        gap = i;
      }
    }
    k[gap] = FREE;
  }

  /** Removes every key, keeping the table's size. */
  public void clear() {
    Arrays.fill(keys, FREE);
    hasFreeKey = false;
    size = 0;
  }

  private void rehash(int tableSize) {
    long[] oldKeys = keys;
    int[] oldVals = vals;
    allocate(tableSize);
    vals[keys.length] = oldVals[oldKeys.length];
    for (int i = 0; i < oldKeys.length; i++) {
      long key = oldKeys[i];
      if (key != FREE) {
        int j = home(key);
        while (keys[j] != FREE) {
          j = (j + 1) & mask;
        }
        keys[j] = key;
        vals[j] = oldVals[i];
      }
    }
  }

  /** Receives the entries of a map. */
  @FunctionalInterface
  public interface EntryVisitor {
    void visit(long key, int value);
  }

  /** Visits every entry, in no particular order. The visitor must not insert or remove keys. */
  public void forEach(EntryVisitor visitor) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != FREE) {
        visitor.visit(keys[i], vals[i]);
      }
    }
    if (hasFreeKey) {
      visitor.visit(FREE, vals[keys.length]);
    }
  }

  /**
   * Replaces every value by {@code fn(key, value)} in place (keys and slots do not move).
   */
  public void replaceAll(ValueFunction fn) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != FREE) {
        vals[i] = fn.apply(keys[i], vals[i]);
      }
    }
    if (hasFreeKey) {
      vals[keys.length] = fn.apply(FREE, vals[keys.length]);
    }
  }

  /** A new value computed from an entry. */
  @FunctionalInterface
  public interface ValueFunction {
    int apply(long key, int value);
  }
}
