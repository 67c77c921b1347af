package org.dsasim.accel.system;

import org.dsasim.accel.config.AccelKeys;
import org.dsasim.core.config.Config;
import org.dsasim.accel.gpu.ComputeSpec;
import org.dsasim.accel.gpu.Gpu;
import org.dsasim.accel.kernel.KernelCosts;
import org.dsasim.accel.memory.MemorySystem;
import org.dsasim.accel.memory.PartitionedLlcMemory;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Messages;

/**
 * One simulated device, assembled from a configuration: the event kernel, the message pool, the
 * compute units and a memory side, linked port to port (requests after
 * {@code fastmem.interconnect.request_latency}, responses after
 * {@code fastmem.interconnect.response_latency} at {@code fastmem.interconnect.port_bandwidth} per
 * unit; ideal links when the memory side models the interconnect itself).
 */
public final class Accelerator {
  private final Config config;
  private final Simulator sim;
  private final Messages messages;
  private final ComputeSpec compute;
  private final KernelCosts costs;
  private final Gpu gpu;
  private final MemorySystem memory;
  private final Simulator.StopAt untilIdle;

  /** Builds a memory for the accelerator, given its simulator, message pool and unit count. */
  @FunctionalInterface
  public interface MemoryFactory {
    MemorySystem create(Simulator sim, Messages messages, int units);
  }

  public Accelerator(Config config, MemoryFactory memoryFactory) {
    this.config = config;
    this.sim = new Simulator();
    this.messages = new Messages(4096);
    this.compute = ComputeSpec.from(config);
    this.costs = KernelCosts.from(config);
    this.gpu = new Gpu(sim, "gpu", compute, messages);
    gpu.setLaunchReplay(config.get(AccelKeys.KERNEL_REPLAY));
    this.memory = memoryFactory.create(sim, messages, compute.smCount());
    if (memory.modelsInterconnect()) {
      gpu.connect(memory, 0, 0, Double.POSITIVE_INFINITY);
    } else {
      gpu.connect(memory,
          config.get(AccelKeys.XBAR_REQUEST_LATENCY),
          config.get(AccelKeys.XBAR_RESPONSE_LATENCY),
          config.get(AccelKeys.XBAR_PORT_BANDWIDTH));
    }
    untilIdle = Simulator.StopAt.when(() -> !gpu.busy() && memory.idle());
  }

  /** The device with the fast partitioned LLC and HBM model and a persisting set-aside. */
  public static Accelerator withFastMemory(Config config, long setAsideBytes) {
    return new Accelerator(config, (sim, messages, units) ->
        new PartitionedLlcMemory(sim, "memory", messages, units, config, setAsideBytes));
  }

  public Config config() {
    return config;
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

  /**
   * Runs until every submitted kernel and memory transaction has finished; returns the time. A
   * memory with background events (refresh) is stopped at that moment, its events left queued.
   */
  public long drain() {
    if (memory.hasBackgroundEvents()) {
      sim.run(untilIdle);
    } else {
      sim.run();
    }
    return sim.now();
  }
}
