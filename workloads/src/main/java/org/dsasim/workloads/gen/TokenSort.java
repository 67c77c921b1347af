package org.dsasim.workloads.gen;

import java.util.Arrays;

/**
 * Sorts token indices (non-negative ints below a known bound) in place, for the generators'
 * selections: a least-significant-digit radix sort in 6-bit digits, so a selection of 128 tokens
 * in a 64K context takes three passes of a few hundred simple steps instead of a comparison sort's
 * mispredicted branches (the sort was a third of the {@code dsa} generator's time). Short ranges
 * use {@link Arrays#sort}. Reuses its buffers: nothing is allocated once they have grown.
 */
final class TokenSort {
  private static final int DIGIT_BITS = 6;
  private static final int RADIX = 1 << DIGIT_BITS;
  /** Ranges shorter than this are sorted by comparison (insertion sort wins there). */
  private static final int RADIX_MIN = 64;

  private final int[] counts = new int[RADIX];
  private int[] buffer = new int[0];

  /** Sorts {@code a[from, to)}, whose values lie in [0, bound). */
  void sort(int[] a, int from, int to, int bound) {
    int n = to - from;
    if (n < RADIX_MIN) {
      Arrays.sort(a, from, to);
      return;
    }
    if (buffer.length < n) {
      buffer = new int[Math.max(n, 2 * buffer.length)];
    }
    int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, bound - 1));
    int[] src = a;
    int srcFrom = from;
    int[] dst = buffer;
    int dstFrom = 0;
    for (int shift = 0; shift < bits; shift += DIGIT_BITS) {
      Arrays.fill(counts, 0);
      for (int i = srcFrom; i < srcFrom + n; i++) {
        counts[(src[i] >>> shift) & (RADIX - 1)]++;
      }
      int at = dstFrom;
      for (int d = 0; d < RADIX; d++) {
        int c = counts[d];
        counts[d] = at;
        at += c;
      }
      for (int i = srcFrom; i < srcFrom + n; i++) {
        int v = src[i];
        dst[counts[(v >>> shift) & (RADIX - 1)]++] = v;
      }
      int[] t = src;
      src = dst;
      dst = t;
      int f = srcFrom;
      srcFrom = dstFrom;
      dstFrom = f;
    }
    if (src != a) {
      System.arraycopy(src, srcFrom, a, from, n);
    }
  }
}
