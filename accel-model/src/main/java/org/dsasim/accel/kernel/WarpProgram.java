package org.dsasim.accel.kernel;

/**
 * The access program every warp of a kernel runs. One instance serves all warps of one launch;
 * per-warp state lives in arrays indexed by the warp's slot (unique among resident warps), so
 * stepping a warp allocates nothing.
 */
public interface WarpProgram {
  /**
   * A warp starts on {@code slot}: warp {@code warpInBlock} of block {@code block} of the grid.
   */
  void start(int slot, int block, int warpInBlock);

  /** Runs the warp on {@code slot} up to its next wait, compute step or exit. */
  void step(int slot, WarpContext ctx);
}
