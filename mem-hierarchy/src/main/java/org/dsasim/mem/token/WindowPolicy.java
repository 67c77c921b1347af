package org.dsasim.mem.token;

/**
 * {@code window}: what GPUs offer today, NVIDIA's persisting-L2 access-policy window over the KV
 * buffer, modelled at token granularity.
 *
 * <p>The hardware: a set-aside of the L2 is reserved for persisting lines; an access-policy window
 * {@code [base, base + size)} marks a fraction {@code hitRatio} of its lines persisting (which ones
 * is "random with probability approximately hitRatio", chosen per address segment by the hardware);
 * persisting lines compete for the set-aside; other lines use the normal L2.
 *
 * <p>The model, with its approximations:
 *
 * <ul>
 *   <li>The KV buffer is laid out {@code [seq][layer][contextTokens][entryBytes]} from address 0;
 *       token {@code t} of {@code (seq, layer)} starts at {@code ((seq x layers + layer) x
 *       contextTokens + t) x entryBytes}.
 *   <li>The window is cut into segments of {@code segmentBytes} from its base; a segment persists
 *       iff a seeded hash of its index, read as a fraction in [0, 1), is below {@code hitRatio}. A
 *       token entry persists iff the segment holding its first byte does (real hardware decides per
 *       line, so an entry can be partly persisting; the expected persisting bytes agree).
 *   <li>The set-aside holds {@code C} whole entries ({@code C x entryBytes} bytes) and evicts the
 *       least recently used persisting entry, as the project studies LRU reservations; real
 *       over-subscribed set-asides thrash in ways NVIDIA does not document.
 *   <li>Only the set-aside is modelled. Entries outside the window, in non-persisting segments, or
 *       at token indices beyond {@code contextTokens} count as misses: between two uses of a
 *       layer's tokens a whole decode step's traffic passes through the normal L2 (the premise of
 *       the reservation). Normal lines borrowing unused set-aside space are not modelled.
 * </ul>
 */
public final class WindowPolicy implements TokenCachePolicy {
  /**
   * The window's parameters.
   *
   * @param baseBytes start of the window in the KV buffer
   * @param sizeBytes bytes the window covers ({@code num_bytes}; hardware caps it at {@link
   *     #MAX_HARDWARE_WINDOW_BYTES})
   * @param hitRatio fraction of the window's segments that persist, 0..1
   * @param segmentBytes granularity at which persistence is decided
   * @param seed seed of the hash choosing the persisting segments
   */
  public record Window(
      long baseBytes, long sizeBytes, double hitRatio, long segmentBytes, long seed) {
    public Window {
      if (baseBytes < 0 || sizeBytes < 0 || segmentBytes < 1) {
        throw new IllegalArgumentException(
            "window base and size must be >= 0 and segment >= 1: "
                + baseBytes
                + ", "
                + sizeBytes
                + ", "
                + segmentBytes);
      }
      if (!(hitRatio >= 0 && hitRatio <= 1)) {
        throw new IllegalArgumentException("hit ratio must be in [0, 1]: " + hitRatio);
      }
    }
  }

  /** {@code accessPolicyMaxWindowSize} of A100, H100 and H200: 128 MiB. */
  public static final long MAX_HARDWARE_WINDOW_BYTES = 128L << 20;

  /** An L2 line, the finest granularity at which hardware could classify addresses. */
  public static final long DEFAULT_SEGMENT_BYTES = 128;

  private final int capacityTokens;
  private final TokenSpace space;
  private final long entryBytes;
  private final Window window;
  private final LongLruSet setAside;

  /** The seed, scrambled once, so that nearby seeds choose unrelated segments. */
  private final long seedMask;

  public WindowPolicy(int capacityTokens, TokenSpace space, Window window) {
    if (space.contextTokens() <= 0) {
      throw new IllegalArgumentException("the window policy needs the KV buffer's context length");
    }
    this.capacityTokens = capacityTokens;
    this.space = space;
    this.entryBytes = space.entryBytes();
    this.window = window;
    this.setAside = new LongLruSet(capacityTokens, space.directKeys(capacityTokens));
    this.seedMask = mix(window.seed());
  }

  /**
   * The window a user gets without choosing: from the buffer's start, as much of the KV buffer as
   * the hardware allows, and the hit ratio that makes the persisting bytes fit the set-aside
   * ({@code min(1, set-aside / window)}), the practice that keeps persisting lines from evicting
   * each other.
   */
  public static Window defaultWindow(int capacityTokens, TokenSpace space) {
    long size = Math.min(bufferBytes(space), MAX_HARDWARE_WINDOW_BYTES);
    double hitRatio = fittingHitRatio(capacityTokens, space, size);
    return new Window(0, size, hitRatio, DEFAULT_SEGMENT_BYTES, 0);
  }

  /** {@code min(1, setAsideBytes / windowBytes)} (1 for an empty window). */
  public static double fittingHitRatio(int capacityTokens, TokenSpace space, long windowBytes) {
    double setAsideBytes = (double) capacityTokens * space.entryBytes();
    return windowBytes == 0 ? 1 : Math.min(1, setAsideBytes / windowBytes);
  }

  /** Bytes of the whole KV buffer: seqs x layers x contextTokens x entryBytes. */
  public static long bufferBytes(TokenSpace space) {
    return (long) space.seqs() * space.layers() * space.contextTokens() * space.entryBytes();
  }

  @Override
  public boolean access(int seq, int layer, int token) {
    long entry = space.entryIndex(seq, layer, token);
    return persists(entry) && setAside.access(entry);
  }

  /** Whether the window marks this entry persisting. */
  public boolean persists(int seq, int layer, int token) {
    return persists(space.entryIndex(seq, layer, token));
  }

  /** Whether the window marks the entry numbered {@code entry} ({@link TokenSpace#entryIndex}). */
  private boolean persists(long entry) {
    if (entry < 0) {
      return false; // beyond the context: not in the buffer
    }
    long offset = entry * entryBytes - window.baseBytes();
    if (offset < 0 || offset >= window.sizeBytes()) {
      return false;
    }
    long segment = offset / window.segmentBytes();
    // the segment's coin flip: 53 bits of a hash read as a fraction in [0, 1)
    return (mix(segment ^ seedMask) >>> 11) * 0x1.0p-53 < window.hitRatio();
  }

  /** The SplitMix64 output function: a bijection that scatters nearby inputs. */
  private static long mix(long x) {
    long z = x + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public void endStep() {}

  @Override
  public int capacityTokens() {
    return capacityTokens;
  }
}
