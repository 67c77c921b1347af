package org.dsasim.workloads.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dsasim.workloads.trace.TraceOverrides;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;

/**
 * The captured trace of the shared folder ({@code traces/captured-tinylm.npz}: 6 sequences, 512
 * steps, 8 layers, 256 rank-ordered indices per row), read through {@link Traces} with the first
 * {@code k} indices of each row and context 3584 + t at step t.
 */
public final class CapturedTinyLm {
  public static final int PROMPT = 3584;

  private CapturedTinyLm() {}

  public static Path path() {
    return Path.of(System.getProperty("dsasim.repo.root", "."), "..", "shared", "traces",
        "captured-tinylm.npz");
  }

  public static boolean available() {
    return Files.isReadable(path());
  }

  /** The trace with the first {@code k} (<= 256) indices of every row. */
  public static TraceSource open(int k) {
    return Traces.open(path(), new TraceOverrides(null, null, null, null, k, PROMPT));
  }
}
