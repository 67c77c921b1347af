package org.dsasim.mem.llc;

/**
 * Where a line lives inside one LLC: its slice and its set within the slice.
 *
 * <p>{@link #hashed} spreads lines over slices by a strong 64-bit hash, so the number of lines of
 * a contiguous range that land in one set is binomial: some sets overflow well before the cache is
 * full. {@link #balanced} places every aligned block of {@code slices x sets} consecutive line
 * indices on each (slice, set) exactly once, as XOR-based slice hashes of real GPUs do for
 * contiguous ranges; a contiguous footprint of 80 % of the capacity then fills every set to 80 %
 * (on H200 a 24 MiB pointer chase in a 30 MiB partition never misses). The block index is hashed
 * into the slice so that power-of-two strides still spread over the slices.
 *
 * <p>With {@code 2^b} home partitions interleaved by granules of {@code 2^g} lines, the lines
 * homed in one partition are one granule per aligned group of {@code 2^b} granules: the {@code b}
 * address bits above the {@code g} granule bits are left out of the index ({@code dropBits = b},
 * {@code keepBits = g}), which keeps a partition's lines contiguous in its index.
 */
public interface LinePlacement {
  /** The slice that holds {@code line} (a line address: byte address / line size). */
  int sliceOf(long line);

  /** The set inside its slice that holds {@code line}. */
  int setInSlice(long line);

  /** The original placement: SplitMix64 hash of the line modulo the slices, line modulo the sets. */
  static LinePlacement hashed(int slices, int setsPerSlice) {
    return new LinePlacement() {
      @Override
      public int sliceOf(long line) {
        return slices == 1 ? 0 : (int) Long.remainderUnsigned(mix64(line), slices);
      }

      @Override
      public int setInSlice(long line) {
        return (int) Long.remainderUnsigned(line, setsPerSlice);
      }
    };
  }

  /**
   * The balanced placement described above, leaving out the {@code dropBits} line-address bits
   * above the low {@code keepBits}.
   */
  static LinePlacement balanced(int slices, int setsPerSlice, int dropBits, int keepBits) {
    if (dropBits < 0 || dropBits > 16) {
      throw new IllegalArgumentException("dropBits must be in [0, 16], got " + dropBits);
    }
    if (keepBits < 0 || keepBits > 32) {
      throw new IllegalArgumentException("keepBits must be in [0, 32], got " + keepBits);
    }
    long block = (long) slices * setsPerSlice;
    long low = (1L << keepBits) - 1;
    return new LinePlacement() {
      @Override
      public int sliceOf(long line) {
        long index = index(line);
        long rotation = Long.remainderUnsigned(mix64(index / block), slices);
        return (int) ((index / setsPerSlice % slices + rotation) % slices);
      }

      @Override
      public int setInSlice(long line) {
        return (int) (index(line) % setsPerSlice);
      }

      private long index(long line) {
        return ((line >>> (keepBits + dropBits)) << keepBits) | (line & low);
      }
    };
  }

  /** The SplitMix64 finaliser: a bijective 64-bit mix in which every input bit moves every output. */
  static long mix64(long x) {
    long h = x * 0x9E3779B97F4A7C15L;
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    return h ^ (h >>> 31);
  }
}
