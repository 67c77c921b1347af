package org.dsasim.accel.memory;

import org.dsasim.mem.reservation.AdmissionPolicies;
import org.dsasim.mem.reservation.AdmissionPolicy;
import org.dsasim.mem.reservation.KvLayout;
import org.dsasim.mem.reservation.SharingPolicies;
import org.dsasim.mem.reservation.SharingPolicy;

/**
 * The fast model's KV reservation: token entries in LRU order within the groups of a sharing
 * policy (one pool, a quota per layer or per sequence), entered on a miss when the admission
 * policy lets them. The policies are the LLC model's, chosen by name
 * ({@link SharingPolicies}, {@link AdmissionPolicies}); entries are named by their index in the
 * KV buffer, and the policies see the layout's unit keys. Nothing is allocated per access.
 */
final class KvReservation {
  private final int capacity;
  private final String sharingName;
  private final AdmissionPolicy admission;
  private SharingPolicy sharing;
  private TokenLru[] groups;
  private KvLayout kv;
  private long step;
  private int lastGroup;

  /**
   * @param capacity entries the reservation holds
   * @param ghostEntries history of an admission policy that keeps one; 0: {@code capacity}
   */
  KvReservation(int capacity, String sharing, String admission, int ghostEntries) {
    this.capacity = capacity;
    this.sharingName = sharing;
    this.admission = AdmissionPolicies.create(admission,
        ghostEntries > 0 ? ghostEntries : Math.max(1, capacity));
    // until the layout is known (it names layers and sequences), one pool
    this.groups = new TokenLru[] {new TokenLru(capacity)};
  }

  /**
   * Sets the KV buffer the entries belong to and builds the sharing policy's groups over it.
   *
   * @throws IllegalArgumentException if the policy cannot give every group an entry
   */
  void bind(KvLayout layout) {
    this.kv = layout;
    if (capacity == 0) {
      return;
    }
    sharing = SharingPolicies.create(sharingName, capacity, layout);
    groups = new TokenLru[sharing.groups()];
    for (int g = 0; g < groups.length; g++) {
      groups[g] = new TokenLru(sharing.quota(g));
    }
  }

  int capacity() {
    return capacity;
  }

  /** The node holding entry {@code entry} in its group, or -1; the group is kept for what follows. */
  int find(long entry) {
    lastGroup = groups.length == 1 ? 0 : sharing.groupOf(unitKey(entry));
    return groups[lastGroup].find(entry);
  }

  /** Makes the node {@link #find} returned the most recent of its group. */
  void touch(int node) {
    groups[lastGroup].touch(node);
  }

  long readyAt(int node) {
    return groups[lastGroup].readyAt(node);
  }

  /**
   * Offers the entry {@link #find} missed to the admission policy; if admitted it becomes the most
   * recent of its group (evicting that group's least recent when full), ready at {@code ready}.
   */
  void offer(long entry, long ready) {
    if (admission.admit(unitKey(entry), step)) {
      groups[lastGroup].insert(entry, ready);
    }
  }

  /** A decode step ended (admission policies count steps). */
  void endStep() {
    step++;
  }

  /** The layout's unit key of the entry with index {@code entry} in the KV buffer. */
  private long unitKey(long entry) {
    return kv.keyOf(kv.base() + entry * kv.entryBytes());
  }
}
