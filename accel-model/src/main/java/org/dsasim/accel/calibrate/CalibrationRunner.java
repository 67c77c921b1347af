package org.dsasim.accel.calibrate;

import java.util.ArrayList;
import java.util.List;
import org.dsasim.accel.config.AccelKeys;
import org.dsasim.core.config.Config;
import org.dsasim.accel.gpu.Gpu;
import org.dsasim.accel.kernel.EmptyKernel;
import org.dsasim.accel.kernel.GatherFlat4Kernel;
import org.dsasim.accel.kernel.GatherWarpKernel;
import org.dsasim.accel.kernel.Kernel;
import org.dsasim.mem.reservation.KvLayout;
import org.dsasim.accel.kernel.StreamKernel;
import org.dsasim.accel.kernel.TrafficClass;
import org.dsasim.accel.memory.PartitionedLlcMemory;
import org.dsasim.accel.system.Accelerator;
import org.dsasim.accel.workload.Workloads;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.StepSelection;

/**
 * Simulates calibration experiments on a hardware preset, as the measurement did: a graph of
 * {@code steps} decode steps (per layer a gather kernel, then a stream kernel if any) replayed,
 * its step time averaged.
 *
 * <p>Steps are reduced where the steady state allows. Reuse across steps (and across replays of
 * the graph, which re-read the same selections) only reaches back as far as the LLC holds data,
 * so a step's time depends on the last {@code W} steps, {@code W} = the steps whose traffic is
 * twice the LLC capacity. If {@code W} plus the measured steps cover the whole graph, one replay
 * warms the caches and the next is measured (exactly as measured on the device); otherwise the
 * {@code W} steps before the last {@code M} are simulated to warm up and the last {@code M} are
 * measured, with {@code M} as many as fit a budget of simulated entries (at least one).
 */
public final class CalibrationRunner {
  private static final long TWO_MIB = 2L << 20;
  private static final long STREAM_BUFFER = 4L << 30;
  private static final long WINDOW_MAX = 128L << 20;
  private static final int MAX_MEASURED_STEPS = 4;

  private final Config hardware;
  private final long measuredEntryBudget;

  /** What the model predicts for one row, in microseconds per decode step. */
  public record Prediction(double stepUs, double gatherUs, double streamUs, int warmupSteps,
      int measuredSteps, boolean fullReplays) {}

  /**
   * @param measuredEntryBudget gathered entries to simulate in the measured steps of a row (more
   *     steps are measured while they fit)
   */
  public CalibrationRunner(Config hardware, long measuredEntryBudget) {
    if (!hardware.get(AccelKeys.MEMORY_FIDELITY).equals("fast")) {
      throw hardware.inconsistent("calibrate validates the fast memory model, the one its"
          + " measurements were fitted with; run it with memory.fidelity fast",
          AccelKeys.MEMORY_FIDELITY);
    }
    this.hardware = hardware;
    this.measuredEntryBudget = measuredEntryBudget;
  }

  public Prediction predict(CalibrationRow row) {
    Plan plan = plan(row);
    double step = simulate(row, plan, true, row.streamMb() > 0);
    double stream = row.streamMb() > 0 ? simulate(row, plan, false, true) : 0;
    return new Prediction(step, step - stream, stream, plan.warmup, plan.measured, plan.full);
  }

  private record Plan(boolean full, int warmup, int measured) {}

  private Plan plan(CalibrationRow row) {
    long entriesPerStep = (long) row.layers() * row.seqs() * row.topk();
    double trafficPerStep = entriesPerStep * (row.entryBytes() + 4.0)
        + (double) row.layers() * row.streamMb() * (1L << 20);
    long llc = hardware.get(AccelKeys.LLC_CAPACITY);
    int warmup = (int) Math.min(row.steps(), Math.ceil(2.0 * llc / trafficPerStep));
    int measured = (int) Math.max(1,
        Math.min(MAX_MEASURED_STEPS, measuredEntryBudget / Math.max(1, entriesPerStep)));
    if (warmup + measured >= row.steps()) {
      return new Plan(true, row.steps(), row.steps());
    }
    return new Plan(false, warmup, measured);
  }

