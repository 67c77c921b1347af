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
    grow(Math.max(16, initialCapacity));
  }

  /** A free message handle with all fields zero. */
  public int acquire() {
    if (freeCount == 0) {
      grow(capacity * 2);
    }
    int m = freeList[--freeCount];
    live++;
    return m;
  }

  /** Fills a fresh message in one call; returns its handle. */
  public int acquire(
      long address, int size, int cmd, int cls, int requester, long requesterTag, long now) {
    int m = acquire();
    addr[m] = address;
    bytes[m] = size;
    command[m] = cmd;
    trafficClass[m] = cls;
    source[m] = requester;
    tag[m] = requesterTag;
    created[m] = now;
    return m;
  }

  public void release(int m) {
    addr[m] = 0;
    bytes[m] = 0;
    command[m] = 0;
    trafficClass[m] = 0;
    source[m] = 0;
    tag[m] = 0;
    created[m] = 0;
    freeList[freeCount++] = m;
    live--;
  }

  /** Messages acquired and not yet released (a leak check for tests). */
  public int live() {
    return live;
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
    // hand out low handles first: push the new slots in descending order
    for (int m = newCapacity - 1; m >= capacity; m--) {
      freeList[freeCount++] = m;
    }
    capacity = newCapacity;
  }
}
