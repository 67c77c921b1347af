package org.dsasim.core.reuse;

import java.util.Arrays;

/**
 * An open-addressing map from {@code long} keys to {@code int} values, for hot paths that must not
 * allocate per operation (no boxing, no entry objects).
 *
 * <p>Linear probing over a power-of-two table kept at most half full, with Fibonacci hashing (the
 * key times 2^64/phi, top bits), which spreads packed keys such as (sequence, layer, token) whose
 * low fields vary fastest. A slot holds its key and value side by side, so a lookup costs one cache
 * miss. Removal shifts the following run back (no tombstones), so lookups stay short however many
 * keys come and go. Every {@code long} is a valid key: {@link Long#MIN_VALUE}, which marks free
 * slots inside the table, is kept in a field of its own.
 *
 * <p>Optionally, keys in a <em>direct range</em> {@code [0, directKeys)} bypass the table and live
 * in a plain array indexed by the key (4 bytes per key of the range, whether used or not): no
 * hashing, and keys that are numerically close stay close in memory, which keeps a hot region of
 * the key space in the processor's caches. Worth it when most of the range is used, e.g. token
 * entries numbered by their position in a KV buffer. A direct key cannot hold the missing value.
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

  /** Slots are two array elements each: 2^29 slots fill the largest Java array. */
  private static final int MAX_TABLE = 1 << 29;

  /** Slot numbers above the table's: one for {@link #FREE}, then the direct range. */
  private static final int MAX_DIRECT_KEYS = Integer.MAX_VALUE - MAX_TABLE - 1;

  private final int missing;

  /**
   * Slot i holds its key at {@code 2i} and its value at {@code 2i + 1}, so that a probe that finds
   * the key has the value in the same cache line.
   */
  private long[] table;

  /** Number of slots of the table, a power of two; also the slot number of {@link #FREE}. */
  private int capacity;

  private int mask;
  private int shift;
  private int size;

  /** Keys held in the table (not the direct range, not {@link #FREE}). */
  private int tableKeys;

  private boolean hasFreeKey;
  private int freeKeyValue;

  /** Values of the direct keys, {@code missing} where absent; slot of key k is capacity + 1 + k. */
  private final int[] direct;

  /**
   * @param expectedKeys number of keys outside the direct range the map should hold without
   *     resizing
   * @param missingValue what {@link #get} and {@link #remove} return for absent keys
   * @param directKeys keys {@code 0..directKeys-1} are held in a direct array (0: none)
   */
  public LongIntHashMap(int expectedKeys, int missingValue, int directKeys) {
    if (expectedKeys < 0 || directKeys < 0 || directKeys > MAX_DIRECT_KEYS) {
      throw new IllegalArgumentException(
          "expectedKeys must be >= 0 and directKeys 0.."
              + MAX_DIRECT_KEYS
              + ": "
              + expectedKeys
              + ", "
              + directKeys);
    }
    this.missing = missingValue;
    this.direct = new int[directKeys];
    Arrays.fill(direct, missingValue);
    allocate(tableSizeFor(expectedKeys));
  }

  /** A map without a direct range. */
  public LongIntHashMap(int expectedKeys, int missingValue) {
    this(expectedKeys, missingValue, 0);
  }

  /** A map that returns -1 for absent keys. */
  public LongIntHashMap() {
    this(MIN_TABLE / 2, -1);
  }

  private static int tableSizeFor(int keys) {
    long want = Math.max(MIN_TABLE, 2L * keys);
    long pow = Long.highestOneBit(want - 1) << 1;
    if (pow > MAX_TABLE) {
      throw new IllegalStateException("map too large: " + keys + " keys");
    }
    return (int) pow;
  }

  private void allocate(int tableSize) {
    table = new long[2 * tableSize];
    for (int i = 0; i < table.length; i += 2) {
      table[i] = FREE;
    }
    capacity = tableSize;
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

  /** Size of the direct range. */
  public int directKeys() {
    return direct.length;
  }

  /**
   * The slot holding {@code key} (>= 0), or {@code -(insertionPoint) - 1} when absent; pass the
   * latter unchanged to {@link #insertAt}.
   */
  public int find(long key) {
    if (key >= 0 && key < direct.length) {
      int slot = capacity + 1 + (int) key;
      return direct[(int) key] != missing ? slot : -slot - 1;
    }
    if (key == FREE) {
      return hasFreeKey ? capacity : -capacity - 1;
    }
    final long[] t = table;
    int i = home(key);
    while (true) {
      long here = t[2 * i];
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
    if (slot < capacity) {
      return (int) table[2 * slot + 1];
    }
    return slot == capacity ? freeKeyValue : direct[slot - capacity - 1];
  }

  /** Replaces the value in a slot returned by {@link #find}. */
  public void setValueAt(int slot, int value) {
    if (slot < capacity) {
      table[2 * slot + 1] = value;
    } else if (slot == capacity) {
      freeKeyValue = value;
    } else {
      direct[slot - capacity - 1] = checkDirect(value);
    }
  }

  private int checkDirect(int value) {
    if (value == missing) {
      throw new IllegalArgumentException("a direct key cannot hold the missing value " + missing);
    }
    return value;
  }

  /**
   * Inserts {@code key} (absent) at the insertion point {@code notFound} that {@link #find} just
   * returned for it; no other insertion or removal may come in between.
   */
  public void insertAt(int notFound, long key, int value) {
    int slot = -notFound - 1;
    if (slot > capacity) {
      direct[slot - capacity - 1] = checkDirect(value);
      size++;
      return;
    }
    size++;
    if (slot == capacity) {
      hasFreeKey = true;
      freeKeyValue = value;
    } else {
      table[2 * slot] = key;
      table[2 * slot + 1] = value;
      if (++tableKeys > (capacity >>> 1)) {
        if (capacity == MAX_TABLE) {
          throw new IllegalStateException("map full: " + tableKeys + " keys in the table");
        }
        rehash(capacity << 1);
      }
    }
  }

  /** The value of {@code key}, or the missing value. */
  public int get(long key) {
    int slot = find(key);
    return slot >= 0 ? valueAt(slot) : missing;
  }

  public boolean containsKey(long key) {
    return find(key) >= 0;
  }

  /** Sets the value of {@code key}; returns the previous value or the missing value. */
  public int put(long key, int value) {
    int slot = find(key);
    if (slot >= 0) {
      int old = valueAt(slot);
      setValueAt(slot, value);
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
    int old = valueAt(slot);
    size--;
    if (slot > capacity) {
      direct[slot - capacity - 1] = missing;
    } else if (slot == capacity) {
      hasFreeKey = false;
    } else {
      tableKeys--;
      shiftBack(slot);
    }
    return old;
  }

  /** Closes the gap at {@code gap} by moving back later keys of the run that may live there. */
  private void shiftBack(int gap) {
    final long[] t = table;
    int i = gap;
    while (true) {
      i = (i + 1) & mask;
      long here = t[2 * i];
      if (here == FREE) {
        break;
      }
      int h = home(here);
      // `here` may fill the gap if its home is not in the cyclic interval (gap, i].
      if (((i - h) & mask) >= ((i - gap) & mask)) {
        t[2 * gap] = here;
        t[2 * gap + 1] = t[2 * i + 1];
        gap = i;
      }
    }
    t[2 * gap] = FREE;
  }

  /** Removes every key, keeping the table's size. */
  public void clear() {
    for (int i = 0; i < table.length; i += 2) {
      table[i] = FREE;
    }
    Arrays.fill(direct, missing);
    hasFreeKey = false;
    size = 0;
    tableKeys = 0;
  }

  private void rehash(int tableSize) {
    long[] old = table;
    allocate(tableSize);
    for (int i = 0; i < old.length; i += 2) {
      long key = old[i];
      if (key != FREE) {
        int j = home(key);
        while (table[2 * j] != FREE) {
          j = (j + 1) & mask;
        }
        table[2 * j] = key;
        table[2 * j + 1] = old[i + 1];
      }
    }
  }

  /** Receives the entries of a map. */
  @FunctionalInterface
  public interface EntryVisitor {
    void visit(long key, int value);
  }

  /**
   * Visits every entry: the direct range in key order, then the rest in no particular order. The
   * visitor must not insert or remove keys.
   */
  public void forEach(EntryVisitor visitor) {
    for (int k = 0; k < direct.length; k++) {
      if (direct[k] != missing) {
        visitor.visit(k, direct[k]);
      }
    }
    for (int i = 0; i < table.length; i += 2) {
      if (table[i] != FREE) {
        visitor.visit(table[i], (int) table[i + 1]);
      }
    }
    if (hasFreeKey) {
      visitor.visit(FREE, freeKeyValue);
    }
  }

  /**
   * Replaces every value by {@code fn(key, value)} in place (keys and slots do not move). The
   * function must not return the missing value for a direct key.
   */
  public void replaceAll(ValueFunction fn) {
    for (int k = 0; k < direct.length; k++) {
      if (direct[k] != missing) {
        direct[k] = checkDirect(fn.apply(k, direct[k]));
      }
    }
    for (int i = 0; i < table.length; i += 2) {
      if (table[i] != FREE) {
        table[i + 1] = fn.apply(table[i], (int) table[i + 1]);
      }
    }
    if (hasFreeKey) {
      freeKeyValue = fn.apply(FREE, freeKeyValue);
    }
  }

  /** A new value computed from an entry. */
  @FunctionalInterface
  public interface ValueFunction {
    int apply(long key, int value);
  }
}
