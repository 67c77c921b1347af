package org.dsasim.accel.calibrate;

/**
 * One decode-step gather experiment in the layout of the H200 calibration set: a KV buffer
 * {@code [seq][layer][ctx][entry_bytes]}, {@code steps} decode steps in a CUDA graph, each running
 * per layer a gather kernel and, if {@code streamMb > 0}, a stream kernel of that many MiB.
 * Measured values are NaN where a file does not give them. {@code launch} is an explicit grid and
 * block size (optional columns {@code grid, block}, for probe launches), normally the default.
 */
public record CalibrationRow(
    String id,
    String kernel,
    int seqs,
    int layers,
    int ctx,
    int entryBytes,
    int topk,
    double persist,
    int streamMb,
    boolean l2Window,
    int steps,
    double measuredStepUs,
    double measuredGatherUs,
    double measuredStreamUs,
    org.dsasim.accel.kernel.Launch launch) {

  public static final String GATHER_WARP = "gather-warp";
  public static final String GATHER_FLAT4 = "gather-flat4";
  /** Blocks that exit at once: the launch-overhead probe. */
  public static final String EMPTY = "empty";
}
