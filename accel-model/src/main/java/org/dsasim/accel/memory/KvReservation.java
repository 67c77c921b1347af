package org.dsasim.accel.memory;

import org.dsasim.mem.llc.LlcScheme;
import org.dsasim.mem.reservation.AdmissionPolicies;
import org.dsasim.mem.reservation.AdmissionPolicy;
import org.dsasim.mem.reservation.KvLayout;
import org.dsasim.mem.reservation.ReservationParams;
import org.dsasim.mem.reservation.Retention;
import org.dsasim.mem.reservation.SharingPolicies;
import org.dsasim.mem.reservation.SharingPolicy;

/**
 * The fast model's KV reservation: units of KV entries in LRU order within the groups of a
 * sharing policy (one pool, a quota per layer or per sequence), entered on a miss when the
 * admission policy lets them. What it is comes from the LLC model's {@link ReservationParams}
 * (the kinds of {@link LlcScheme#named}, the policies by name from {@link SharingPolicies} and
 * {@link AdmissionPolicies}):
 *
 * <ul>
 *   <li>{@code token-lru}: a unit is one token's entry (the proposal);
 *   <li>{@code prev-topk}: the same with {@link Retention#PREVIOUS_STEP}: at the end of each
 *       decode step every entry not gathered during it leaves, so the reservation holds the
 *       previous step's selections (as far as they fit);
 *   <li>{@code page}: a unit is a page of {@link LlcScheme#PAGE_TOKENS} tokens of one layer and
 *       sequence (a serving engine's KV page); it takes a whole page of capacity, but a miss
 *       fetches only the entry gathered, so an entry hits when its page is resident and it was
 *       gathered before.
 * </ul>
 *
 * Entries are named by their index in the KV buffer; pages and the policies by the layout's unit
 * keys. Nothing is allocated per access.
 */
final class KvReservation {
  private final int unitTokens;
  private final boolean previousStepOnly;
  private final long capacityEntries;
  private final int capacityUnits;
  private final String sharingName;
  private final AdmissionPolicy admission;
  private SharingPolicy sharing;
  private TokenLru[] groups;
  private long[][] lastStep; // prev-topk: per group and node, the step it was last gathered in
  private long[][] present; // page: per group and node, which of the page's entries were fetched
  private KvLayout kv;
  private long step;
  // what the last find() saw
  private int lastGroup;
  private int lastUnit;
  private long lastKey;

  /** A reservation of {@code params.sizeBytes()} over entries of {@code entryBytes}. */
  KvReservation(ReservationParams params, int entryBytes) {
    this.unitTokens = params.unitTokens();
    this.previousStepOnly = params.retention() == Retention.PREVIOUS_STEP;
    this.capacityEntries = params.sizeBytes() / entryBytes;
    this.capacityUnits = (int) (capacityEntries / unitTokens);
    this.sharingName = params.sharing();
    this.admission = AdmissionPolicies.create(params.admission(),
        params.ghostUnits() > 0 ? params.ghostUnits() : Math.max(1, capacityUnits));
  }

  /**
   * Sets the KV buffer the entries belong to and builds the sharing policy's groups over it.
   *
   * @throws IllegalArgumentException if the reservation has no room for one unit, or the sharing
   *     policy cannot give every group one
   */
  void bind(KvLayout layout) {
    this.kv = layout;
    if (capacityUnits == 0) {
      if (capacityEntries > 0) {
        throw new IllegalArgumentException("a page reservation needs room for a page of "
            + unitTokens + " entries; this one holds " + capacityEntries + " entries");
      }
      return;
    }
    try {
      sharing = SharingPolicies.create(sharingName, capacityUnits, layout);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the KV reservation holds " + capacityUnits
          + (unitTokens > 1 ? " pages" : " entries") + ", too few to give each group of its"
          + " sharing policy (each layer or each sequence) one", e);
    }
    int n = sharing.groups();
    groups = new TokenLru[n];
    lastStep = previousStepOnly ? new long[n][] : null;
    present = unitTokens > 1 ? new long[n][] : null;
    for (int g = 0; g < n; g++) {
      int quota = sharing.quota(g);
      groups[g] = new TokenLru(quota);
      if (previousStepOnly) {
        lastStep[g] = new long[quota];
      }
      if (unitTokens > 1) {
        present[g] = new long[quota];
      }
    }
  }

  /** Units the reservation holds (entries, or pages for {@code page}). */
  int capacity() {
    return capacityUnits;
  }

  /**
   * The node holding entry {@code entry}'s data, or -1 (its unit is absent, or for pages, present
   * without this entry); what it found is kept for {@link #touch} and {@link #offer}.
   */
  int find(long entry) {
    lastKey = unitTokens == 1 ? entry : unitKey(entry);
    lastGroup = groups.length == 1 ? 0 : sharing.groupOf(layoutKey(entry));
    lastUnit = groups[lastGroup].find(lastKey);
    if (lastUnit >= 0 && unitTokens > 1
        && (present[lastGroup][lastUnit] & bitOf(entry)) == 0) {
      return -1;
    }
    return lastUnit;
  }

  /** Makes the node {@link #find} returned the most recent of its group. */
  void touch(int node) {
    groups[lastGroup].touch(node);
    gathered(node);
  }

  long readyAt(int node) {
    return groups[lastGroup].readyAt(node);
  }

  /**
   * The entry {@link #find} missed is fetched, ready at {@code ready}: into its page if that is
   * resident (no admission needed), else, if the admission policy lets it, as a new unit, the
   * most recent of its group (evicting that group's least recent when full).
   */
  void offer(long entry, long ready) {
    TokenLru lru = groups[lastGroup];
    int node = lastUnit;
    if (node < 0) {
      if (!admission.admit(unitKey(entry), step)) {
        return;
      }
      node = lru.insert(lastKey, ready);
      if (node < 0) {
        return;
      }
      if (unitTokens > 1) {
        present[lastGroup][node] = 0;
      }
    } else {
      // a page's further entries: its ready time stays the first fill's, as other entries of
      // the page gathered meanwhile are already there (one ready time per page, not per entry)
      lru.touch(node);
    }
    if (unitTokens > 1) {
      present[lastGroup][node] |= bitOf(entry);
    }
    gathered(node);
  }

  /** A decode step ended: prev-topk lets go of what it did not gather (admission counts steps). */
  void endStep() {
    if (previousStepOnly && groups != null) {
      for (int g = 0; g < groups.length; g++) {
        TokenLru lru = groups[g];
        // the entries gathered in this step are the most recent: the others are a tail
        for (int n = lru.lru(); n >= 0 && lastStep[g][n] < step; n = lru.lru()) {
          lru.evict(n);
        }
      }
    }
    step++;
  }

  private void gathered(int node) {
    if (previousStepOnly) {
      lastStep[lastGroup][node] = step;
    }
  }

  private long bitOf(long entry) {
    return 1L << (entry % kv.contextTokens() % unitTokens);
  }

  /** The layout's key of the entry's token: what the sharing policy groups by. */
  private long layoutKey(long entry) {
    return kv.keyOf(kv.base() + entry * kv.entryBytes());
  }

  /** The layout's key of the entry's unit: what the admission policy remembers. */
  private long unitKey(long entry) {
    return kv.unitKeyOf(kv.base() + entry * kv.entryBytes(), unitTokens);
  }
}
