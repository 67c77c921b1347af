package org.dsasim.accel.decode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.dsasim.accel.config.AccelKeys;
import org.dsasim.accel.gpu.ComputeSpec;
import org.dsasim.accel.gpu.Gpu;
import org.dsasim.accel.gpu.StallCause;
import org.dsasim.accel.kernel.ComputeKernel;
import org.dsasim.accel.kernel.Kernel;
import org.dsasim.accel.kernel.KvAppendKernel;
import org.dsasim.mem.reservation.KvLayout;
import org.dsasim.accel.kernel.SparseAttentionKernel;
import org.dsasim.accel.kernel.StreamComputeKernel;
import org.dsasim.accel.kernel.TrafficClass;
import org.dsasim.accel.memory.HierarchyMemory;
import org.dsasim.accel.memory.MemoryStats;
import org.dsasim.accel.memory.MemorySystem;
import org.dsasim.accel.memory.PartitionedLlcMemory;
import org.dsasim.accel.system.Accelerator;
import org.dsasim.accel.timeline.TimelineRecorder;
import org.dsasim.core.config.Config;
import org.dsasim.mem.system.HierarchyParams;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceSource;

/**
 * Decode steps of a DSA model on one GPU: for every step and every layer the GPU runs, the
 * attention projections' weights, the indexer's scan of every sequence's index keys, the top-k
 * selection, the sparse gather and attention over the selected KV entries, the KV append, and the
 * output projection and FFN (dense or MoE) weights, as kernels on the compute units against the
 * simulated memory side. Selections come from a trace source; each sequence's context grows by
 * one token per step.
 *
 * <p>Layout: the KV buffer {@code [seq][layer][ctx][entry_bytes]} ({@link KvLayout}, shared with
 * the reservation), the index keys {@code [seq][layer][ctx][index_key_bytes]}, the selected-token
 * index lists per step, and the layer weights, each in its own address range.
 */
public final class DecodeSimulation {
  private static final long ALIGN = 2L << 20;
  /** Warps per block of the streaming phases (bulk copies need few warps to keep HBM busy). */
  private static final int STREAM_WARPS_PER_BLOCK = 4;

  /** What to simulate. */
  public record Options(int batch, int context, int warmupSteps, int measuredSteps, boolean fused,
      long reservationBytes) {}

  /** What happened, over the measured steps. */
  public record Result(
      ModelSpec model,
      Options options,
      double[] stepUs,
      Map<String, Double> phaseUs,
      Map<String, Long> stallPs,
      long gatheredEntries,
      long simulatedEntries,
      MemoryStats memory,
      long measuredPs,
      double computeFlops,
      Histogram gatherLatencyNs,
      Histogram stepLatencyNs,
      String memoryDescription,
      long launches,
      long replayedLaunches) {}

  private final Config cfg;
  private final ModelSpec model;
  private final Options options;
  private final Accelerator.MemoryFactory memoryFactory;
  private TimelineRecorder timeline;

  /**
   * A simulation on the memory side {@code memory.fidelity} names, with the options' KV
   * reservation: the fast model ({@link PartitionedLlcMemory}) or the detailed one
   * ({@link HierarchyMemory}).
   */
  public DecodeSimulation(Config cfg, ModelSpec model, Options options) {
    this(cfg, model, options, null);
  }

  /**
   * A simulation on a memory of the caller's choosing (tests use analytic memories); null: the
   * one {@code memory.fidelity} names.
   */
  public DecodeSimulation(Config cfg, ModelSpec model, Options options,
      Accelerator.MemoryFactory memoryFactory) {
    this.cfg = cfg;
    this.model = model;
    this.options = options;
    this.memoryFactory = memoryFactory;
  }

  /** Records a window of steps into {@code recorder} during {@link #run} (null: none). */
  public void recordTimeline(TimelineRecorder recorder) {
    this.timeline = recorder;
  }

