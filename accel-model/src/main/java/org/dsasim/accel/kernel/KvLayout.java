package org.dsasim.accel.kernel;

/**
 * Where the KV entry of a token lives: one buffer laid out {@code [seq][layer][ctx][entry_bytes]}
 * from {@code base}, with room for {@code ctxCapacity} tokens per sequence and layer. The same
 * mapping answers the reverse question (which token an address belongs to) for token-granular
 * cache policies.
 */
public record KvLayout(long base, int seqs, int layers, int ctxCapacity, int entryBytes) {

  public KvLayout {
    if (seqs < 1 || layers < 1 || ctxCapacity < 1 || entryBytes < 1 || base < 0) {
      throw new IllegalArgumentException("KV layout needs positive seqs, layers, ctx, entry bytes");
    }
  }

  public long address(int seq, int layer, int token) {
    return base + (((long) seq * layers + layer) * ctxCapacity + token) * entryBytes;
  }

  public long bytes() {
    return (long) seqs * layers * ctxCapacity * entryBytes;
  }

  public boolean contains(long addr) {
    return addr >= base && addr < base + bytes();
  }

  /** The packed (seq, layer, token) key of the entry holding {@code addr}; see {@link #key}. */
  public long keyOf(long addr) {
    long entry = (addr - base) / entryBytes;
    int token = (int) (entry % ctxCapacity);
    long sl = entry / ctxCapacity;
    return key((int) (sl / layers), (int) (sl % layers), token);
  }

  /** Packs (seq, layer, token) into one long: 16 bits seq, 12 bits layer, 32 bits token. */
  public static long key(int seq, int layer, int token) {
    return ((long) seq << 44) | ((long) layer << 32) | (token & 0xffffffffL);
  }
}
