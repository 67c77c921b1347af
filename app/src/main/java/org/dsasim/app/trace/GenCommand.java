package org.dsasim.app.trace;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dsasim.workloads.gen.GeneratorParams;
import org.dsasim.workloads.gen.GeneratorShape;
import org.dsasim.workloads.gen.Generators;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dsasim trace gen}: a synthetic trace from a generator. */
@Command(
    name = "gen",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a synthetic trace. Generators: uniform (independent uniform selections),"
          + " persist-uniform (the H200 calibration experiments' selections; parameter persist),"
          + " dsa (a DSA access-pattern model; parameters in docs/workloads.md, presets in"
          + " configs/workloads/). Same options and seed, same trace."
    })
public final class GenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--generator", required = true, paramLabel = "NAME",
      description = "uniform, persist-uniform or dsa.")
  String generator;

  @Option(names = "--params", paramLabel = "P.yaml",
      description = "The generator's parameters (YAML); defaults for those not given.")
  Path params;

  @Option(names = "--steps", required = true, paramLabel = "N", description = "Decode steps.")
  int steps;

  @Option(names = "--layers", required = true, paramLabel = "L", description = "Layers.")
  int layers;

  @Option(names = "--seqs", required = true, paramLabel = "S", description = "Sequences.")
  int seqs;

  @Option(names = "--topk", required = true, paramLabel = "K",
      description = "Tokens selected per step, layer and sequence.")
  int topk;

  @Option(names = "--context", required = true, paramLabel = "C",
      description = "Context length (tokens) at step 0.")
  int context;

  @Option(names = "--context-growth", paramLabel = "G", defaultValue = "1",
      description = "Tokens added to the context per step (default ${DEFAULT-VALUE}; 0 keeps it"
          + " fixed, as in the calibration experiments).")
  int contextGrowth;

  @Option(names = "--entry-bytes", paramLabel = "B", defaultValue = "656",
      description = "Bytes of one KV entry, recorded in the header (default ${DEFAULT-VALUE}).")
  int entryBytes;

  @Option(names = "--seed", paramLabel = "X", defaultValue = "1",
      description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "F.dsat",
      description = "The trace to write (appears only when complete).")
  Path output;

  @Override
  public Integer call() throws Exception {
    GeneratorShape shape =
        new GeneratorShape(steps, layers, seqs, topk, context, contextGrowth, entryBytes, seed);
    GeneratorParams p = params == null ? GeneratorParams.none() : GeneratorParams.load(params);
    long written = TraceOutput.write(Generators.create(generator, shape, p), output);
    return TraceOutput.report(spec, "wrote %s: %s, %d steps x %d layers x %d sequences, top-k %d,"
        + " context %d..%d%n", output, generator, written, layers, seqs, topk, context,
        shape.maxContext());
  }
}
