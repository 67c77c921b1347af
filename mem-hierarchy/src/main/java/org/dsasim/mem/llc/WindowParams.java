package org.dsasim.mem.llc;

import org.dsasim.mem.reservation.KvLayout;

/**
 * NVIDIA's persisting-L2 access-policy window (compute capability 8.0+), as a baseline.
 *
 * <p>A set-aside of {@code setAsideBytes} (at most {@code maxSetAsideFraction} of the LLC: 62.5 %
 * on H100/H200, 75 % on A100) is carved out of the normal capacity. Accesses inside the window
 * {@code [base, base + bytes)} are persisting for a share {@code hitRatio} of its
 * {@code segmentBytes} segments, chosen by a seeded hash of the segment index (the driver's "hit
 * segments"; how it picks them is undocumented). Persisting lines fill only the set-aside and
 * evict, in this order, lines borrowed from it by normal traffic and then other persisting lines
 * (by the replacement policy, LRU by default); normal lines may borrow set-aside frames that hold
 * no persisting line. While the set-aside is non-zero every LLC-memory transfer runs
 * {@code streamingPenalty} slower (measured on H200: a streaming read lost 11 % of its bandwidth
 * whenever the set-aside was at its maximum, window or not; the cause is unknown).
 */
public record WindowParams(
    long setAsideBytes,
    long base,
    long bytes,
    double hitRatio,
    int segmentBytes,
    double streamingPenalty,
    double maxSetAsideFraction,
    long seed) {

  /** The largest window the CUDA driver accepts on H100/H200 (accessPolicyMaxWindowSize). */
  public static final long MAX_WINDOW_H200 = 128L << 20;
  /** The measured loss of streaming bandwidth with the set-aside at its maximum, on H200. */
  public static final double H200_STREAMING_PENALTY = 0.11;
  /** persistingL2CacheMaxSize / l2CacheSize on H200: 37.5 MiB of 60 MiB. */
  public static final double H200_MAX_SET_ASIDE = 0.625;

  private static final long PHI64 = 0x9E3779B97F4A7C15L;

  public WindowParams {
    if (setAsideBytes < 0) {
      throw new IllegalArgumentException("llc.window set-aside must be >= 0, got " + setAsideBytes);
    }
    if (base < 0 || bytes < 0) {
      throw new IllegalArgumentException("llc.window.base and llc.window.bytes must be >= 0");
    }
    if (!(hitRatio >= 0 && hitRatio <= 1)) {
      throw new IllegalArgumentException("llc.window.hit_ratio must be in [0, 1], got " + hitRatio);
    }
    if (segmentBytes < 1) {
      throw new IllegalArgumentException("llc.window.segment must be >= 1, got " + segmentBytes);
    }
    if (!(streamingPenalty >= 0 && streamingPenalty < 1)) {
      throw new IllegalArgumentException(
          "llc.window.streaming_penalty must be in [0, 1), got " + streamingPenalty);
    }
    if (!(maxSetAsideFraction > 0 && maxSetAsideFraction <= 1)) {
      throw new IllegalArgumentException(
          "llc.window.max_set_aside must be in (0, 1], got " + maxSetAsideFraction);
    }
  }

  /**
   * The calibration experiments' setting: a window over the first min(KV buffer, 128 MiB) bytes
   * of the KV buffer with hit ratio min(1, set-aside / window), H200's penalty and cap.
   */
  public static WindowParams overKv(long setAsideBytes, KvLayout layout) {
    long bytes = Math.min(layout.totalBytes(), MAX_WINDOW_H200);
    double ratio = Math.min(1.0, (double) setAsideBytes / bytes);
    return new WindowParams(setAsideBytes, layout.base(), bytes, ratio, 128,
        H200_STREAMING_PENALTY, H200_MAX_SET_ASIDE, 0);
  }

  /** Whether an access to {@code address} is persisting. */
  public boolean isPersisting(long address) {
    long offset = address - base;
    if (offset < 0 || offset >= bytes) {
      return false;
    }
    long h = (offset / segmentBytes + seed) * PHI64;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 32;
    return (h >>> 11) < hitRatio * (1L << 53);
  }
}
