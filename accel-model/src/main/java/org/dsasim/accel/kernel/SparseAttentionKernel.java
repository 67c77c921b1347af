package org.dsasim.accel.kernel;

import org.dsasim.mem.reservation.KvLayout;

/**
 * The sparse attention of one layer: for every sequence, gather the KV entries of its selected
 * tokens and attend to them. Blocks take tiles of {@code entriesPerBlock} selected tokens of one
 * sequence; each warp loads its slice of the index list, then gathers its entries
 * {@code inFlight} at a time (one gather of whole entries, as a bulk gather copy), computing on
 * one batch (the attention FLOPs of its entries, on the tensor pipe) while the next is in flight.
 */
public final class SparseAttentionKernel extends Kernel {
  private final KvLayout kv;
  private final int layer;
  private final int[] tokens;
  private final int[] seqOffset; // where sequence s's selection starts in tokens
  private final int[] seqCount; // how many tokens sequence s selected
  private final long[] indexAddr; // device address of sequence s's index list
  private final int entriesPerBlock;
  private final int inFlight;
  private final double flopsPerEntry;
  private final int[] tileFirst; // cumulative tiles per sequence

  public SparseAttentionKernel(String name, String phase, KvLayout kv, int layer, int[] tokens,
      int[] seqOffset, int[] seqCount, long[] indexAddr, int entriesPerBlock, int inFlight,
      double flopsPerEntry, int blockThreads, int registers) {
    this(name, phase, kv, layer, tokens, seqOffset, seqCount, indexAddr, entriesPerBlock,
        inFlight, flopsPerEntry, blockThreads, registers, tileFirst(seqCount, entriesPerBlock));
  }

  /** One block per tile: {@code tileFirst}'s last element is the grid. */
  private SparseAttentionKernel(String name, String phase, KvLayout kv, int layer, int[] tokens,
      int[] seqOffset, int[] seqCount, long[] indexAddr, int entriesPerBlock, int inFlight,
      double flopsPerEntry, int blockThreads, int registers, int[] tileFirst) {
    super(name, phase, tileFirst[seqCount.length], blockThreads, registers);
    this.kv = kv;
    this.layer = layer;
    this.tokens = tokens;
    this.seqOffset = seqOffset;
    this.seqCount = seqCount;
    this.indexAddr = indexAddr;
    this.entriesPerBlock = entriesPerBlock;
    this.inFlight = inFlight;
    this.flopsPerEntry = flopsPerEntry;
    this.tileFirst = tileFirst;
  }

  /** Cumulative tiles of {@code entriesPerBlock} entries: sequence s has tiles [t[s], t[s+1]). */
  private static int[] tileFirst(int[] seqCount, int entriesPerBlock) {
    int[] tileFirst = new int[seqCount.length + 1];
    for (int s = 0; s < seqCount.length; s++) {
      tileFirst[s + 1] = tileFirst[s] + (seqCount[s] + entriesPerBlock - 1) / entriesPerBlock;
    }
    return tileFirst;
  }

  /** Entries this launch gathers. */
  public long entries() {
    long n = 0;
    for (int c : seqCount) {
      n += c;
    }
    return n;
  }

  @Override
  public WarpProgram newProgram(int slots) {
    return new Program(slots);
  }

  private final class Program implements WarpProgram {
    private final int warpsPerBlock = warpsPerBlock();
    private final int perWarp = (entriesPerBlock + warpsPerBlock - 1) / warpsPerBlock;
    private final int[] seq;
    private final int[] nextEntry; // next entry (index into the sequence's selection)
    private final int[] endEntry;
    private final int[] pending; // entries loaded and not yet computed on
    private final int[] phase; // 0: index, then as StreamComputeKernel's batches
    private final long[] batchAddr = new long[inFlight];

    Program(int slots) {
      seq = new int[slots];
      nextEntry = new int[slots];
      endEntry = new int[slots];
      pending = new int[slots];
      phase = new int[slots];
    }

    @Override
    public void start(int slot, int block, int warpInBlock) {
      int s = 0;
      while (tileFirst[s + 1] <= block) {
        s++;
      }
      int first = (block - tileFirst[s]) * entriesPerBlock + warpInBlock * perWarp;
      int last = Math.min(Math.min(first + perWarp, (block - tileFirst[s] + 1) * entriesPerBlock),
          seqCount[s]);
      seq[slot] = s;
      nextEntry[slot] = first;
      endEntry[slot] = Math.max(first, last);
      pending[slot] = 0;
      phase[slot] = 0;
    }

    @Override
    public void step(int slot, WarpContext ctx) {
      int s = seq[slot];
      int ph = phase[slot];
      if (ph == 0) {
        int n = endEntry[slot] - nextEntry[slot];
        if (n <= 0) {
          ctx.exit();
          return;
        }
        ctx.load(indexAddr[s] + nextEntry[slot] * 4L, n * 4, TrafficClass.INDEX, false, 2);
        phase[slot] = 2;
        ctx.waitScoreboard(2, 0);
        return;
      }
      int b = ph - 2; // batches issued so far, doubled (odd: waiting)
      if (b % 2 == 1) {
        phase[slot] = ph + 1;
        ctx.waitScoreboard((b / 2) % 2, 0);
        return;
      }
      int sb = (b / 2) % 2;
      int loaded = 0;
      while (loaded < inFlight && nextEntry[slot] < endEntry[slot]) {
        int token = tokens[seqOffset[s] + nextEntry[slot]];
        batchAddr[loaded] = kv.address(s, layer, token);
        nextEntry[slot]++;
        loaded++;
      }
      if (loaded > 0) {
        ctx.gather(batchAddr, 0, loaded, kv.entryBytes(), TrafficClass.KV_GATHER, sb);
      }
      int compute = pending[slot];
      pending[slot] = loaded;
      if (loaded == 0 && compute == 0) {
        ctx.exit();
        return;
      }
      if (compute > 0 && flopsPerEntry > 0) {
        phase[slot] = loaded > 0 ? ph + 1 : ph + 2;
        ctx.tensor(compute * flopsPerEntry, false);
      } else if (loaded > 0) {
        phase[slot] = ph + 2;
        ctx.waitScoreboard(sb, 0);
      } else {
        ctx.exit();
      }
    }
  }
}
