package org.dsasim.mem.token;

/**
 * The token entries a replay addresses and how the KV buffer holding them is laid out.
 *
 * <p>One entry is the KV record of one token of one layer of one sequence ({@code entryBytes}, e.g.
 * 656 B for DeepSeek-V3.2's FP8 MLA). The KV buffer is laid out {@code
 * [seq][layer][contextTokens][entryBytes]}, which only the address-window policy uses.
 *
 * @param layers layers per decode step, 1..65535
 * @param seqs sequences in the batch, 1..32767
 * @param topk the most tokens one (layer, sequence) gathers per step
 * @param pageTokens tokens per KV page of the serving engine's paged layout (e.g. 64)
 * @param entryBytes bytes of one token entry
 * @param contextTokens tokens allocated per (sequence, layer) in the KV buffer, 0 if unknown
 */
public record TokenSpace(
    int layers, int seqs, int topk, int pageTokens, int entryBytes, int contextTokens) {
  /** The most layers a packed key can hold. */
  public static final int MAX_LAYERS = 0xFFFF;

  /** The most sequences a packed key can hold (keeping keys non-negative). */
  public static final int MAX_SEQS = 0x7FFF;

  /** The largest direct range {@link #directKeys} proposes: 2^27 entries. */
  private static final long MAX_DIRECT_KEYS = 1L << 27;

  /** A direct range this small (4 to 8 MiB) is always worth it. */
  private static final long SMALL_DIRECT_KEYS = 1L << 20;

  public TokenSpace {
    if (layers < 1 || layers > MAX_LAYERS || seqs < 1 || seqs > MAX_SEQS) {
      throw new IllegalArgumentException(
          "layers must be 1.."
              + MAX_LAYERS
              + " and seqs 1.."
              + MAX_SEQS
              + ": "
              + layers
              + ", "
              + seqs);
    }
    if (topk < 1 || pageTokens < 1 || entryBytes < 1 || contextTokens < 0) {
      throw new IllegalArgumentException(
          "topk, pageTokens, entryBytes must be positive and contextTokens >= 0: "
              + topk
              + ", "
              + pageTokens
              + ", "
              + entryBytes
              + ", "
              + contextTokens);
    }
  }

  /** Entries one decode step gathers at most: layers x seqs x topk. */
  public long entriesPerStep() {
    return (long) layers * seqs * topk;
  }

  /** Entries the KV buffer holds: seqs x layers x contextTokens (0 when the context is unknown). */
  public long bufferEntries() {
    return (long) seqs * layers * contextTokens;
  }

  /**
   * A key of one token entry for lookup structures: its position in the KV buffer, {@code (seq x
   * layers + layer) x contextTokens + token}, a dense number in {@code [0, bufferEntries())}, when
   * {@code 0 <= token < contextTokens}; otherwise a negative number unique to (seq, layer, token).
   * Dense keys let a {@link org.dsasim.core.reuse.LongIntHashMap} index them directly, keeping each
   * (sequence, layer)'s entries together in memory.
   */
  public long entryIndex(int seq, int layer, int token) {
    if (token >= 0 && token < contextTokens) {
      return ((long) seq * layers + layer) * contextTokens + token;
    }
    return ~key(seq, layer, token);
  }

  /**
   * The direct range worth giving a lookup structure keyed by {@link #entryIndex} that holds up to
   * {@code residents} entries: {@link #bufferEntries} when the context is known and the direct
   * arrays (4 to 8 bytes per buffer entry) cost no more than hashing the residents would (about 48
   * to 64 bytes each), or are small anyway; else 0 (hashing only).
   */
  public int directKeys(long residents) {
    long entries = bufferEntries();
    boolean worthIt = entries <= SMALL_DIRECT_KEYS || entries <= 8 * Math.min(residents, entries);
    return entries > 0 && entries <= MAX_DIRECT_KEYS && worthIt ? (int) entries : 0;
  }

  /**
   * The key of one token entry: sequence in bits 62..48, layer in 47..32, token in 31..0. Keys of
   * non-negative tokens are non-negative and never collide.
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
