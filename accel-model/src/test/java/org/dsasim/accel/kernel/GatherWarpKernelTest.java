package org.dsasim.accel.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class GatherWarpKernelTest {
  @Test
  void roundGroupsFollowTheCompiledLoop() {
    // nvcc: the remainder rounds first (the first alone, the others together), then fours
    assertArrayEquals(new int[][] {{0, 1}}, GatherWarpKernel.roundGroups(1));
    assertArrayEquals(new int[][] {{0, 1}, {1, 2}}, GatherWarpKernel.roundGroups(2));
    assertArrayEquals(new int[][] {{0, 1}, {1, 3}}, GatherWarpKernel.roundGroups(3));
    assertArrayEquals(new int[][] {{0, 4}}, GatherWarpKernel.roundGroups(4));
    assertArrayEquals(new int[][] {{0, 1}, {1, 5}}, GatherWarpKernel.roundGroups(5));
    assertArrayEquals(new int[][] {{0, 1}, {1, 3}, {3, 7}}, GatherWarpKernel.roundGroups(7));
  }
}