  /** Simulates the graph (gathers and/or streams) and returns the step time in us. */
  private double simulate(CalibrationRow row, Plan plan, boolean gathers, boolean streams) {
    long setAside = row.l2Window() ? hardware.get(AccelKeys.LLC_SET_ASIDE_MAX) : 0;
    Accelerator acc = Accelerator.withFastMemory(hardware, setAside);
    KvLayout kv = new KvLayout(0, row.seqs(), row.layers(), row.ctx(), row.entryBytes());
    long perStepIndexBytes = (long) row.layers() * row.seqs() * row.topk() * 4;
    long indexBase = align(kv.totalBytes());
    long streamBase = align(indexBase + row.steps() * perStepIndexBytes);
    if (row.l2Window()) {
      long window = Math.min(kv.totalBytes(), WINDOW_MAX);
      ((PartitionedLlcMemory) acc.memory()).setPersistingWindow(
          kv.base(), window, Math.min(1.0, (double) setAside / window));
    }
    int first = row.steps() - plan.measured - (plan.full ? 0 : plan.warmup);
    List<int[]> selections = selections(row, first);
    Gpu gpu = acc.gpu();
    long start;
    if (plan.full) {
      runSteps(acc, row, kv, indexBase, streamBase, selections, 0, 0, row.steps(), gathers,
          streams);
      start = acc.drain();
      runSteps(acc, row, kv, indexBase, streamBase, selections, 0, 0, row.steps(), gathers,
          streams);
    } else {
      runSteps(acc, row, kv, indexBase, streamBase, selections, first, 0, plan.warmup, gathers,
          streams);
      start = acc.drain();
      runSteps(acc, row, kv, indexBase, streamBase, selections, first + plan.warmup, plan.warmup,
          plan.measured, gathers, streams);
    }
    long end = acc.drain();
    if (gpu.busy()) {
      throw new IllegalStateException("kernels left after the simulation drained");
    }
    return (end - start) / 1e6 / plan.measured;
  }

  /** Submits steps {@code step0 ..} whose selections are {@code selections[sel0 ..]}. */
  private void runSteps(Accelerator acc, CalibrationRow row, KvLayout kv, long indexBase,
      long streamBase, List<int[]> selections, int step0, int sel0, int count, boolean gathers,
      boolean streams) {
    int maxBlocks = acc.compute().smCount() * 8;
    long streamBytes = (long) row.streamMb() << 20;
    long perStepIndexBytes = (long) row.layers() * row.seqs() * row.topk() * 4;
    for (int i = 0; i < count; i++) {
      int step = step0 + i;
      int[] sel = selections.get(sel0 + i);
      for (int layer = 0; layer < row.layers(); layer++) {
        if (gathers) {
          long indexAddr = indexBase + step * perStepIndexBytes
              + (long) layer * row.seqs() * row.topk() * 4;
          int off = layer * row.seqs() * row.topk();
          Kernel k = switch (row.kernel()) {
            case CalibrationRow.GATHER_FLAT4 -> new GatherFlat4Kernel("gather-flat4", "gather", kv,
                layer, row.seqs(), row.topk(), sel, off, indexAddr, maxBlocks, acc.costs(),
                row.launch());
            case CalibrationRow.EMPTY -> new EmptyKernel("empty", "gather",
                Math.max(1, row.launch().grid()), row.launch().blockThreadsOr(256));
            default -> new GatherWarpKernel("gather-warp", "gather", kv, layer, row.seqs(),
                row.topk(), sel, off, indexAddr, maxBlocks, acc.costs(), row.launch());
          };
          acc.gpu().submit(k);
        }
        if (streams && streamBytes > 0) {
          long slots = STREAM_BUFFER / streamBytes;
          long offset = ((long) step * row.layers() + layer) % Math.max(1, slots) * streamBytes;
          acc.gpu().submit(new StreamKernel("stream", "stream", streamBase + offset, streamBytes,
              acc.compute().smCount(), 4, acc.costs().streamRegisters(), TrafficClass.WEIGHTS,
              acc.costs().consumeCycles()));
        }
      }
    }
  }

  /** Selections of steps {@code first ..} to the end, one array per step. */
  private static List<int[]> selections(CalibrationRow row, int first) {
    List<int[]> out = new ArrayList<>();
    try (TraceSource gen = Workloads.persistUniform(row.steps(), row.layers(), row.seqs(),
        row.topk(), row.ctx(), row.entryBytes(), row.persist(), seed(row))) {
      StepSelection step = StepSelection.forHeader(gen.header());
      for (int s = 0; s < row.steps(); s++) {
        gen.next(step);
        if (s >= first) {
          out.add(step.indices().clone());
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  private static long seed(CalibrationRow row) {
    return row.id().hashCode() * 0x9E3779B97F4A7C15L + 12345;
  }

  private static long align(long v) {
    return (v + TWO_MIB - 1) / TWO_MIB * TWO_MIB;
  }
}
