package org.dsasim.workloads.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dsasim.workloads.gen.GeneratorParams;
import org.dsasim.workloads.gen.GeneratorShape;
import org.dsasim.workloads.gen.Generators;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceSink;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Analyzing a trace streams: a JVM whose heap is smaller than the trace's decoded indices analyzes
 * it completely, with the stack-distance profiles.
 */
class BoundedMemoryAnalysisTest {
  private static final String HEAP = "-Xmx16m";
  private static final long HEAP_BYTES = 16L << 20;

  @TempDir Path dir;

  /** Run in the small-heap JVM: analyzes the file and prints "indices accesses max_heap". */
  public static void main(String[] args) throws IOException {
    try (TraceSource src = Traces.open(Paths.get(args[0]))) {
      TraceStatistics st = TraceAnalyzer.analyze(src, true);
      System.out.println(st.indices() + " " + st.reuse().accesses() + " "
          + Runtime.getRuntime().maxMemory());
    }
  }

  @Test
  void analyzesATraceLargerThanTheHeap() throws Exception {
    // 1,700 steps x 4 layers x 4 sequences x 256 = 7 M indices: 28 MB as int32
    GeneratorShape shape = new GeneratorShape(1700, 4, 4, 256, 4096, 1, 656, 5);
    Path file = dir.resolve("large.dsat");
    long written = 0;
    try (TraceSource gen = Generators.create("persist-uniform", shape, GeneratorParams.none());
        TraceSink sink = Traces.create(file, gen.header())) {
      StepSelection step = StepSelection.forHeader(gen.header());
      while (gen.next(step)) {
        sink.write(step);
        for (int l = 0; l < step.layers(); l++) {
          for (int s = 0; s < step.seqs(); s++) {
            written += step.count(l, s);
          }
        }
      }
    }
    assertTrue(written * Integer.BYTES > HEAP_BYTES * 3 / 2, "indices " + written);

    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), HEAP, "-XX:+UseSerialGC", "-cp",
            System.getProperty("java.class.path"), BoundedMemoryAnalysisTest.class.getName(),
            file.toString()))
        .redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the analysis did not end");
    assertEquals(0, p.exitValue(), out);
    String[] fields = out.split(" ");
    assertEquals(written, Long.parseLong(fields[0]), out);
    assertEquals(written, Long.parseLong(fields[1]), out);
    long maxHeap = Long.parseLong(fields[2]);
    assertTrue(maxHeap < written * Integer.BYTES, "heap " + maxHeap + " holds the indices");
  }
}
