package org.dsasim.mem.hbm;

/**
 * The policy choosing which queued request a controller serves next; the controller supplies the
 * mechanism (what command a request needs, when it is legal). Chosen by name through
 * {@link Schedulers}. Implementations must be stateless or keep only primitive state, since they
 * run on the controller's hot path.
 */
public interface Scheduler {
  /**
   * Chooses the request whose next command on one command bus should issue at {@code cycle}.
   *
   * @param view the controller's queues and banks
   * @param queue {@link SchedulerView#READS} or {@link SchedulerView#WRITES}: the queue being
   *     served (the controller decides read and write phases)
   * @param columnBus true to choose a RD/WR, false for an ACT/PRE
   * @param cycle the current cycle of CK
   * @return the chosen entry, or -1 if none is chosen now; in that case the scheduler must have
   *     reported through {@link SchedulerView#wakeAt} the cycle at which a request it passed over
   *     becomes ready, so that the controller wakes up then
   */
  int select(SchedulerView view, int queue, boolean columnBus, long cycle);

  /**
   * What a scheduler sees of its controller. Entries are bursts waiting in a queue; ages order
   * them by arrival. Banks are flat indices within the pseudo-channel (at most 64, so sets of
   * banks are {@code long} bit masks).
   */
  interface SchedulerView {
    int READS = 0;
    int WRITES = 1;
    /** No command is wanted on this bus for the entry now. */
    int NONE = -1;

    /** The oldest entry of {@code queue}, or -1 if it is empty. */
    int oldest(int queue);

    /** The next younger entry in the same queue, or -1. */
    int younger(int entry);

    /** Arrival order: a smaller age means an older entry. */
    long age(int entry);

    /** Banks with at least one entry in {@code queue}. */
    long banksWithRequests(int queue);

    /** Banks whose open row is hit by at least one entry in {@code queue}. */
    long banksWithHits(int queue);

    /** Banks with no open row (precharged). */
    long closedBanks();

    /**
     * A lower bound on {@link #readyAt} of {@code command} for every entry: the part of the
     * timing rules shared by the whole pseudo-channel. When it lies in the future, no entry needs
     * to be examined for that command.
     */
    long earliestAnywhere(int command);

    /** The oldest entry of {@code queue} for {@code bank}, or -1. */
    int oldestOfBank(int queue, int bank);

    /** The oldest entry of {@code queue} that hits {@code bank}'s open row, or -1. */
    int oldestHitOfBank(int queue, int bank);

    /**
     * The command the entry needs next on the given bus: RD/WR if its row is open, otherwise ACT
     * (bank closed) or PREpb (another row open). When {@code protectHits} is set, a PREpb is not
     * wanted while entries of the same queue still hit the open row. NONE if the entry needs
     * nothing on this bus, or its bank is being refreshed.
     */
    int command(int entry, boolean columnBus, boolean protectHits);

    /** The earliest cycle {@code command} may issue for the entry (every timing rule applied). */
    long readyAt(int entry, int command);

    /** Asks to be woken at {@code cycle} (the earliest of all requests is kept). */
    void wakeAt(long cycle);
  }
}
