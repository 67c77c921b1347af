package org.dsasim.mem.hbm;

import java.util.List;
import java.util.function.Supplier;
import org.dsasim.core.registry.Registry;

/**
 * The registry of request schedulers, by name.
 *
 * <ul>
 *   <li>{@code frfcfs}: first-ready, first-come-first-served (Rixner et al., ISCA 2000). On the
 *       column bus, the oldest request whose row is open and whose RD/WR is legal now; on the row
 *       bus, the oldest request whose ACT or PRE is legal now, where the oldest request of each
 *       bank speaks for the bank and a bank whose open row still has queued hits is not
 *       precharged. Hits are therefore served first and rows are not closed under them. There is
 *       no cap on consecutive hits: a stream of hits to one row can delay a conflicting request
 *       to that bank. Whole classes of candidates (all RD/WR, all ACTs, all PREs) are skipped
 *       while a pseudo-channel-wide rule (data bus, tRRD, tFAW, command bus) holds them back.
 *   <li>{@code fcfs}: strictly in order. Only the oldest request of the queue being served is
 *       considered; its next command issues as soon as it is legal.
 * </ul>
 */
public final class Schedulers {
  private Schedulers() {}

  private static final Registry<Supplier<Scheduler>> REGISTRY = new Registry<>("scheduler");

  static {
    register("frfcfs", () -> Schedulers::firstReadyFirstCome);
    register("fcfs", () -> Schedulers::firstComeFirstServed);
  }

  public static void register(String name, Supplier<Scheduler> factory) {
    REGISTRY.register(name, factory);
  }

  public static List<String> names() {
    return REGISTRY.names();
  }

  /** A new scheduler instance (one per controller). */
  public static Scheduler create(String name) {
    return REGISTRY.get(name).get();
  }

  private static int firstReadyFirstCome(
      Scheduler.SchedulerView view, int queue, boolean columnBus, long cycle) {
    // column bus: the oldest hit of each bank with hits stands for the bank (all hits of a bank
    // become legal at the same cycle); row bus: the oldest entry of each bank decides the
    // bank's ACT or PRE. Of the candidates legal now, the oldest wins.
    long banks;
    if (columnBus) {
      banks = view.banksWithHits(queue);
      long floor = view.earliestAnywhere(
          queue == Scheduler.SchedulerView.READS ? HbmCommand.RD : HbmCommand.WR);
      if (floor > cycle && banks != 0) {
        view.wakeAt(floor);
        return -1;
      }
    } else {
      // skip whole classes of candidates that the pseudo-channel-wide rules keep waiting
      banks = view.banksWithRequests(queue);
      long closed = view.closedBanks();
      long activations = banks & closed;
      long precharges = banks & ~closed & ~view.banksWithHits(queue);
      long actFloor = view.earliestAnywhere(HbmCommand.ACT);
      long preFloor = view.earliestAnywhere(HbmCommand.PRE);
      if (actFloor > cycle && activations != 0) {
        view.wakeAt(actFloor);
        activations = 0;
      }
      if (preFloor > cycle && precharges != 0) {
        view.wakeAt(preFloor);
        precharges = 0;
      }
      banks = activations | precharges;
    }
    int best = -1;
    long bestAge = Long.MAX_VALUE;
    for (long m = banks; m != 0; m &= m - 1) {
      int b = Long.numberOfTrailingZeros(m);
      int e = columnBus ? view.oldestHitOfBank(queue, b) : view.oldestOfBank(queue, b);
      int command = view.command(e, columnBus, true);
      if (command == Scheduler.SchedulerView.NONE) {
        continue;
      }
      long ready = view.readyAt(e, command);
      if (ready > cycle) {
        view.wakeAt(ready);
      } else if (view.age(e) < bestAge) {
        best = e;
        bestAge = view.age(e);
      }
    }
    return best;
  }

  private static int firstComeFirstServed(
      Scheduler.SchedulerView view, int queue, boolean columnBus, long cycle) {
    int e = view.oldest(queue);
    if (e < 0) {
      return -1;
    }
    int command = view.command(e, columnBus, false);
    if (command == Scheduler.SchedulerView.NONE) {
      return -1;
    }
    long ready = view.readyAt(e, command);
    if (ready <= cycle) {
      return e;
    }
    view.wakeAt(ready);
    return -1;
  }
}
