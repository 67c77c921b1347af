package org.dsasim.accel.memory;

import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Messages;

/**
 * A memory with one latency and one bandwidth for every request: data is ready after the request
 * has had its turn on a single pipe of {@code bytesPerSecond} plus {@code latencyPs}. Used to test
 * compute-unit timing against hand computations.
 */
public final class FixedLatencyMemory extends MemorySystem {
  private final long latencyPs;
  private final double psPerByte;
  private double pipeFreePs;
  private final MemoryStats stats = new MemoryStats();

  public FixedLatencyMemory(Simulator sim, String name, Messages messages, int units,
      long latencyPs, double bytesPerSecond) {
    super(sim, name, messages, units);
    this.latencyPs = latencyPs;
    this.psPerByte = 1e12 / bytesPerSecond;
  }

  @Override
  protected void onRead(int unit, int m) {
    int bytes = messages.bytes(m);
    double start = Math.max(sim.now(), pipeFreePs);
    pipeFreePs = start + bytes * psPerByte;
    long ready = (long) Math.ceil(pipeFreePs) + latencyPs;
    stats.readRequests++;
    stats.readBytes += bytes;
    stats.bytesByLevel[ServedBy.HBM] += bytes;
    stats.hbmReadBytes += bytes;
    respond(m, ServedBy.HBM, latencyPs + (long) Math.ceil(bytes * psPerByte), ready);
  }

  @Override
  protected void onWrite(int unit, int m) {
    int bytes = messages.bytes(m);
    pipeFreePs = Math.max(sim.now(), pipeFreePs) + bytes * psPerByte;
    stats.writeRequests++;
    stats.writeBytes += bytes;
    stats.hbmWriteBytes += bytes;
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
    return "fixed latency " + latencyPs / 1000.0 + " ns, " + 1e12 / psPerByte / 1e12 + " TB/s";
  }
}
