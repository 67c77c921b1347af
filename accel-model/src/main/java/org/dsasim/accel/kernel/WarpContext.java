package org.dsasim.accel.kernel;

/**
 * What a warp can do in one step of its {@link WarpProgram}: issue loads and stores to the memory
 * hierarchy, then say when it continues. A step ends with exactly one of {@link #waitLoads},
 * {@link #waitScoreboard}, {@link #compute}, {@link #tensor} or {@link #exit} (a last compute
 * step may be marked with {@link #exitAfter}).
 *
 * <p>A load of {@code bytes} at {@code addr} stands for the coalesced accesses of the warp's
 * lanes (e.g. 32 lanes x 16 B = one 512 B request), not one message per lane; the memory side
 * splits it into lines and sectors.
 */
public interface WarpContext {
  /** Current simulated time in picoseconds. */
  long now();

  /** Scoreboards a warp can wait on separately (loads of a group share one). */
  int SCOREBOARDS = 4;

  /**
   * Issues a load on scoreboard {@code scoreboard} (0..{@link #SCOREBOARDS}-1), so that the warp
   * can later wait for some of its loads and not others. {@code l1Cacheable} loads that fit in
   * one line may hit in the compute unit's L1 or merge with an outstanding miss to the same line
   * (index loads shared by neighbouring warps); others go to the memory hierarchy directly.
   */
  void load(long addr, int bytes, int trafficClass, boolean l1Cacheable, int scoreboard);

  /** {@link #load(long, int, int, boolean, int)} on scoreboard 0. */
  default void load(long addr, int bytes, int trafficClass, boolean l1Cacheable) {
    load(addr, bytes, trafficClass, l1Cacheable, 0);
  }

  /**
   * Gathers {@code n} entries of {@code bytesEach} at {@code addrs[from ..]} on one scoreboard,
   * as a bulk gather copy does; the unit may send them as one request (a gather list). The
   * default issues one load per entry.
   */
  default void gather(long[] addrs, int from, int n, int bytesEach, int trafficClass,
      int scoreboard) {
    for (int i = 0; i < n; i++) {
      load(addrs[from + i], bytesEach, trafficClass, false, scoreboard);
    }
  }

  /**
   * Loads {@code n} chunks ({@code addrs[i]}, {@code bytes[i]} bytes) on one scoreboard as one
   * batch, as a bulk copy of several pieces does: the unit may complete the batch with one event
   * when its last chunk is in, the earlier chunks holding their miss-status entries until then.
   * The default issues them one by one.
   */
  default void loadBatch(long[] addrs, int[] bytes, int n, int trafficClass, int scoreboard) {
    for (int i = 0; i < n; i++) {
      load(addrs[i], bytes[i], trafficClass, false, scoreboard);
    }
  }

  /** Issues a store; the warp never waits for it. */
  void store(long addr, int bytes, int trafficClass);

  /**
   * The warp blocks until all its outstanding loads have returned (a blocking miss), then spends
   * {@code cyclesAfter} cycles (consuming the data, computing the next address) before its next
   * step.
   */
  void waitLoads(int cyclesAfter);

  /** Like {@link #waitLoads} but only for the loads issued on {@code scoreboard}. */
  void waitScoreboard(int scoreboard, int cyclesAfter);

  /**
   * The warp executes {@code instructions} warp instructions whose dependent chain takes at least
   * {@code latencyCycles}; instructions compete with other warps for the unit's issue slots.
   */
  void compute(int instructions, int latencyCycles);

  /**
   * The warp does {@code flops} of matrix arithmetic on the unit's tensor pipe ({@code fp8}: at
   * the fp8 rate), shared with the other warps of the unit.
   */
  void tensor(double flops, boolean fp8);

  /** The warp finishes (after its outstanding loads, if any, have returned). */
  void exit();

  /**
   * Called after {@link #compute} or {@link #tensor}: that work is the warp's last, it exits when
   * the work ends (after its outstanding loads, if any) without another step. The unit can then
   * retire a block whose warps all end so with one event instead of one per warp.
   */
  void exitAfter();
}
