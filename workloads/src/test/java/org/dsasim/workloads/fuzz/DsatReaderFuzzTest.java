package org.dsasim.workloads.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the {@code .dsat} reader (header, footer, blocks, zstd payload,
 * varints). Seeds and every input that once failed are in {@code DsatReaderFuzzTestInputs/}; they
 * are replayed by every build. See docs/errors.md for fuzzing runs.
 */
class DsatReaderFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void readsOrRefuses(byte[] bytes) throws IOException {
    TraceFuzzing.readWhole(bytes, "input.dsat");
  }
}
