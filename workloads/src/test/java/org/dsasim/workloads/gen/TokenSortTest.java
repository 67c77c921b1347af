package org.dsasim.workloads.gen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenSortTest {
  @Test
  void sortsRangesOfEveryLengthAndBoundAsArraysSortDoes() {
    SplittableRandom rng = new SplittableRandom(5);
    TokenSort sort = new TokenSort();
    int[] bounds = {1, 2, 63, 64, 65, 4096, 65_548, 1 << 20, Integer.MAX_VALUE};
    for (int bound : bounds) {
      for (int n : new int[] {0, 1, 5, 63, 64, 65, 128, 129, 1000, 5000}) {
        int from = rng.nextInt(10);
        int[] a = new int[from + n + rng.nextInt(10)];
        for (int i = 0; i < a.length; i++) {
          a[i] = rng.nextInt(bound);
        }
        int[] expected = a.clone();
        Arrays.sort(expected, from, from + n);
        sort.sort(a, from, from + n, bound);
        assertArrayEquals(expected, a, "bound " + bound + ", " + n + " values from " + from);
      }
    }
  }
}
