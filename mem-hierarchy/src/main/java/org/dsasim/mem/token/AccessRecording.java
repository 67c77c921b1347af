package org.dsasim.mem.token;

import java.util.Arrays;
import org.dsasim.core.reuse.LongIntHashMap;

/**
 * A whole access stream kept in memory with, for every access, the position of the next access to
 * the same entry: the knowledge of the future that offline policies ({@code belady}) need.
 *
 * <p>Recording maps each key to a dense id once (an open-addressing map over distinct keys) and
 * stores one int per access; {@link #finish} adds the next-use positions in one backward pass.
 * Memory: 8 bytes per access plus about 50 bytes per distinct key; at most 2^31 - 1 accesses.
 */
public final class AccessRecording {
  /** Next-use position of an access whose entry is never used again. */
  public static final int NEVER = Integer.MAX_VALUE;

  /** The most accesses one recording holds. */
  public static final long MAX_ACCESSES = Integer.MAX_VALUE - 8;

  private final LongIntHashMap idOfKey = new LongIntHashMap(1 << 12, -1);
  private long[] keyOfId = new long[1 << 12];
  private int[] idAt = new int[1 << 16];
  private int length;
  private int[] stepEnd = new int[64];
  private int steps;
  private int[] nextUse;

  /** Appends an access to {@code key}. */
  public void record(long key) {
    if (nextUse != null) {
      throw new IllegalStateException("recording already finished");
    }
    int slot = idOfKey.find(key);
    int id;
    if (slot >= 0) {
      id = idOfKey.valueAt(slot);
    } else {
      id = idOfKey.size();
      idOfKey.insertAt(slot, key, id);
      if (id == keyOfId.length) {
        keyOfId = Arrays.copyOf(keyOfId, 2 * id);
      }
      keyOfId[id] = key;
    }
    if (length == idAt.length) {
      if (length >= MAX_ACCESSES) {
        throw new IllegalStateException(
            "an offline policy needs the whole trace in memory and supports at most "
                + MAX_ACCESSES
                + " accesses");
      }
      idAt = Arrays.copyOf(idAt, (int) Math.min(MAX_ACCESSES, 2L * length));
    }
    idAt[length++] = id;
  }

  /** Marks the end of a decode step. */
  public void endStep() {
    if (steps == stepEnd.length) {
      stepEnd = Arrays.copyOf(stepEnd, 2 * steps);
    }
    stepEnd[steps++] = length;
  }

  /** Computes the next-use positions; no more accesses may be recorded afterwards. */
  public void finish() {
    if (nextUse != null) {
      return;
    }
    if (length > (steps == 0 ? 0 : stepEnd[steps - 1])) {
      endStep(); // the last step was not closed
    }
    nextUse = new int[length];
    int[] nextOfId = new int[idOfKey.size()];
    Arrays.fill(nextOfId, NEVER);
    for (int i = length - 1; i >= 0; i--) {
      int id = idAt[i];
      nextUse[i] = nextOfId[id];
      nextOfId[id] = i;
    }
  }

  /** Number of accesses recorded. */
  public int length() {
    return length;
  }

  /** Number of distinct keys recorded; ids are 0..distinctKeys()-1 in order of first access. */
  public int distinctKeys() {
    return idOfKey.size();
  }

  /** Dense id of the key of access {@code i}. */
  public int idAt(int i) {
    return idAt[i];
  }

  public long keyOf(int id) {
    return keyOfId[id];
  }

  /** Position of the next access to the entry of access {@code i}, or {@link #NEVER}. */
  public int nextUse(int i) {
    if (nextUse == null) {
      throw new IllegalStateException("recording not finished");
    }
    return nextUse[i];
  }

  /** Number of decode steps (known once finished). */
  public int steps() {
    return steps;
  }

  /** Position one past the last access of step {@code s}. */
  public int stepEnd(int s) {
    return stepEnd[s];
  }
}
