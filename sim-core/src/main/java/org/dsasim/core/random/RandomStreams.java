package org.dsasim.core.random;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Independent, reproducible random streams for the components of one simulation, all derived from
 * the global seed ({@code sim.seed}).
 *
 * <p>A component's stream depends only on the global seed and the component's name: its seed is
 * {@code mix64(mix64(globalSeed) ^ fnv1a64(utf8(name)))}. Adding, removing or reordering other
 * components therefore never changes it, and the same name gives the same numbers on every JVM (no
 * {@code String.hashCode}, no identity hashes, no wall clock).
 *
 * <pre>{@code
 * RandomStreams streams = new RandomStreams(cfg.get(SimKeys.SEED));
 * SplittableRandom rng = streams.forComponent("system.llc.replacement");
 * }</pre>
 */
public final class RandomStreams {
  private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private final long globalSeed;
  private final long mixedSeed;

  public RandomStreams(long globalSeed) {
    this.globalSeed = globalSeed;
    this.mixedSeed = mix64(globalSeed);
  }

  public long globalSeed() {
    return globalSeed;
  }

  /** The seed of {@code component}'s stream. */
  public long seedFor(String component) {
    return mix64(mixedSeed ^ fnv1a64(component));
  }

  /** A new generator for {@code component}; each call starts the stream from its beginning. */
  public SplittableRandom forComponent(String component) {
    return new SplittableRandom(seedFor(component));
  }

  /** 64-bit FNV-1a of the UTF-8 bytes of {@code text}. */
  public static long fnv1a64(String text) {
    long h = FNV_OFFSET_BASIS;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return h;
  }

  /**
   * SplitMix64's output function applied to {@code x + golden gamma}: a bijection of the longs that
   * spreads nearby inputs (seeds 1, 2, 3) to unrelated outputs.
   */
  public static long mix64(long x) {
    long z = x + GOLDEN_GAMMA;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
