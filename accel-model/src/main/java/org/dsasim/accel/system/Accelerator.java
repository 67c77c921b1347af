package org.dsasim.accel.system;

import org.dsasim.accel.config.Settings;
import org.dsasim.accel.gpu.ComputeSpec;
import org.dsasim.accel.gpu.Gpu;
import org.dsasim.accel.kernel.KernelCosts;
import org.dsasim.accel.memory.MemorySystem;
import org.dsasim.accel.memory.PartitionedLlcMemory;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Messages;

/**
 * One simulated device, assembled from settings: the event kernel, the message pool, the compute
 * units and a memory side, linked port to port (requests after {@code interconnect.request_latency},
 * responses after {@code interconnect.response_latency} at {@code interconnect.port_bandwidth} per
 * unit).
 */
public final class Accelerator {
  private final Settings settings;
  private final Simulator sim;
  private final Messages messages;
  private final ComputeSpec compute;
  private final KernelCosts costs;
  private final Gpu gpu;
  private final MemorySystem memory;

  /** Builds a memory for the accelerator, given its simulator, message pool and unit count. */
  @FunctionalInterface
  public interface MemoryFactory {
    MemorySystem create(Simulator sim, Messages messages, int units);
  }

  public Accelerator(Settings settings, MemoryFactory memoryFactory) {
    this.settings = settings;
    this.sim = new Simulator();
    this.messages = new Messages(4096);
    this.compute = ComputeSpec.from(settings);
    this.costs = KernelCosts.from(settings);
    this.gpu = new Gpu(sim, "gpu", compute, messages);
    this.memory = memoryFactory.create(sim, messages, compute.smCount());
    gpu.connect(memory,
        settings.timePs("interconnect.request_latency", compute.clockHz()),
        settings.timePs("interconnect.response_latency", compute.clockHz()),
        settings.bandwidth("interconnect.port_bandwidth"));
  }

  /** The device with the built-in partitioned LLC and HBM model, and a persisting set-aside. */
  public static Accelerator withBuiltInMemory(Settings settings, long setAsideBytes) {
    return new Accelerator(settings, (sim, messages, units) ->
        new PartitionedLlcMemory(sim, "memory", messages, units, settings, setAsideBytes));
  }

  public Settings settings() {
    return settings;
  }

  public Simulator sim() {
    return sim;
  }

  public Messages messages() {
    return messages;
  }

  public ComputeSpec compute() {
    return compute;
  }

  public KernelCosts costs() {
    return costs;
  }

  public Gpu gpu() {
    return gpu;
  }

  public MemorySystem memory() {
    return memory;
  }

  /** Runs until every submitted kernel and memory transaction has finished; returns the time. */
  public long drain() {
    sim.run();
    return sim.now();
  }
}
