package org.dsasim.app.trace;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.dsasim.workloads.trace.DsatReader;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceHeader;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dsasim trace info FILE}: the header and, from one full read (which also verifies every
 * checksum of a {@code .dsat}), the step and index counts, context range and compactness.
 */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = {
      "Print a trace's header, size and compactness. Reads the whole file, so every block"
          + " checksum of a .dsat trace is verified."
    })
public final class TraceInfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "A .dsat trace or a .npz archive.")
  Path file;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Traces.Format format = Traces.formatOf(file);
    try (TraceSource src = Traces.open(file)) {
      TraceHeader h = src.header();
      StepSelection s = StepSelection.forHeader(h);
      long steps = 0;
      long indices = 0;
      long minContext = Long.MAX_VALUE;
      long maxContext = Long.MIN_VALUE;
      while (src.next(s)) {
        steps++;
        for (int l = 0; l < h.layers(); l++) {
          for (int q = 0; q < h.seqs(); q++) {
            indices += s.count(l, q);
          }
        }
        for (int q = 0; q < h.seqs(); q++) {
          minContext = Math.min(minContext, s.contextLen(q));
          maxContext = Math.max(maxContext, s.contextLen(q));
        }
      }
      long size = Files.size(file);
      line(out, "file", file.toString());
      line(out, "format", format == Traces.Format.DSAT
          ? ".dsat (zstd-compressed blocks, CRC32C-checked)" : "NumPy .npz archive");
      line(out, "model", h.model());
      line(out, "layers", Integer.toString(h.layers()));
      line(out, "sequences", Integer.toString(h.seqs()));
      line(out, "top-k", Integer.toString(h.topk()));
      line(out, "entry bytes", Integer.toString(h.entryBytes()));
      line(out, "index key bytes", Integer.toString(h.indexKeyBytes()));
      line(out, "page size", h.pageTokens() + " tokens");
      line(out, "prompt length", h.promptLen() == 0 ? "0 (unknown)" : Integer.toString(
          h.promptLen()));
      line(out, "steps", Long.toString(steps));
      boolean first = true;
      for (Map.Entry<String, String> e : new TreeMap<>(h.metadata()).entrySet()) {
        line(out, first ? "metadata" : "", e.getKey() + " = " + e.getValue());
        first = false;
      }
      if (steps > 0) {
        line(out, "context length", minContext + " .. " + maxContext);
      }
      long slots = steps * h.layers() * h.seqs() * h.topk();
      line(out, "indices", grouped(indices) + (slots == 0 ? ""
          : String.format(Locale.ROOT, " (%.1f%% of %s slots)", 100.0 * indices / slots,
              grouped(slots))));
      line(out, "size", grouped(size) + " bytes");
      if (indices > 0) {
        line(out, "bytes per index", String.format(Locale.ROOT, "%.3f", (double) size / indices));
        line(out, "compression", String.format(Locale.ROOT, "%.2fx vs 4-byte indices",
            4.0 * indices / size));
      }
      if (src instanceof DsatReader r) {
        if (r.compressedBytesRead() > 0) {
          line(out, "zstd", String.format(Locale.ROOT, "%.2fx on the varint encoding (%s -> %s"
              + " bytes)", (double) r.rawBytesRead() / r.compressedBytesRead(),
              grouped(r.rawBytesRead()), grouped(r.compressedBytesRead())));
        }
        line(out, "blocks", r.blocks() + " (all checksums verified)");
      }
    }
    out.flush();
    return 0;
  }

  private static void line(PrintWriter out, String key, String value) {
    out.printf(Locale.ROOT, "%-17s %s%n", key, value);
  }

  private static String grouped(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
