package org.dsasim.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceSink;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dsasim replay} on trace files, opened as the command line opens them. */
class ReplayEndToEndTest {
  @TempDir Path dir;

  static JsonNode replayJson(String... args) throws IOException {
    CommandLine cli = Main.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    assertEquals(0, status, err.toString());
    return new ObjectMapper().readTree(out.toString());
  }

  /**
   * Hits of keeping the whole previous top-k: gathers whose token the same (layer, sequence)
   * selected at the previous step, counted straight from the trace.
   */
  static long previousStepOverlap(Path trace) throws IOException {
    long overlap = 0;
    try (TraceSource source = Traces.open(trace)) {
      TraceHeader h = source.header();
      StepSelection step = StepSelection.forHeader(h);
      BitSet[] previous = new BitSet[h.layers() * h.seqs()];
      BitSet[] current = new BitSet[previous.length];
      for (int g = 0; g < previous.length; g++) {
        previous[g] = new BitSet();
        current[g] = new BitSet();
      }
      while (source.next(step)) {
        for (int l = 0; l < h.layers(); l++) {
          for (int s = 0; s < h.seqs(); s++) {
            int g = l * h.seqs() + s;
            current[g].clear();
            for (int i = 0; i < step.count(l, s); i++) {
              int token = step.index(l, s, i);
              overlap += previous[g].get(token) ? 1 : 0;
              current[g].set(token);
            }
          }
        }
        BitSet[] swap = previous;
        previous = current;
        current = swap;
      }
    }
    return overlap;
  }

  @Test
  void replaysADsatFile() throws IOException {
    ReplayCommandTest.MemorySource generated =
        new ReplayCommandTest.MemorySource(
            ReplayCommandTest.header(2, 2, 8, 656, 50, 20),
            ReplayCommandTest.randomSteps(ReplayCommandTest.header(2, 2, 8, 656, 50, 20), 7));
    Path file = dir.resolve("t.dsat");
    try (TraceSink sink = Traces.create(file, generated.header())) {
      StepSelection step = StepSelection.forHeader(generated.header());
      while (generated.next(step)) {
        sink.write(step);
      }
    }
    JsonNode doc =
        replayJson(
            "replay",
            "--trace",
            file.toString(),
            "--policy",
            "token-lru,prev-topk",
            "--capacity",
            "10,32",
            "--json");
    assertEquals(20 * 2 * 2 * 8, doc.get("accesses").asLong());
    JsonNode r = doc.get("results");
    assertEquals(
        ReplayCommandTest.naiveLruHits(generated.steps, 10), r.get(0).get("hits").asLong());
    assertEquals(
        ReplayCommandTest.naiveLruHits(generated.steps, 32), r.get(1).get("hits").asLong());
    // 32 = layers x seqs x k: prev-topk keeps the whole previous top-k
    assertEquals(previousStepOverlap(file), r.get(3).get("hits").asLong());
  }

  @Test
  void replaysTheCapturedTrace() throws IOException {
    Path trace =
        Path.of(
            System.getProperty("dsasim.repo.root", "."),
            "..",
            "shared",
            "traces",
            "captured-tinylm.npz");
    assumeTrue(Files.isReadable(trace), "the captured trace is beside the repository");
    JsonNode doc =
        replayJson(
            "replay",
            "--trace",
            trace.toString(),
            "--policy",
            "prev-topk",
            "--capacity",
            "12288",
            "--json");
    // 6 sequences x 512 steps x 8 layers x top-256
    assertEquals(6L * 512 * 8 * 256, doc.get("accesses").asLong());
    assertEquals(previousStepOverlap(trace), doc.get("results").get(0).get("hits").asLong());
  }
}
