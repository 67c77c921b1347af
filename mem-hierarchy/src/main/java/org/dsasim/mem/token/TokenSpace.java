package org.dsasim.mem.token;

/**
 * The token entries a replay addresses and how the KV buffer holding them is laid out.
 *
 * <p>One entry is the KV record of one token of one layer of one sequence ({@code entryBytes},
 * e.g. 656 B for DeepSeek-V3.2's FP8 MLA). The KV buffer is laid out
 * {@code [seq][layer][contextTokens][entryBytes]}, which only the address-window policy uses.
 *
 * @param layers layers per decode step, 1..65535
 * @param seqs sequences in the batch, 1..65535
 * @param topk the most tokens one (layer, sequence) gathers per step
 * @param pageTokens tokens per KV page of the serving engine's paged layout (e.g. 64)
 * @param entryBytes bytes of one token entry
 * @param contextTokens tokens allocated per (sequence, layer) in the KV buffer, 0 if unknown
 */
public record TokenSpace(
    int layers, int seqs, int topk, int pageTokens, int entryBytes, int contextTokens) {
  /** The largest layer and sequence count a packed key can hold. */
  public static final int MAX_LAYERS_OR_SEQS = 0xFFFF;

  public TokenSpace {
    if (layers < 1 || layers > MAX_LAYERS_OR_SEQS || seqs < 1 || seqs > MAX_LAYERS_OR_SEQS) {
      throw new IllegalArgumentException(
          "layers and seqs must be 1.." + MAX_LAYERS_OR_SEQS + ": " + layers + ", " + seqs);
    }
    if (topk < 1 || pageTokens < 1 || entryBytes < 1 || contextTokens < 0) {
      throw new IllegalArgumentException(
          "topk, pageTokens, entryBytes must be positive and contextTokens >= 0: " + topk + ", "
              + pageTokens + ", " + entryBytes + ", " + contextTokens);
    }
  }

  /** Entries one decode step gathers at most: layers x seqs x topk. */
  public long entriesPerStep() {
    return (long) layers * seqs * topk;
  }

  /**
   * The key of one token entry: sequence in bits 63..48, layer in 47..32, token in 31..0. Tokens
   * are non-negative, so keys never collide and never equal {@link Long#MIN_VALUE}.
   */
  public static long key(int seq, int layer, int token) {
    return ((long) seq << 48) | ((long) layer << 32) | (token & 0xFFFF_FFFFL);
  }

  public static int seqOf(long key) {
    return (int) (key >>> 48);
  }

  public static int layerOf(long key) {
    return (int) (key >>> 32) & 0xFFFF;
  }

  public static int tokenOf(long key) {
    return (int) key;
  }
}
