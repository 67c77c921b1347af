package org.dsasim.core.port;

import java.util.Arrays;

/**
 * Request and response messages as handles into a pool of primitive arrays, so that sending a
 * memory request allocates nothing: {@link #acquire} hands out a free slot (an {@code int}), the
 * fields are set through it, and {@link #release} returns it when the transaction completes.
 *
 * <p>A message carries what the memory hierarchy needs: an address, a size in bytes, a command
 * ({@link #READ}, {@link #WRITE}, optionally flagged {@link #RESPONSE}), a traffic class (KV gather,
 * indexer keys, weights... as the model defines them), the id of the requester that waits for it,
 * a requester-defined tag (e.g. a warp and slot), and the time it was created.
 *
 * <p>Released handles are reused, most recently released first (its fields are still in cache).
 * The pool grows by doubling when every handle is in use; handles stay valid across growth.
 * Releasing a handle that is not in use (twice, or never acquired) throws, since it would
 * otherwise hand the same handle to two transactions later.
 */
public final class Messages {
  public static final int READ = 0;
  public static final int WRITE = 1;
  /** Or-ed into the command of a message travelling back to its requester. */
  public static final int RESPONSE = 0x100;

  private long[] addr;
  private int[] bytes;
  private int[] command;
  private int[] trafficClass;
  private int[] source;
  private long[] tag;
  private long[] created;
  private int[] freeList;
  private boolean[] inUse;
  private int freeCount;
  private int capacity;
  private int live;

  public Messages() {
    this(256);
  }

  public Messages(int initialCapacity) {
    capacity = 0;
    addr = new long[0];
    bytes = new int[0];
    command = new int[0];
    trafficClass = new int[0];
    source = new int[0];
    tag = new long[0];
    created = new long[0];
    freeList = new int[0];
    inUse = new boolean[0];
    grow(Math.max(16, initialCapacity));
  }

  /** A free message handle with all fields zero. */
  public int acquire() {
    int m = take();
    addr[m] = 0;
    bytes[m] = 0;
    command[m] = 0;
    trafficClass[m] = 0;
    source[m] = 0;
    tag[m] = 0;
    created[m] = 0;
    return m;
  }

  private int take() {
    if (freeCount == 0) {
      grow(capacity * 2);
    }
    int m = freeList[--freeCount];
    inUse[m] = true;
    live++;
    return m;
  }

  /** Fills a fresh message in one call; returns its handle. */
  public int acquire(
      long address, int size, int cmd, int cls, int requester, long requesterTag, long now) {
    int m = take();
    addr[m] = address;
    bytes[m] = size;
    command[m] = cmd;
    trafficClass[m] = cls;
    source[m] = requester;
    tag[m] = requesterTag;
    created[m] = now;
    return m;
  }

  /** Returns handle {@code m} to the pool; it must be in use. */
  public void release(int m) {
    if (m < 0 || m >= capacity || !inUse[m]) {
      throw new IllegalStateException("message " + m + " released but not in use");
    }
    inUse[m] = false;
    freeList[freeCount++] = m;
    live--;
  }

  /** Messages acquired and not yet released (a leak check for tests). */
  public int live() {
    return live;
  }

  /** Whether handle {@code m} is acquired and not yet released. */
  public boolean isLive(int m) {
    return m >= 0 && m < capacity && inUse[m];
  }

  /** Number of handles the pool holds, in use or free. */
  public int capacity() {
    return capacity;
  }

  public long addr(int m) {
    return addr[m];
  }

  public int bytes(int m) {
    return bytes[m];
  }

  public int command(int m) {
    return command[m];
  }

  public boolean isWrite(int m) {
    return (command[m] & 0xff) == WRITE;
  }

  public boolean isResponse(int m) {
    return (command[m] & RESPONSE) != 0;
  }

  public int trafficClass(int m) {
    return trafficClass[m];
  }

  public int source(int m) {
    return source[m];
  }

  public long tag(int m) {
    return tag[m];
  }

  public long created(int m) {
    return created[m];
  }

  public void setAddr(int m, long v) {
    addr[m] = v;
  }

  public void setBytes(int m, int v) {
    bytes[m] = v;
  }

  public void setCommand(int m, int v) {
    command[m] = v;
  }

  public void setTrafficClass(int m, int v) {
    trafficClass[m] = v;
  }

  public void setSource(int m, int v) {
    source[m] = v;
  }

  public void setTag(int m, long v) {
    tag[m] = v;
  }

  public void setCreated(int m, long v) {
    created[m] = v;
  }

  /** Turns a request into its response in place. */
  public void markResponse(int m) {
    command[m] |= RESPONSE;
  }

  private void grow(int newCapacity) {
    addr = Arrays.copyOf(addr, newCapacity);
    bytes = Arrays.copyOf(bytes, newCapacity);
    command = Arrays.copyOf(command, newCapacity);
    trafficClass = Arrays.copyOf(trafficClass, newCapacity);
    source = Arrays.copyOf(source, newCapacity);
    tag = Arrays.copyOf(tag, newCapacity);
    created = Arrays.copyOf(created, newCapacity);
    freeList = Arrays.copyOf(freeList, newCapacity);
    inUse = Arrays.copyOf(inUse, newCapacity);
    // hand out low handles first: push the new slots in descending order
    for (int m = newCapacity - 1; m >= capacity; m--) {
      freeList[freeCount++] = m;
    }
    capacity = newCapacity;
  }
}
