package org.dsasim.mem.token;

import java.util.Arrays;

/**
 * {@code prev-topk}: keep only the previous step's top-k. A gather hits iff the same (layer,
 * sequence) selected the token at the previous decode step, i.e. the hit rate is one minus the "new
 * lookups" fraction of the DSA literature.
 *
 * <p>Capacity: each (layer, sequence) keeps at most {@code q = min(topk, floor(C / (layers x
 * seqs)))} tokens of its previous selection, the first {@code q} distinct ones in the order the
 * trace stores them; traces store selections in rank order, so these are the previous step's top-q.
 * With {@code C >= layers x seqs x topk} the whole previous top-k is kept.
 *
 * <p>The capacity counts what is kept between steps. While a (layer, sequence) is being gathered
 * its previous selection (still needed for hits) and its new one (being written) coexist, so at
 * that moment up to {@code C + q} entries are held; the Belady bound that applies to this policy is
 * therefore Belady at {@code C + q}, not at {@code C}.
 *
 * <p>Implementation: per (layer, sequence) two small open-addressing token sets, one for even and
 * one for odd steps, whose slots carry the step that wrote them, so a set empties itself when its
 * step is over: O(1) per access and no clearing between steps. Memory: about {@code 32 x q x layers
 * x seqs} bytes.
 */
public final class PrevTopKPolicy implements TokenCachePolicy {
  private static final int NEVER_WRITTEN = Integer.MIN_VALUE;
  private static final int PHI32 = 0x9E3779B9;

  private final int capacityTokens;
  private final int seqs;
  private final int quota;
  private final int tableBits;
  private final int tableMask;

  /** Slot j of the set of (group g, step parity p) is at ((g * 2 + p) << tableBits) + j. */
  private final int[] slotToken;

  private final int[] slotStep;
  private final int[] admittedCount;
  private final int[] admittedStep;
  private int step;

  public PrevTopKPolicy(int capacityTokens, TokenSpace space) {
    if (capacityTokens < 0) {
      throw new IllegalArgumentException("capacity < 0: " + capacityTokens);
    }
    this.capacityTokens = capacityTokens;
    this.seqs = space.seqs();
    int groups = space.layers() * space.seqs();
    this.quota = (int) Math.min(space.topk(), capacityTokens / (long) groups);
    int tableSize = Math.max(2, Integer.highestOneBit(Math.max(1, 2 * quota - 1)) << 1);
    this.tableBits = Integer.numberOfTrailingZeros(tableSize);
    this.tableMask = tableSize - 1;
    long slots = quota == 0 ? 0 : 2L * groups * tableSize;
    if (slots > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "prev-topk with "
              + quota
              + " tokens for each of "
              + groups
              + " (layer, sequence) pairs needs more than 2^31 slots");
    }
    this.slotToken = new int[(int) slots];
    this.slotStep = new int[(int) slots];
    Arrays.fill(slotStep, NEVER_WRITTEN);
    this.admittedCount = new int[groups];
    this.admittedStep = new int[groups];
  }

  /** Tokens kept per (layer, sequence): q in the class comment. */
  public int quota() {
    return quota;
  }

  @Override
  public boolean access(int seq, int layer, int token) {
    if (quota == 0) {
      return false;
    }
    int group = layer * seqs + seq;
    int previousSet = ((group << 1) | ((step - 1) & 1)) << tableBits;
    boolean hit = contains(previousSet, token, step - 1);
    if (admittedStep[group] != step) {
      admittedStep[group] = step;
      admittedCount[group] = 0;
    }
    if (admittedCount[group] < quota) {
      int currentSet = ((group << 1) | (step & 1)) << tableBits;
      if (addIfAbsent(currentSet, token)) {
        admittedCount[group]++;
      }
    }
    return hit;
  }

  private int home(int token) {
    return (token * PHI32) >>> (32 - tableBits);
  }

  private boolean contains(int set, int token, int writtenAt) {
    for (int j = home(token); ; j = (j + 1) & tableMask) {
      if (slotStep[set + j] != writtenAt) {
        return false;
      }
      if (slotToken[set + j] == token) {
        return true;
      }
    }
  }

  /** Adds {@code token} to the current step's set; false if it is there already. */
  private boolean addIfAbsent(int set, int token) {
    for (int j = home(token); ; j = (j + 1) & tableMask) {
      if (slotStep[set + j] != step) {
        slotStep[set + j] = step;
        slotToken[set + j] = token;
        return true;
      }
      if (slotToken[set + j] == token) {
        return false;
      }
    }
  }

  @Override
  public void endStep() {
    step++;
  }

  @Override
  public int capacityTokens() {
    return capacityTokens;
  }
}
