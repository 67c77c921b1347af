package org.dsasim.accel.kernel;

import org.dsasim.mem.reservation.KvLayout;

/**
 * The calibration kernel {@code gather-warp}: one warp per selected entry, grid-stride over the
 * {@code seqs * topk} entries of a layer. A warp loads the entry's index (4 B), then its lanes
 * load 16 B chunks {@code lane, lane+32, ...} of the entry and consume them before the next entry,
 * so each entry is a dependent chain: index, then the entry's load groups.
 *
 * <p>Between loads the warp computes: the entry's sequence (a 64-bit division) before its index
 * load, the address after it, and consumes each group's data.
 *
 * <p>The load groups follow the code nvcc 13.0 generates for the chunk loop (read in its SASS): a
 * loop of {@code R = ceil(chunks / 32)} rounds runs its {@code R mod 4} remainder rounds first,
 * the first one alone and the others together, then groups of four rounds. Each group is one
 * coalesced request of the contiguous bytes of its rounds (32 lanes x 16 B = 512 B per round).
 */
public final class GatherWarpKernel extends Kernel {
  static final int BLOCK_THREADS = 256;
  static final int ROUND_BYTES = 32 * 16;
  /** Instructions of the division's fast path (I2F, MUFU.RCP, IMAD.HI and fix-ups). */
  static final int DIVISION_INSTRUCTIONS = 24;

  private final KvLayout kv;
  private final int layer;
  private final int seqs;
  private final int topk;
  private final int[] tokens;
  private final int tokensOffset;
  private final long indexAddr;
  private final KernelCosts costs;
  private final int[] groupFirstByte;
  private final int[] groupEndByte;

  /**
   * @param kv the KV buffer
   * @param layer the layer gathered
   * @param tokens selected tokens of all sequences, sequence {@code s} at {@code tokensOffset + s
   *     * topk}
   * @param indexAddr device address of the same index array (int32 per entry)
   * @param maxBlocks grid cap (132 * 8 on H200)
   * @param launch an explicit grid and block size (a probe launch), or {@link Launch#DEFAULT}
   */
  public GatherWarpKernel(String name, String phase, KvLayout kv, int layer, int seqs, int topk,
      int[] tokens, int tokensOffset, long indexAddr, int maxBlocks, KernelCosts costs,
      Launch launch) {
    // one warp (32 threads) per entry
    super(name, phase, launch.gridOr((long) seqs * topk * 32, BLOCK_THREADS, maxBlocks),
        launch.blockThreadsOr(BLOCK_THREADS), costs.gatherWarpRegisters());
    this.kv = kv;
    this.layer = layer;
    this.seqs = seqs;
    this.topk = topk;
    this.tokens = tokens;
    this.tokensOffset = tokensOffset;
    this.indexAddr = indexAddr;
    this.costs = costs;
    int chunks = (kv.entryBytes() + 15) / 16;
    int rounds = (chunks + 31) / 32;
    int[][] g = roundGroups(rounds);
    groupFirstByte = new int[g.length];
    groupEndByte = new int[g.length];
    for (int i = 0; i < g.length; i++) {
      groupFirstByte[i] = g[i][0] * ROUND_BYTES;
      groupEndByte[i] = Math.min(g[i][1] * ROUND_BYTES, kv.entryBytes());
    }
  }

  /** Rounds [first, end) issued together, in order, for a loop of {@code rounds} rounds. */
  static int[][] roundGroups(int rounds) {
    int rem = rounds % 4;
    int n = (rem == 0 ? 0 : rem == 1 ? 1 : 2) + rounds / 4;
    int[][] g = new int[n][];
    int i = 0;
    if (rem >= 1) {
      g[i++] = new int[] {0, 1};
    }
    if (rem >= 2) {
      g[i++] = new int[] {1, rem};
    }
    for (int r = rem; r < rounds; r += 4) {
      g[i++] = new int[] {r, r + 4};
    }
    return g;
  }

  /** Load groups per entry (dependent requests after the index). */
  public int groupsPerEntry() {
    return groupFirstByte.length;
  }

  @Override
  public WarpProgram newProgram(int slots) {
    return new Program(slots);
  }

  private final class Program implements WarpProgram {
    private final long[] entry;
    private final int[] phase; // -1: first division; 0: index load; g + 1: load group g
    private final long entries = (long) seqs * topk;
    private final int warpsPerBlock = warpsPerBlock();
    private final long stride = (long) gridBlocks() * warpsPerBlock;

    Program(int slots) {
      entry = new long[slots];
      phase = new int[slots];
    }

    @Override
    public void start(int slot, int block, int warpInBlock) {
      entry[slot] = (long) block * warpsPerBlock + warpInBlock;
      phase[slot] = -1;
    }

    @Override
    public void step(int slot, WarpContext ctx) {
      long e = entry[slot];
      int ph = phase[slot];
      if (ph < 0) {
        phase[slot] = 0;
        ctx.compute(DIVISION_INSTRUCTIONS, costs.divisionCycles());
        return;
      }
      if (ph == 0) {
        if (e >= entries) {
          ctx.exit();
          return;
        }
        ctx.load(indexAddr + e * 4, 4, TrafficClass.INDEX, true);
        phase[slot] = 1;
        ctx.waitLoads(costs.addressCycles());
        return;
      }
      int g = ph - 1;
      int seq = (int) (e / topk);
      int token = tokens[tokensOffset + (int) e];
      long a = kv.address(seq, layer, token);
      ctx.load(a + groupFirstByte[g], groupEndByte[g] - groupFirstByte[g],
          TrafficClass.KV_GATHER, false);
      if (g + 1 < groupFirstByte.length) {
        phase[slot] = ph + 1;
        ctx.waitLoads(costs.consumeCycles());
      } else {
        // consume the last group, then divide for the next entry (if the loop goes on)
        phase[slot] = 0;
        entry[slot] = e + stride;
        ctx.waitLoads(costs.consumeCycles() + (e + stride < entries ? costs.divisionCycles() : 0));
      }
    }
  }
}
