package org.dsasim.bench;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.dsasim.mem.token.GatherStream;
import org.dsasim.mem.token.ReplayResult;
import org.dsasim.mem.token.TokenReplay;
import org.dsasim.mem.token.TokenSpace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Token-granular replay throughput, in gathered token entries per second on one core.
 *
 * <p>The trace is synthetic and DSA-like, shaped as the captured tiny-LM trace: 8 layers, 6
 * sequences, top-256 of a 4096-token context, 64 decode steps (786,432 gathers per replay); every
 * step about half of each (layer, sequence)'s top-k is replaced, by tokens near recently selected
 * ones or anywhere, and the selection is reshuffled. Capacities are multiples of one step's gathers
 * (12,288 entries).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TokenReplayBenchmark {
  static final int LAYERS = 8;
  static final int SEQS = 6;
  static final int TOPK = 256;
  static final int CONTEXT = 4096;
  static final int STEPS = 64;
  static final int ACCESSES = STEPS * LAYERS * SEQS * TOPK;
  static final TokenSpace SPACE = new TokenSpace(LAYERS, SEQS, TOPK, 64, 656, CONTEXT);
  static final int STEP_ENTRIES = LAYERS * SEQS * TOPK;

  /** selections[step][(layer * SEQS + seq) * TOPK + i]. */
  int[][] selections;

  @Setup(Level.Trial)
  public void generate() {
    SplittableRandom rnd = new SplittableRandom(2026);
    int groups = LAYERS * SEQS;
    int[] current = new int[groups * TOPK];
    boolean[][] selected = new boolean[groups][CONTEXT];
    for (int g = 0; g < groups; g++) {
      for (int i = 0; i < TOPK; i++) {
        current[g * TOPK + i] = pickAbsent(rnd, selected[g], -1);
      }
    }
    selections = new int[STEPS][];
    for (int step = 0; step < STEPS; step++) {
      for (int g = 0; g < groups; g++) {
        int base = g * TOPK;
        for (int i = 0; i < TOPK; i++) {
          if (rnd.nextBoolean()) {
            int near = rnd.nextBoolean() ? current[base + rnd.nextInt(TOPK)] : -1;
            selected[g][current[base + i]] = false;
            current[base + i] = pickAbsent(rnd, selected[g], near);
          }
        }
        for (int i = TOPK - 1; i > 0; i--) {
          int j = rnd.nextInt(i + 1);
          int t = current[base + i];
          current[base + i] = current[base + j];
          current[base + j] = t;
        }
      }
      selections[step] = current.clone();
    }
  }

  /** A token not selected yet: within 8 of {@code near} when given, else anywhere. */
  private static int pickAbsent(SplittableRandom rnd, boolean[] selected, int near) {
    while (true) {
      int t = near >= 0 ? Math.floorMod(near + rnd.nextInt(-8, 9), CONTEXT) : rnd.nextInt(CONTEXT);
      if (!selected[t]) {
        selected[t] = true;
        return t;
      }
      near = -1;
    }
  }

  private GatherStream stream() {
    int[] next = {0};
    return sink -> {
      if (next[0] == STEPS) {
        return false;
      }
      int[] step = selections[next[0]++];
      for (int l = 0; l < LAYERS; l++) {
        for (int s = 0; s < SEQS; s++) {
          sink.gather(s, l, step, (l * SEQS + s) * TOPK, TOPK);
        }
      }
      return true;
    };
  }

  private long replay(TokenReplay replay) throws IOException {
    List<ReplayResult> results = replay.run(stream());
    long sum = 0;
    for (ReplayResult r : results) {
      sum += r.hits();
    }
    return sum;
  }

  /** token-lru at 4 steps' worth of entries (49,152), one instance. */
  @Benchmark
  @OperationsPerInvocation(ACCESSES)
  public long tokenLru() throws IOException {
    return replay(new TokenReplay(SPACE).add("token-lru", 4 * STEP_ENTRIES));
  }

  /** token-lru at 8 capacities (1/4 to 32 steps' worth) from one stack-distance pass. */
  @Benchmark
  @OperationsPerInvocation(ACCESSES)
  public long tokenLruCurve() throws IOException {
    TokenReplay replay = new TokenReplay(SPACE);
    for (int quarters = 1; quarters <= 128; quarters *= 2) {
      replay.add("token-lru", quarters * STEP_ENTRIES / 4);
    }
    return replay(replay);
  }

  /** Every registered policy at 4 steps' worth, belady included (records the stream). */
  @Benchmark
  @OperationsPerInvocation(ACCESSES)
  public long allPolicies() throws IOException {
    TokenReplay replay = new TokenReplay(SPACE);
    for (String p : List.of("token-lru", "prev-topk", "page-lru", "window", "belady")) {
      replay.add(p, 4 * STEP_ENTRIES);
    }
    return replay(replay);
  }
}
