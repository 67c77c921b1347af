package org.dsasim.mem.llc;

import org.dsasim.core.event.EventHandler;

/**
 * Flow control of a memory that takes requests only into reserved queue space (the HBM model's
 * protocol): the LLC reserves space for each request before sending it, and when refused asks to
 * be woken by an event once space frees. Requests never cross an aligned block of
 * {@link #contiguousBytes()} bytes; the LLC splits its fills and write-backs accordingly.
 */
public interface MemoryFlowControl {
  /** Requests must lie inside one aligned block of this many bytes (a power of two). */
  int contiguousBytes();

  /** Reserves queue space for a request; false if there is none now. */
  boolean tryReserve(long addr, int bytes, boolean write);

  /** Schedules {@code handler.onEvent(kind, arg)} once, when space for such a request frees. */
  void awaitSlot(long addr, boolean write, EventHandler handler, int kind, long arg);
}
