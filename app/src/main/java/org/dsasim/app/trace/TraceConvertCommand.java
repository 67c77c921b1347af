package org.dsasim.app.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dsasim.core.UserInputException;
import org.dsasim.workloads.trace.DsatReader;
import org.dsasim.workloads.trace.TraceOverrides;
import org.dsasim.workloads.trace.Traces;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dsasim trace convert IN OUT}: a .npz or .dsat trace to a .dsat trace. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Convert a NumPy .npz trace (or a .dsat trace) to a .dsat trace, optionally replacing"
          + " header values and cutting rows to a smaller top-k. The output appears only when"
          + " complete.",
      "Without --prompt-len and without a context_len array, context lengths are inferred as"
          + " (largest index the sequence selected so far) + 1; see docs/trace-format.md."
    })
public final class TraceConvertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN", description = "A .npz archive or a .dsat trace.")
  Path input;

  @Parameters(index = "1", paramLabel = "OUT", description = "The .dsat trace to write.")
  Path output;

  @Option(names = "--entry-bytes", paramLabel = "B",
      description = "Bytes of one KV entry of one token and layer (default: the input's, else"
          + " 656, DeepSeek-V3.2 MLA FP8).")
  Integer entryBytes;

  @Option(names = "--index-key-bytes", paramLabel = "B",
      description = "Bytes of one indexer key per token and layer (default: the input's, else"
          + " 132).")
  Integer indexKeyBytes;

  @Option(names = "--page-size", paramLabel = "P",
      description = "Tokens per KV page (default: the input's, else 64).")
  Integer pageSize;

  @Option(names = "--topk", paramLabel = "K",
      description = "Keep the first K selected tokens of every row (rows are rank-ordered in"
          + " captured traces, so this is the top-K); at most the input's k.")
  Integer topk;

  @Option(names = "--model", paramLabel = "NAME", description = "Model name to record.")
  String model;

  @Option(names = "--prompt-len", paramLabel = "N",
      description = "Context length before the first step; without a context_len array the"
          + " context at step t is N + t.")
  Integer promptLen;

  @Override
  public Integer call() throws Exception {
    String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npz")) {
      throw new UserInputException(output + ": writing .npz is not supported; the output of"
          + " 'trace convert' is a .dsat trace");
    }
    TraceOverrides overrides =
        new TraceOverrides(model, entryBytes, indexKeyBytes, pageSize, topk, promptLen);
    long steps = TraceOutput.write(Traces.open(input, overrides), output);
    long size = Files.size(output);
    long indices;
    try (DsatReader written = DsatReader.open(output)) {
      indices = written.totalIndices();
    }
    return TraceOutput.report(spec,
        "wrote %s: %d steps, %,d indices, %,d bytes (%s bytes per index)%n", output, steps,
        indices, size, indices == 0 ? "-"
            : String.format(Locale.ROOT, "%.3f", (double) size / indices));
  }
}
