package org.dsasim.mem.llc;

import java.util.List;
import org.dsasim.mem.reservation.KvLayout;
import org.dsasim.mem.reservation.ReservationParams;
import org.dsasim.mem.reservation.Retention;

/**
 * What the LLC does besides plain caching: nothing, a KV reservation, or a persisting window. The
 * baselines a study compares are named configurations of it ({@link #named}):
 *
 * <ul>
 *   <li>{@code none}: a plain shared LLC;
 *   <li>{@code token-lru}: the proposal, a token-granular reservation with LRU over token entries;
 *   <li>{@code prev-topk}: a token reservation keeping only the previous step's top-k
 *       ({@link Retention#PREVIOUS_STEP});
 *   <li>{@code page}: a page-granular reservation, LRU over 64-token pages;
 *   <li>{@code window}: NVIDIA's persisting-L2 window over the KV buffer ({@link WindowParams}).
 * </ul>
 *
 * @param baseline the name it was built from (for reports)
 * @param reservation the KV reservation, or null
 * @param window the persisting window, or null
 */
public record LlcScheme(String baseline, ReservationParams reservation, WindowParams window) {
  public static final List<String> BASELINES =
      List.of("none", "token-lru", "prev-topk", "page", "window");

  /** Tokens per page of the page-granular baseline (serving engines' KV page size). */
  public static final int PAGE_TOKENS = 64;

  public LlcScheme {
    if (reservation != null && window != null) {
      throw new IllegalArgumentException("an LLC has either a reservation or a window, not both");
    }
  }

  public static LlcScheme none() {
    return new LlcScheme("none", null, null);
  }

  public static LlcScheme reservation(String baseline, ReservationParams params) {
    return new LlcScheme(baseline, params, null);
  }

  public static LlcScheme window(WindowParams params) {
    return new LlcScheme("window", null, params);
  }

  /** The baseline called {@code name} with {@code sizeBytes} reserved (or set aside). */
  public static LlcScheme named(String name, long sizeBytes, KvLayout layout) {
    return switch (name) {
      case "none" -> none();
      case "token-lru" -> reservation(name, ReservationParams.tokenLru(sizeBytes));
      case "prev-topk" -> reservation(
          name, ReservationParams.tokenLru(sizeBytes).withRetention(Retention.PREVIOUS_STEP));
      case "page" -> reservation(
          name, ReservationParams.tokenLru(sizeBytes).withUnitTokens(PAGE_TOKENS));
      case "window" -> window(WindowParams.overKv(sizeBytes, layout));
      default -> throw new IllegalArgumentException(
          "unknown baseline '" + name + "', expected one of " + BASELINES);
    };
  }
}
