package org.dsasim.accel.kernel;

import org.dsasim.mem.reservation.KvLayout;

/**
 * The calibration kernel {@code gather-flat4}: work items are the (entry, 16 B chunk) pairs of all
 * {@code seqs * topk} entries, flattened; each thread takes 4 items per round, the items of a
 * round {@code T} threads apart ({@code T} = all threads of the grid). For each item it divides
 * to find entry and chunk, loads the entry's index and issues the chunk's load; the four chunk
 * loads are consumed only after the fourth is issued.
 *
 * <p>As compiled (SASS of nvcc 13.0 for sm_90), each item is two dependent 64-bit divisions
 * (item by chunks per entry, then entry by top-k; both on the fast 32-bit path), the entry's
 * index load, the address arithmetic once the index is back, and the chunk load; the next item's
 * divisions come after that chunk load is issued. So per round the warp waits for four index
 * loads in a row, each behind two divisions, while its chunk loads stay outstanding, then for the
 * chunk loads. The 32 lanes of a warp hold 32 consecutive items, i.e. contiguous bytes of one or a
 * few entries, issued as one request per entry touched.
 */
public final class GatherFlat4Kernel extends Kernel {
  private static final int BLOCK_THREADS = 256;
  private static final int ITEMS_PER_THREAD = 4;
  private static final int INDEX_SB = 0;
  private static final int DATA_SB = 1;

  private final KvLayout kv;
  private final int layer;
  private final int topk;
  private final int[] tokens;
  private final int tokensOffset;
  private final long indexAddr;
  private final KernelCosts costs;
  private final int chunks;
  private final long items;

  public GatherFlat4Kernel(String name, String phase, KvLayout kv, int layer, int seqs, int topk,
      int[] tokens, int tokensOffset, long indexAddr, int maxBlocks, KernelCosts costs,
      Launch launch) {
    super(name, phase,
        launch.gridOr((long) seqs * topk * chunks(kv), (long) BLOCK_THREADS * ITEMS_PER_THREAD,
            maxBlocks),
        launch.blockThreadsOr(BLOCK_THREADS), costs.gatherFlat4Registers());
    this.kv = kv;
    this.layer = layer;
    this.topk = topk;
    this.tokens = tokens;
    this.tokensOffset = tokensOffset;
    this.indexAddr = indexAddr;
    this.costs = costs;
    this.chunks = chunks(kv);
    this.items = (long) seqs * topk * chunks;
  }

  /** 16 B chunks per entry. */
  private static int chunks(KvLayout kv) {
    return (kv.entryBytes() + 15) / 16;
  }

  @Override
  public WarpProgram newProgram(int slots) {
    return new Program(slots);
  }

  private final class Program implements WarpProgram {
    private final long threads = (long) gridBlocks() * threadsPerBlock();
    private final int warpsPerBlock = warpsPerBlock();
    private final long[] roundBase; // first item of lane 0 in the current round
    // where the warp is in its round: item k divided is 2k, item k's index loaded is 2k + 1;
    // a round not yet begun is -1
    private final int[] state;

    Program(int slots) {
      roundBase = new long[slots];
      state = new int[slots];
    }

    @Override
    public void start(int slot, int block, int warpInBlock) {
      roundBase[slot] = ((long) block * warpsPerBlock + warpInBlock) * 32;
      state[slot] = -1;
    }

    /** First item of lane 0 for item {@code k} of the current round. */
    private long first(int slot, int k) {
      return roundBase[slot] + k * threads;
    }

    @Override
    public void step(int slot, WarpContext ctx) {
      int st = state[slot];
      if (st >= 0 && st % 2 == 0) {
        // item k divided: load its index, then compute the address once it is back
        issueIndex(ctx, first(slot, st / 2));
        state[slot] = st + 1;
        ctx.waitScoreboard(INDEX_SB, costs.addressCycles());
        return;
      }
      int next = 0;
      if (st > 0) {
        issueChunks(ctx, first(slot, st / 2));
        next = st / 2 + 1;
      }
      if (next < ITEMS_PER_THREAD && first(slot, next) < items) {
        state[slot] = 2 * next;
        ctx.compute(2 * GatherWarpKernel.DIVISION_INSTRUCTIONS, 2 * costs.divisionCycles());
        return;
      }
      if (next == 0) {
        ctx.exit(); // no item left for this warp
        return;
      }
      // all items of the round issued: consume them, then move to the next round
      roundBase[slot] += ITEMS_PER_THREAD * threads;
      state[slot] = -1;
      ctx.waitLoads(costs.consumeCycles());
    }

    private void issueIndex(WarpContext ctx, long it0) {
      long it1 = Math.min(it0 + 32, items);
      long e0 = it0 / chunks;
      long e1 = (it1 - 1) / chunks;
      ctx.load(indexAddr + e0 * 4, (int) (e1 - e0 + 1) * 4, TrafficClass.INDEX, true, INDEX_SB);
    }

    private void issueChunks(WarpContext ctx, long it0) {
      long it1 = Math.min(it0 + 32, items);
      for (long e = it0 / chunks; e * chunks < it1; e++) {
        long c0 = Math.max(it0, e * chunks) - e * chunks;
        long c1 = Math.min(it1, (e + 1) * chunks) - e * chunks;
        int seq = (int) (e / topk);
        int token = tokens[tokensOffset + (int) e];
        long a = kv.address(seq, layer, token) + c0 * 16;
        ctx.load(a, (int) (c1 - c0) * 16, TrafficClass.KV_GATHER, false, DATA_SB);
      }
    }
  }
}
