package org.dsasim.core.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomStreamsTest {
  @Test
  void fnvMatchesThePublishedTestVectors() {
    // From the FNV reference test suite (Fowler, Noll, Vo): FNV-1a 64-bit.
    assertEquals(0xcbf29ce484222325L, RandomStreams.fnv1a64(""));
    assertEquals(0xaf63dc4c8601ec8cL, RandomStreams.fnv1a64("a"));
    assertEquals(0x85944171f73967e8L, RandomStreams.fnv1a64("foobar"));
  }

  @Test
  void fnvAgreesWithArbitraryPrecisionArithmetic() {
    for (String s : new String[] {"system.llc", "hbm.channel7", "naïve-ütf8", "x"}) {
      BigInteger mod = BigInteger.ONE.shiftLeft(64);
      BigInteger h = new BigInteger("cbf29ce484222325", 16);
      for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
        h =
            h.xor(BigInteger.valueOf(b & 0xff))
                .multiply(new BigInteger("100000001b3", 16))
                .mod(mod);
      }
      assertEquals(h.longValue(), RandomStreams.fnv1a64(s), s);
    }
  }

  @Test
  void mixIsSplitMix64() {
    // The first output of SplitMix64 seeded with 0 (Vigna's reference implementation).
    assertEquals(0xe220a8397b1dcdafL, RandomStreams.mix64(0));
  }

  @Test
  void derivedSeedsFollowTheDocumentedFormula() {
    RandomStreams streams = new RandomStreams(42);
    long expected =
        RandomStreams.mix64(RandomStreams.mix64(42) ^ RandomStreams.fnv1a64("system.llc"));
    assertEquals(expected, streams.seedFor("system.llc"));
  }

  @Test
  void streamsAreStableAndDoNotDependOnOtherComponents() {
    long[] alone = draw(new RandomStreams(7).forComponent("workload.generator"), 100);
    RandomStreams crowded = new RandomStreams(7);
    for (int i = 0; i < 50; i++) {
      draw(crowded.forComponent("component" + i), 10);
    }
    long[] afterOthers = draw(crowded.forComponent("workload.generator"), 100);
    assertEquals(java.util.Arrays.toString(alone), java.util.Arrays.toString(afterOthers));
  }

  @Test
  void streamsAreDistinctAcrossNamesAndSeeds() {
    Set<Long> seeds = new HashSet<>();
    for (long global = 0; global < 20; global++) {
      RandomStreams streams = new RandomStreams(global);
      for (int c = 0; c < 200; c++) {
        seeds.add(streams.seedFor("system.cu" + c));
      }
    }
    assertEquals(20 * 200, seeds.size());
    RandomStreams s = new RandomStreams(1);
    assertNotEquals(draw(s.forComponent("a"), 1)[0], draw(s.forComponent("b"), 1)[0]);
  }

  private static long[] draw(SplittableRandom rng, int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = rng.nextLong();
    }
    return out;
  }
}
