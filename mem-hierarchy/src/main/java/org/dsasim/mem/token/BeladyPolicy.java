package org.dsasim.mem.token;

import java.util.Arrays;

/**
 * {@code belady}: the offline optimal token-granular bound (Belady's MIN, with bypass). On a miss
 * the entry whose next use lies furthest in the future leaves, the incoming one included: an entry
 * used never again, or later than every resident, is not inserted at all. No policy that caches
 * only entries it has gathered, and never holds more than the capacity, hits more often.
 *
 * <p>It knows the future from an {@link AccessRecording} of the same stream, which it must then be
 * fed access by access in the recorded order (checked). Residents sit in an indexed binary max-heap
 * on their next-use position: O(log C) per access. Memory: the recording (8 bytes per access) plus
 * 8 bytes per resident and 4 per distinct key.
 */
public final class BeladyPolicy implements TokenCachePolicy {
  private static final int ABSENT = -1;

  private final AccessRecording future;
  private final int capacity;

  /** Heap of resident ids by next use, largest first. */
  private final int[] heapId;

  private final int[] heapNextUse;
  private int size;

  /** Heap position of each id, or ABSENT. */
  private final int[] positionOf;

  private int cursor;

  public BeladyPolicy(int capacityTokens, AccessRecording future) {
    if (capacityTokens < 0) {
      throw new IllegalArgumentException("capacity < 0: " + capacityTokens);
    }
    future.finish();
    this.future = future;
    int distinct = future.distinctKeys();
    this.capacity = capacityTokens;
    int heapSize = Math.min(capacityTokens, distinct);
    this.heapId = new int[heapSize];
    this.heapNextUse = new int[heapSize];
    this.positionOf = new int[distinct];
    Arrays.fill(positionOf, ABSENT);
  }

  @Override
  public boolean access(int seq, int layer, int token) {
    int i = cursor;
    if (i >= future.length()) {
      throw new IllegalStateException("belady: more accesses than the recording holds");
    }
    int id = future.idAt(i);
    if (future.keyOf(id) != TokenSpace.key(seq, layer, token)) {
      throw new IllegalStateException(
          "belady: access "
              + i
              + " (seq "
              + seq
              + ", layer "
              + layer
              + ", token "
              + token
              + ") differs from the recorded stream");
    }
    cursor = i + 1;
    int next = future.nextUse(i);
    int at = positionOf[id];
    if (at != ABSENT) {
      heapNextUse[at] = next; // next > i = the old priority: it can only rise
      siftUp(at);
      return true;
    }
    if (next == AccessRecording.NEVER || heapId.length == 0) {
      return false;
    }
    if (size < heapId.length) {
      place(size, id, next);
      siftUp(size++);
    } else if (heapNextUse[0] > next) {
      positionOf[heapId[0]] = ABSENT;
      place(0, id, next);
      siftDown(0);
    }
    return false;
  }

  private void place(int at, int id, int next) {
    heapId[at] = id;
    heapNextUse[at] = next;
    positionOf[id] = at;
  }

  private void siftUp(int at) {
    int id = heapId[at];
    int next = heapNextUse[at];
    while (at > 0) {
      int parent = (at - 1) >>> 1;
      if (heapNextUse[parent] >= next) {
        break;
      }
      place(at, heapId[parent], heapNextUse[parent]);
      at = parent;
    }
    place(at, id, next);
  }

  private void siftDown(int at) {
    int id = heapId[at];
    int next = heapNextUse[at];
    while (true) {
      int child = 2 * at + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heapNextUse[child + 1] > heapNextUse[child]) {
        child++;
      }
      if (heapNextUse[child] <= next) {
        break;
      }
      place(at, heapId[child], heapNextUse[child]);
      at = child;
    }
    place(at, id, next);
  }

  @Override
  public void endStep() {}

  @Override
  public int capacityTokens() {
    return capacity;
  }
}
