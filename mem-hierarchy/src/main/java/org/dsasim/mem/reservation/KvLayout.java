package org.dsasim.mem.reservation;

/**
 * Where the KV cache lives in memory, and which token entry an address belongs to: the one place
 * that maps addresses to (sequence, layer, token) and back.
 *
 * <p>Layout {@code [seq][layer][ctx][entry_bytes]} packed from {@code base}: the entry of token
 * {@code t} of layer {@code l} of sequence {@code s} starts at
 * {@code base + ((s * layers + l) * contextTokens + t) * entryBytes} (the layout of the H200
 * calibration kernels). A KV-gather access belongs to the entry containing its first byte.
 *
 * <p>Token entries are identified by a packed key, {@code seq << 43 | layer << 31 | token}, so a
 * key fits a {@code long} for up to 2^20 sequences, 4096 layers and 2^31 tokens. A <em>unit</em> of
 * {@code n} tokens (one token for a token-granular reservation, 64 for a page-granular one) is
 * keyed the same way with the unit's index {@code token / n} in the token field.
 *
 * @param base address of the first entry; a multiple of the sector size the cache uses
 * @param sequences sequences in the buffer
 * @param layers layers per sequence
 * @param contextTokens token slots per (sequence, layer)
 * @param entryBytes bytes of one token entry of one layer (656 for DeepSeek-V3.2 FP8 MLA)
 */
public record KvLayout(long base, int sequences, int layers, int contextTokens, int entryBytes) {
  static final int SEQ_SHIFT = 43;
  static final int LAYER_SHIFT = 31;
  static final int MAX_SEQUENCES = 1 << 20;
  static final int MAX_LAYERS = 1 << 12;

  public KvLayout {
    if (base < 0) {
      throw new IllegalArgumentException("kv.base must be >= 0, got " + base);
    }
    if (sequences < 1 || sequences > MAX_SEQUENCES) {
      throw new IllegalArgumentException(
          "kv.sequences must be in [1, " + MAX_SEQUENCES + "], got " + sequences);
    }
    if (layers < 1 || layers > MAX_LAYERS) {
      throw new IllegalArgumentException(
          "kv.layers must be in [1, " + MAX_LAYERS + "], got " + layers);
    }
    if (contextTokens < 1) {
      throw new IllegalArgumentException("kv.context must be >= 1, got " + contextTokens);
    }
    if (entryBytes < 1) {
      throw new IllegalArgumentException("kv.entry_bytes must be >= 1, got " + entryBytes);
    }
    long total = Math.multiplyExact(
        Math.multiplyExact((long) sequences * layers, (long) contextTokens), (long) entryBytes);
    Math.addExact(base, total);
  }

  /** Bytes of the whole buffer. */
  public long totalBytes() {
    return (long) sequences * layers * contextTokens * entryBytes;
  }

  /** Whether {@code address} lies inside the buffer. */
  public boolean contains(long address) {
    return address >= base && address - base < totalBytes();
  }

  /** The address of the entry of (sequence, layer, token). */
  public long address(int seq, int layer, int token) {
    return base + (((long) seq * layers + layer) * contextTokens + token) * entryBytes;
  }

  /** The key of the token entry containing {@code address} (which must be inside the buffer). */
  public long keyOf(long address) {
    return unitKeyOf(address, 1);
  }

  /** The key of the unit of {@code unitTokens} tokens containing {@code address}. */
  public long unitKeyOf(long address, int unitTokens) {
    long entry = (address - base) / entryBytes;
    long block = entry / contextTokens; // seq * layers + layer
    int token = (int) (entry - block * contextTokens);
    int seq = (int) (block / layers);
    int layer = (int) (block - (long) seq * layers);
    return key(seq, layer, token / unitTokens);
  }

  /** The address of the first entry of the unit {@code unitKey} of {@code unitTokens} tokens. */
  public long unitAddress(long unitKey, int unitTokens) {
    return address(sequenceOf(unitKey), layerOf(unitKey), tokenOf(unitKey) * unitTokens);
  }

  /** Bytes of the unit {@code unitKey}: the last unit of a context may be short. */
  public int unitBytes(long unitKey, int unitTokens) {
    int first = tokenOf(unitKey) * unitTokens;
    return Math.min(unitTokens, contextTokens - first) * entryBytes;
  }

  public static long key(int seq, int layer, int token) {
    return ((long) seq << SEQ_SHIFT) | ((long) layer << LAYER_SHIFT) | token;
  }

  public static int sequenceOf(long key) {
    return (int) (key >>> SEQ_SHIFT);
  }

  public static int layerOf(long key) {
    return (int) ((key >>> LAYER_SHIFT) & (MAX_LAYERS - 1));
  }

  /** The token (or, for a unit key, the unit index). */
  public static int tokenOf(long key) {
    return (int) (key & ((1L << LAYER_SHIFT) - 1));
  }
}
