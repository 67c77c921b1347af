package org.dsasim.workloads.analyze;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.dsasim.workloads.npz.NpzBuilder;
import org.dsasim.workloads.testing.ArrayTrace;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceSink;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * npz -> dsat -> analyze gives the statistics that the reference implementation computes from the
 * arrays written into the npz.
 */
class NpzRoundTripAnalysisTest {
  @TempDir Path dir;

  @Test
  void analyzingTheConvertedArchiveMatchesTheReference() throws IOException {
    int steps = 110;
    int layers = 3;
    int seqs = 2;
    int k = 16;
    int context = 300;
    // short rows, empty rows and duplicates, padded with -1 to k in the archive
    int[][][][] sel = ArrayTrace.random(21, steps, layers, seqs, k, context).selections();
    int[] indices = new int[steps * layers * seqs * k];
    Arrays.fill(indices, -1);
    for (int t = 0; t < steps; t++) {
      for (int l = 0; l < layers; l++) {
        for (int s = 0; s < seqs; s++) {
          int[] row = sel[t][l][s];
          System.arraycopy(row, 0, indices, ((t * layers + l) * seqs + s) * k, row.length);
        }
      }
    }
    int[] contextLen = new int[steps * seqs];
    Arrays.fill(contextLen, context);
    Path npz = dir.resolve("trace.npz");
    new NpzBuilder()
        .ints("indices", new long[] {steps, layers, seqs, k}, indices)
        .ints("context_len", new long[] {steps, seqs}, contextLen)
        .write(npz, true);

    Path dsat = dir.resolve("trace.dsat");
    try (TraceSource src = Traces.open(npz); TraceSink sink = Traces.create(dsat, src.header())) {
      StepSelection step = StepSelection.forHeader(src.header());
      while (src.next(step)) {
        sink.write(step);
      }
    }
    TraceStatistics st;
    try (TraceSource src = Traces.open(dsat)) {
      st = TraceAnalyzer.analyze(src, true);
    }
    new ReferenceAnalysis(sel, k).assertMatches(st);
  }
}
