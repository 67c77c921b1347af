package org.dsasim.accel.timeline;

import org.dsasim.accel.kernel.Kernel;

/**
 * Told what the device does, as it happens: kernels, blocks on compute units, LLC lookups and
 * HBM transfers. The components call it only when one is set (one null check), so a run that
 * records nothing pays nothing. Arguments are primitives: calls happen on the hot paths.
 */
public interface ActivityObserver {
  /** The memory side has {@code llcPartitions} LLC partitions and {@code hbmChannels} channels. */
  void memoryLayout(int llcPartitions, int hbmChannels);

  void kernelStarted(Kernel kernel, long atPs);

  void kernelFinished(Kernel kernel, long atPs);

  /** A block took its slots on compute unit {@code unit}. */
  void blockStarted(int unit, long atPs);

  /** A block on compute unit {@code unit} retired (its last warp exited). */
  void blockRetired(int unit, long atPs);

  /** A lookup of {@code bytes} in LLC partition {@code partition} (the reservation included). */
  void llcLookup(int partition, boolean hit, int bytes, long atPs);

  /**
   * {@code bytes} crossed the bus of HBM channel {@code channel} from {@code startPs} to
   * {@code endPs}; channel -1 is a bulk transfer spread evenly over every channel.
   */
  void hbmTransfer(int channel, long startPs, long endPs, long bytes);
}
