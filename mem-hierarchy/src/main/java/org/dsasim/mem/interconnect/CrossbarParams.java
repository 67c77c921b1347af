package org.dsasim.mem.interconnect;

/**
 * Parameters of the crossbar between compute-unit groups and LLC slices.
 *
 * <p>A request from group {@code g} to slice {@code s} travels the group's uplink
 * ({@code requestLatencyPs}, {@code groupBandwidth}), then the slice's downlink
 * ({@code sliceBandwidth}, no latency of its own); the response comes back the same way with
 * {@code responseLatencyPs}. When {@code g}'s partition (group {@code g} belongs to partition
 * {@code g * partitions / groups}, so the groups split evenly between the halves) differs from the
 * slice's, each direction costs {@code crossingLatencyPs} more. Bandwidths are in bytes per second
 * per direction per port; {@code Double.POSITIVE_INFINITY} leaves a port unlimited.
 *
 * <p>A group that carries another LLC partition's requests (see {@link Crossbar#connectRemoteGroup})
 * has {@code crossingBandwidth} instead of {@code groupBandwidth}, and as many more credits than
 * {@code groupBuffer} as it has more bandwidth: the partition crossing carries all the misses of
 * one partition homed in the other, not one group's requests.
 *
 * @param groups compute-unit groups (one port each)
 * @param requestLatencyPs group to crossbar, in ps
 * @param responseLatencyPs crossbar to group, in ps
 * @param crossingLatencyPs extra latency per direction to or from the far partition, in ps
 * @param groupBandwidth bytes per second per direction of each group port
 * @param sliceBandwidth bytes per second per direction of each slice port
 * @param groupBuffer requests a group may have inside the crossbar (its credits)
 * @param crossingBandwidth bytes per second per direction of a group carrying another partition's
 *     requests
 */
public record CrossbarParams(
    int groups,
    long requestLatencyPs,
    long responseLatencyPs,
    long crossingLatencyPs,
    double groupBandwidth,
    double sliceBandwidth,
    int groupBuffer,
    double crossingBandwidth) {

  /** Parameters of a crossbar whose partition crossing (if any) is as wide as its group ports. */
  public CrossbarParams(int groups, long requestLatencyPs, long responseLatencyPs,
      long crossingLatencyPs, double groupBandwidth, double sliceBandwidth, int groupBuffer) {
    this(groups, requestLatencyPs, responseLatencyPs, crossingLatencyPs, groupBandwidth,
        sliceBandwidth, groupBuffer, groupBandwidth);
  }

  public CrossbarParams {
    require(groups >= 1, "interconnect.groups must be >= 1, got " + groups);
    require(requestLatencyPs >= 0, "interconnect.request_latency must be >= 0");
    require(responseLatencyPs >= 0, "interconnect.response_latency must be >= 0");
    require(crossingLatencyPs >= 0, "interconnect.crossing_latency must be >= 0");
    require(groupBandwidth > 0, "interconnect.group_bandwidth must be > 0, got " + groupBandwidth);
    require(sliceBandwidth > 0, "interconnect.slice_bandwidth must be > 0, got " + sliceBandwidth);
    require(groupBuffer >= 1, "interconnect.group_buffer must be >= 1, got " + groupBuffer);
    require(crossingBandwidth > 0,
        "interconnect.crossing_bandwidth must be > 0, got " + crossingBandwidth);
  }

  /**
   * Credits of a group carrying another partition's requests: {@code groupBuffer} scaled by how
   * much wider the crossing is than a group port (Little's law at the same latency), at least
   * {@code groupBuffer}; an unlimited crossing gets every group's credits together.
   */
  public int crossingBuffer() {
    double scale = crossingBandwidth / groupBandwidth;
    if (Double.isInfinite(scale)) {
      scale = groups;
    }
    return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(1, Math.round(scale)) * groupBuffer);
  }

  /** The partition group {@code g} sits in, for a chip of {@code partitions} halves. */
  public int partitionOfGroup(int g, int partitions) {
    return (int) ((long) g * partitions / groups);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
