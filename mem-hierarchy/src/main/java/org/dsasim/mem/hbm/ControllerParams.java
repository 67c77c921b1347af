package org.dsasim.mem.hbm;

/**
 * How each pseudo-channel's memory controller behaves.
 *
 * @param addressMapping name of an {@link AddressMappings} entry
 * @param interleaveBytes interleave chunk of the chunked mappings
 * @param scheduler name of a {@link Schedulers} entry
 * @param pagePolicy whether rows stay open after their last queued access
 * @param readQueue read queue capacity, in access granules (bursts)
 * @param writeQueue write queue capacity, in access granules
 * @param writeHighWatermark queued write bursts at which the controller starts draining writes
 * @param writeLowWatermark queued write bursts at which a drain stops if reads are waiting
 * @param refresh refresh scheme
 * @param frontendLatencyPs fixed controller and PHY latency added to every response, in ps
 */
public record ControllerParams(
    String addressMapping,
    int interleaveBytes,
    String scheduler,
    PagePolicy pagePolicy,
    int readQueue,
    int writeQueue,
    int writeHighWatermark,
    int writeLowWatermark,
    RefreshMode refresh,
    long frontendLatencyPs) {

  /** Row-buffer management. */
  public enum PagePolicy {
    /** Rows stay open until a request to another row of the bank needs it (or refresh). */
    OPEN,
    /**
     * A bank is precharged as soon as no queued request targets its open row (an explicit PREpb
     * at the first legal cycle, rather than RD/WR with auto-precharge).
     */
    CLOSED
  }

  /** How refresh is scheduled. */
  public enum RefreshMode {
    /** No refresh (for idle-latency studies; not a real device). */
    NONE,
    /**
     * REFab every tREFI per pseudo-channel: all banks are precharged (PREab) and blocked for
     * tRFC_ab. Costs roughly tRFC_ab / tREFI of the bandwidth.
     */
    ALL_BANK,
    /**
     * REFpb every tREFI / banks per pseudo-channel, each bank once per tREFI, in any order;
     * the controller picks an idle bank when it can, so refresh mostly hides behind traffic.
     */
    PER_BANK
  }

  public ControllerParams {
    if (addressMapping == null || scheduler == null || pagePolicy == null || refresh == null) {
      throw new IllegalArgumentException(
          "address_mapping, scheduler, page_policy and refresh must all be given");
    }
    if (readQueue < 1 || writeQueue < 1) {
      throw new IllegalArgumentException("read_queue and write_queue must be at least 1, got "
          + readQueue + " and " + writeQueue);
    }
    if (writeLowWatermark < 0 || writeLowWatermark >= writeHighWatermark
        || writeHighWatermark > writeQueue) {
      throw new IllegalArgumentException("write watermarks must satisfy 0 <= write_low_watermark"
          + " < write_high_watermark <= write_queue, got " + writeLowWatermark + ", "
          + writeHighWatermark + ", " + writeQueue);
    }
    if (frontendLatencyPs < 0) {
      throw new IllegalArgumentException("frontend_latency must not be negative, got "
          + frontendLatencyPs + " ps");
    }
    if (interleaveBytes < 1) {
      throw new IllegalArgumentException("interleave must be positive, got " + interleaveBytes);
    }
  }

  public ControllerParams withScheduler(String name) {
    return new ControllerParams(addressMapping, interleaveBytes, name, pagePolicy, readQueue,
        writeQueue, writeHighWatermark, writeLowWatermark, refresh, frontendLatencyPs);
  }

  public ControllerParams withAddressMapping(String name, int interleave) {
    return new ControllerParams(name, interleave, scheduler, pagePolicy, readQueue, writeQueue,
        writeHighWatermark, writeLowWatermark, refresh, frontendLatencyPs);
  }

  public ControllerParams withPagePolicy(PagePolicy policy) {
    return new ControllerParams(addressMapping, interleaveBytes, scheduler, policy, readQueue,
        writeQueue, writeHighWatermark, writeLowWatermark, refresh, frontendLatencyPs);
  }

  public ControllerParams withRefresh(RefreshMode mode) {
    return new ControllerParams(addressMapping, interleaveBytes, scheduler, pagePolicy,
        readQueue, writeQueue, writeHighWatermark, writeLowWatermark, mode, frontendLatencyPs);
  }

  public ControllerParams withFrontendLatencyPs(long ps) {
    return new ControllerParams(addressMapping, interleaveBytes, scheduler, pagePolicy,
        readQueue, writeQueue, writeHighWatermark, writeLowWatermark, refresh, ps);
  }

  public ControllerParams withQueues(int reads, int writes, int high, int low) {
    return new ControllerParams(addressMapping, interleaveBytes, scheduler, pagePolicy, reads,
        writes, high, low, refresh, frontendLatencyPs);
  }
}