  /** Runs warm-up and measured steps drawing selections from {@code source}. */
  public Result run(TraceSource source) {
    int layers = model.layersPerGpu();
    int batch = options.batch();
    int steps = options.warmupSteps() + options.measuredSteps();
    int ctxCapacity = options.context() + steps + 1;
    KvLayout kv = new KvLayout(0, batch, layers, ctxCapacity, model.entryBytes());
    Accelerator acc = new Accelerator(cfg,
        memoryFactory != null ? memoryFactory : configuredMemory(kv));
    MemorySystem memory = acc.memory();
    if (memory instanceof PartitionedLlcMemory fast) {
      fast.setKvLayout(kv);
    }
    long keysBase = align(kv.totalBytes());
    KvLayout keys = new KvLayout(keysBase, batch, layers, ctxCapacity,
        Math.max(1, model.indexKeyBytes()));
    long indexBase = align(keysBase + keys.totalBytes());
    long indexBytesPerStep = (long) layers * batch * model.topk() * 4;
    long weightsBase = align(indexBase + 2 * indexBytesPerStep);
    long[] attnWeightBase = new long[layers];
    long[] attnWeightBytes = new long[layers];
    long[] ffnWeightBase = new long[layers];
    long[] ffnWeightBytes = new long[layers];
    long w = weightsBase;
    for (int l = 0; l < layers; l++) {
      double attn = (model.attentionParams() + model.indexerParams()) / model.tensorParallel()
          * model.weightBytes();
      attnWeightBase[l] = w;
      attnWeightBytes[l] = (long) attn;
      w = align(w + attnWeightBytes[l]);
      ffnWeightBase[l] = w;
      ffnWeightBytes[l] = Math.max(0, (long) model.weightBytes(l, batch) - attnWeightBytes[l]);
      w = align(w + ffnWeightBytes[l]);
    }

    // sized for gathers up to 3.6 s and steps up to an hour; what-if settings far outside (a 1 MHz
    // clock, 1 B/s of bandwidth) grow them instead of failing the run
    Histogram gatherNs = new Histogram(3_600_000_000L, 3);
    Histogram stepNs = new Histogram(3_600_000_000_000L, 3);
    gatherNs.setAutoResize(true);
    stepNs.setAutoResize(true);
    acc.gpu().setLoadObserver(TrafficClass.KV_GATHER, (latencyPs, entries) ->
        gatherNs.recordValueWithCount(Math.max(1, latencyPs / 1000), entries));

    StepSelection sel = StepSelection.forHeader(source.header());
    int[] ctx = new int[batch];
    java.util.Arrays.fill(ctx, options.context());
    double[] stepUs = new double[options.measuredSteps()];
    long gathered = 0;
    long simulated = 0;
    double flops = 0;
    long measureStart = 0;
    Gpu gpu = acc.gpu();
    if (timeline != null) {
      timeline.attach(acc);
    }
    for (int step = 0; step < steps; step++) {
      if (step == options.warmupSteps()) {
        gpu.resetStats();
        memory.resetStats();
        gatherNs.reset();
        stepNs.reset();
        gathered = 0;
        flops = 0;
        measureStart = acc.sim().now();
      }
      try {
        if (!source.next(sel)) {
          throw new org.dsasim.core.UserInputException("the workload '"
              + source.header().model() + "' ran out of steps after " + step + " steps; "
              + steps + " are needed (warm-up + measured)");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      long t0 = acc.sim().now();
      if (timeline != null) {
        timeline.stepStarted(step, t0);
      }
      long indexAddr = indexBase + (step % 2) * indexBytesPerStep;
      for (int l = 0; l < layers; l++) {
        StepKernels k = layerKernels(acc, sel, l, ctx, kv, keys, indexAddr, attnWeightBase[l],
            attnWeightBytes[l], ffnWeightBase[l], ffnWeightBytes[l]);
        boolean first = l == 0;
        for (Kernel kernel : k.kernels) {
          if (options.fused() && !(first && kernel == k.kernels.get(0))) {
            gpu.submit(kernel, acc.compute().gridBarrierPs(), StallCause.BARRIER);
          } else {
            gpu.submit(kernel);
          }
        }
        gathered += k.entries;
        simulated += k.entries;
        flops += k.flops;
      }
      long end = acc.drain();
      memory.endDecodeStep();
      if (timeline != null) {
        timeline.stepFinished(step, end);
      }
      if (step >= options.warmupSteps()) {
        long ps = end - t0;
        stepUs[step - options.warmupSteps()] = ps / 1e6;
        stepNs.recordValue(Math.max(1, ps / 1000));
      }
      for (int s = 0; s < batch; s++) {
        ctx[s]++;
      }
    }
    long measured = acc.sim().now() - measureStart;
    Map<String, Double> phases = new LinkedHashMap<>();
    gpu.phaseTimes().forEach((p, ps) -> phases.put(p, ps / 1e6 / options.measuredSteps()));
    Map<String, Long> stalls = new LinkedHashMap<>();
    for (StallCause c : StallCause.values()) {
      long v = c == StallCause.LAUNCH || c == StallCause.BARRIER ? gpu.gapPs(c)
          : gpu.warpStallPs(c);
      stalls.put(c.key(), v);
    }
    return new Result(model, options, stepUs, phases, stalls, gathered, simulated, memory.stats(),
        measured,
        flops, gatherNs, stepNs, memory.describe(), gpu.kernelsRun(), gpu.kernelsReplayed());
  }

  /** The memory side of {@code memory.fidelity} for a run over the KV buffer {@code kv}. */
  private Accelerator.MemoryFactory configuredMemory(KvLayout kv) {
    long reservation = options.reservationBytes();
    if (cfg.get(AccelKeys.MEMORY_FIDELITY).equals("detailed")) {
      HierarchyParams params = HierarchyMemory.params(cfg, reservation, kv);
      return (sim, messages, units) -> new HierarchyMemory(sim, "memory", messages, units, params);
    }
    return (sim, messages, units) -> new PartitionedLlcMemory(sim, "memory", messages, units, cfg,
        0, reservation, model.entryBytes());
  }

  private record StepKernels(List<Kernel> kernels, long entries, double flops) {}

  /** The kernels of layer {@code l} in one step, in order. */
  private StepKernels layerKernels(Accelerator acc, StepSelection sel, int l, int[] ctx,
      KvLayout kv, KvLayout keys, long indexBase, long attnBase, long attnBytes, long ffnBase,
      long ffnBytes) {
    ComputeSpec spec = acc.compute();
    int batch = options.batch();
    int units = spec.smCount();
    int streamBlocks = units * cfg.get(AccelKeys.STREAM_BLOCKS_PER_SM);
    int maxChunk = (int) (long) cfg.get(AccelKeys.STREAM_CHUNK);
    int chunksInFlight = cfg.get(AccelKeys.STREAM_IN_FLIGHT);
    int streamThreads = 32 * STREAM_WARPS_PER_BLOCK;
    int streamWarps = streamBlocks * STREAM_WARPS_PER_BLOCK * chunksInFlight;
    int regs = cfg.get(AccelKeys.STREAM_REGISTERS);
    List<Kernel> out = new ArrayList<>();
    double flops = 0;
    String tag = " L" + l;

    // attention-side projections (and the indexer's), fp8 or bf16 matrix work on the weights
    double projFlops = 2.0 * batch * (model.attentionParams() + model.indexerParams())
        / model.tensorParallel();
    out.add(new StreamComputeKernel("weights-attn" + tag, "weights", new long[] {attnBase},
        new long[] {attnBytes}, chunk(attnBytes, streamWarps, maxChunk), chunksInFlight, projFlops / Math.max(1, attnBytes),
        model.weightBytes() == 1, TrafficClass.WEIGHTS, streamBlocks, streamThreads, regs));
    flops += projFlops;

    // indexer: every sequence's index keys of this layer, one query each
    long[] keyBase = new long[batch];
    long[] keyBytes = new long[batch];
    double indexerFlops = 0;
    for (int s = 0; s < batch; s++) {
      keyBase[s] = keys.address(s, l, 0);
      keyBytes[s] = (long) ctx[s] * keys.entryBytes();
      indexerFlops += ctx[s] * model.indexerFlopsPerKey();
    }
    if (model.indexKeyBytes() > 0) {
      long total = 0;
      for (long b : keyBytes) {
        total += b;
      }
      out.add(new StreamComputeKernel("indexer" + tag, "indexer", keyBase, keyBytes,
          chunk(total, streamWarps, maxChunk), chunksInFlight, indexerFlops / Math.max(1, total),
          true, TrafficClass.INDEX_KEYS, streamBlocks, streamThreads, regs));
      flops += indexerFlops;
    }

    // top-k selection over the scores
    long keysTotal = 0;
    for (int c : ctx) {
      keysTotal += c;
    }
    long topkInstr = (long) Math.ceil(keysTotal * cfg.get(AccelKeys.TOPK_INSTRUCTIONS) / 32.0);
    out.add(new ComputeKernel("topk" + tag, "topk", batch * Math.max(1, units / batch), 256,
        topkInstr));

    // sparse gather + attention
    int tl = l % sel.layers();
    int[] seqOffset = new int[batch];
    int[] seqCount = new int[batch];
    long[] indexAddr = new long[batch];
    int[] tokens = tokenBuffer(batch, model.topk());
    long entries = 0;
    for (int s = 0; s < batch; s++) {
      int ts = s % sel.seqs();
      int n = Math.min(sel.count(tl, ts), model.topk());
      int off = s * model.topk();
      int[] src = sel.indices();
      int from = sel.offset(tl, ts);
      for (int i = 0; i < n; i++) {
        int t = src[from + i];
        tokens[off + i] = t < ctx[s] ? t : t % ctx[s];
      }
      seqOffset[s] = off;
      seqCount[s] = n;
      indexAddr[s] = indexBase + ((long) l * batch + s) * model.topk() * 4;
      entries += n;
    }
    double attnFlops = entries * model.attentionFlopsPerToken();
    out.add(new SparseAttentionKernel("attention" + tag, "attention", kv, l, tokens, seqOffset,
        seqCount, indexAddr, cfg.get(AccelKeys.ATTENTION_ENTRIES_PER_BLOCK),
        cfg.get(AccelKeys.ATTENTION_IN_FLIGHT), model.attentionFlopsPerToken(),
        32 * cfg.get(AccelKeys.ATTENTION_WARPS), 128));
    flops += attnFlops;

    // the new token's KV entry and index key
    long[] entryAddr = new long[batch];
    long[] keyAddr = new long[batch];
    for (int s = 0; s < batch; s++) {
      entryAddr[s] = kv.address(s, l, ctx[s]);
      keyAddr[s] = keys.address(s, l, ctx[s]);
    }
    out.add(new KvAppendKernel("append" + tag, "append", entryAddr, model.entryBytes(), keyAddr,
        model.indexKeyBytes()));

    // output projection and FFN / experts
    double ffnFlops = model.weightFlops(l, batch) - projFlops;
    if (ffnBytes > 0) {
      out.add(new StreamComputeKernel("weights-ffn" + tag, "weights", new long[] {ffnBase},
          new long[] {ffnBytes}, chunk(ffnBytes, streamWarps, maxChunk), chunksInFlight, ffnFlops / ffnBytes,
          model.weightBytes() == 1, TrafficClass.WEIGHTS, streamBlocks, streamThreads, regs));
      flops += ffnFlops;
    }
    return new StepKernels(out, entries, flops);
  }

  /**
   * Bytes per load of a stream of {@code bytes}: enough loads for every warp of the grid to have
   * its chunks in flight (so that the stream and its arithmetic spread over all units), in whole
   * lines, at least a bulk copy and at most {@code max}.
   */
  static int chunk(long bytes, int warpSlots, int max) {
    long per = (bytes + warpSlots - 1) / Math.max(1, warpSlots);
    per = (per + 127) / 128 * 128;
    return (int) Math.max(PartitionedLlcMemory.BULK_BYTES, Math.min(max, per));
  }

  private static int[] tokenBuffer(int batch, int topk) {
    return new int[batch * topk];
  }

  private static long align(long v) {
    return (v + ALIGN - 1) / ALIGN * ALIGN;
  }
}
