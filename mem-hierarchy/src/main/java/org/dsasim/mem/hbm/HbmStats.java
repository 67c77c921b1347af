package org.dsasim.mem.hbm;

/**
 * Counters of one controller or, summed, of a device, since creation or the last reset.
 *
 * @param readRequests read requests accepted
 * @param writeRequests write requests accepted
 * @param readBursts RD commands issued (each moves one access granule)
 * @param writeBursts WR commands issued
 * @param rowHits bursts served from a row that was open already (no ACT issued for them)
 * @param rowMisses bursts for which an ACT was issued to a precharged bank
 * @param rowConflicts bursts for which the open row was precharged and theirs activated
 * @param activates ACT commands
 * @param precharges PREpb and PREab commands
 * @param refreshes REFab and REFpb commands
 * @param peakReadQueue largest read-queue occupancy (queued plus reserved bursts) of any controller
 * @param peakWriteQueue largest write-queue occupancy of any controller
 */
public record HbmStats(
    long readRequests,
    long writeRequests,
    long readBursts,
    long writeBursts,
    long rowHits,
    long rowMisses,
    long rowConflicts,
    long activates,
    long precharges,
    long refreshes,
    int peakReadQueue,
    int peakWriteQueue) {

  public static final HbmStats ZERO = new HbmStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Element-wise sum (peaks take the maximum). */
  public HbmStats plus(HbmStats o) {
    return new HbmStats(
        readRequests + o.readRequests,
        writeRequests + o.writeRequests,
        readBursts + o.readBursts,
        writeBursts + o.writeBursts,
        rowHits + o.rowHits,
        rowMisses + o.rowMisses,
        rowConflicts + o.rowConflicts,
        activates + o.activates,
        precharges + o.precharges,
        refreshes + o.refreshes,
        Math.max(peakReadQueue, o.peakReadQueue),
        Math.max(peakWriteQueue, o.peakWriteQueue));
  }

  /** Fraction of bursts that hit an open row. */
  public double rowHitRate() {
    long n = rowHits + rowMisses + rowConflicts;
    return n == 0 ? 0 : (double) rowHits / n;
  }
}
