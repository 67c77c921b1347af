package org.dsasim.accel.memory;

import java.util.function.LongPredicate;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Messages;

/**
 * An analytic two-level memory for tests: each 128 B line of a request is an LLC hit or an HBM
 * miss according to a fixed predicate on its address (no replacement, no state), with one hit
 * latency, one miss latency and an HBM bandwidth shared by all misses. The request is ready
 * when its slowest line is.
 */
public final class TwoLevelMemory extends MemorySystem {
  private static final int LINE = 128;
  private final LongPredicate hit;
  private final long hitPs;
  private final long missPs;
  private final double psPerByte;
  private double hbmFreePs;
  private final MemoryStats stats = new MemoryStats();

  /**
   * @param hit whether the line at a (line-aligned) address is in the LLC
   * @param hitPs load-to-use latency of a hit
   * @param missPs load-to-use latency of a miss, without queueing
   * @param hbmBytesPerSecond bandwidth shared by all misses
   */
  public TwoLevelMemory(Simulator sim, String name, Messages messages, int units,
      LongPredicate hit, long hitPs, long missPs, double hbmBytesPerSecond) {
    super(sim, name, messages, units);
    this.hit = hit;
    this.hitPs = hitPs;
    this.missPs = missPs;
    this.psPerByte = 1e12 / hbmBytesPerSecond;
    stats.hbmChannels = 1;
  }

  @Override
  protected void onRead(int unit, int m) {
    long addr = messages.addr(m);
    int bytes = messages.bytes(m);
    long now = sim.now();
    long ready = now;
    long unloaded = 0;
    byte level = ServedBy.LLC_NEAR;
    for (long line = addr / LINE * LINE; line < addr + bytes; line += LINE) {
      stats.sharedLookups++;
      if (hit.test(line)) {
        stats.sharedHits++;
        ready = Math.max(ready, now + hitPs);
        unloaded = Math.max(unloaded, hitPs);
      } else {
        double start = Math.max(now, hbmFreePs);
        hbmFreePs = start + LINE * psPerByte;
        stats.hbmReadBytes += LINE;
        stats.hbmBusyPs += (long) (LINE * psPerByte);
        ready = Math.max(ready, (long) Math.ceil(hbmFreePs) + missPs);
        unloaded = Math.max(unloaded, missPs + (long) (LINE * psPerByte));
        level = ServedBy.HBM;
      }
    }
    stats.readRequests++;
    stats.readBytes += bytes;
    stats.bytesByLevel[level] += bytes;
    respond(m, level, unloaded, ready);
  }

  @Override
  protected void onWrite(int unit, int m) {
    stats.writeRequests++;
    stats.writeBytes += messages.bytes(m);
  }

  @Override
  public MemoryStats stats() {
    return stats;
  }

  @Override
  public void resetStats() {
    stats.reset();
  }

  @Override
  public String describe() {
    return "two-level analytic memory (hit " + hitPs / 1000.0 + " ns, miss " + missPs / 1000.0
        + " ns)";
  }
}
