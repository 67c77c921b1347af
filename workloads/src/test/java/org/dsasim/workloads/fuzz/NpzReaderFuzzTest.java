package org.dsasim.workloads.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the {@code .npz} reader (zip directory, {@code .npy} headers, dtypes,
 * shapes, the trace arrays). Seeds and every input that once failed are in {@code
 * NpzReaderFuzzTestInputs/}; they are replayed by every build.
 */
class NpzReaderFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void readsOrRefuses(byte[] bytes) throws IOException {
    TraceFuzzing.readWhole(bytes, "input.npz");
  }
}
