package org.dsasim.app.trace;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.dsasim.core.UserInputException;
import org.dsasim.core.io.AtomicFiles;
import org.dsasim.workloads.gen.DsaFitter;
import org.dsasim.workloads.gen.DsaParams;
import org.dsasim.workloads.gen.FitTargets;
import org.dsasim.workloads.gen.GeneratorParams;
import org.dsasim.workloads.gen.GeneratorShape;
import org.dsasim.workloads.trace.TraceOverrides;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dsasim trace fit}: parameters of the dsa generator that reproduce a trace. */
@Command(
    name = "fit",
    mixinStandardHelpOptions = true,
    description = {
      "Fit the dsa generator's parameters to a trace (FILE), or to given statistics (--target"
          + " with the shape options), by simulating with the generator itself; write them as a"
          + " parameter file for 'dsasim trace gen --generator dsa --params'. Deterministic.",
      "Statistics for --target: new_fraction, new_fraction_p95, inter_layer_overlap,"
          + " working_set_50, reselection_distance, page_utilization_64, contiguity."
    })
public final class FitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
      description = "A .dsat trace or a .npz archive to fit.")
  Path file;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "PARAMS.yaml",
      description = "The parameter file to write.")
  Path output;

  @Option(names = "--target", paramLabel = "NAME=VALUE,...",
      description = "Fit these statistics instead of a trace's (needs the shape options).")
  String target;

  @Option(names = "--steps", paramLabel = "N", description = "With --target: decode steps.")
  Integer steps;

  @Option(names = "--layers", paramLabel = "L", description = "With --target: layers.")
  Integer layers;

  @Option(names = "--seqs", paramLabel = "S", description = "With --target: sequences.")
  Integer seqs;

  @Option(names = "--topk", paramLabel = "K",
      description = "With --target: top-k. With FILE: fit the first K tokens of every row.")
  Integer topk;

  @Option(names = "--context", paramLabel = "C",
      description = "With --target: context length at step 0 (growing by one per step).")
  Integer context;

  @Option(names = "--params", paramLabel = "BASE.yaml",
      description = "With --target: the parameters not fitted (anchors, look-back horizon,"
          + " recency scale, cohesion unless contiguity is a target); default: the built-in"
          + " ones.")
  Path base;

  @Option(names = "--prompt-len", paramLabel = "N",
      description = "With FILE: for inputs without context lengths, the context at step t is"
          + " N + t.")
  Integer promptLen;

  @Option(names = "--seed", paramLabel = "X", defaultValue = "1",
      description = "Seed of the simulated traces (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--tolerance", paramLabel = "T", defaultValue = "0.02",
      description = "Stop once every statistic is within this relative error (default"
          + " ${DEFAULT-VALUE}).")
  double tolerance;

  @Option(names = "--max-simulations", paramLabel = "N", defaultValue = "40",
      description = "Most generator runs to spend (default ${DEFAULT-VALUE}).")
  int maxSimulations;

  @Option(names = "--simulation-seqs", paramLabel = "S", defaultValue = "0",
      description = "Sequences per simulated trace; fewer is faster and noisier (default: as"
          + " many as the trace).")
  int simulationSeqs;

  @Option(names = {"-v", "--verbose"}, description = "Print every simulation.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if ((file == null) == (target == null)) {
      throw new UserInputException("give either a trace FILE or --target (not both)");
    }
    if (tolerance <= 0 || maxSimulations < 1 || simulationSeqs < 0) {
      throw new UserInputException(
          "--tolerance must be positive, --max-simulations at least 1, --simulation-seqs >= 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    Consumer<String> log = verbose ? out::println : line -> {};
    DsaFitter.Options options =
        new DsaFitter.Options(tolerance, maxSimulations, simulationSeqs, seed);
    DsaFitter.Result fit;
    String source;
    if (file != null) {
      if (steps != null || layers != null || seqs != null || context != null || base != null) {
        throw new UserInputException("--steps, --layers, --seqs, --context and --params go with"
            + " --target; a trace brings its own shape");
      }
      DsaFitter.Measurement m;
      try (TraceSource src =
          Traces.open(file, new TraceOverrides(null, null, null, null, topk, promptLen))) {
        m = DsaFitter.measure(src, seed);
      }
      fit = DsaFitter.fit(m, options, log);
      source = "the trace " + file + (topk == null ? "" : " (first " + topk + " of each row)");
    } else {
      if (steps == null || layers == null || seqs == null || topk == null || context == null) {
        throw new UserInputException(
            "--target needs --steps, --layers, --seqs, --topk and --context");
      }
      GeneratorShape shape = new GeneratorShape(steps, layers, seqs, topk, context, seed);
      DsaParams start =
          base == null ? DsaParams.defaults() : DsaParams.parse(GeneratorParams.load(base));
      fit = DsaFitter.fit(FitTargets.parse(target), start, shape, options, log);
      source = "the statistics " + target;
    }
    GeneratorShape s = fit.shape();
    String header = String.format(Locale.ROOT,
        "# dsa generator parameters fitted by 'dsasim trace fit' to %s%n"
            + "# simulated at %d steps, %d layers, %d sequences, top-k %d, context %d (+%d per"
            + " step), seed %d; %d simulations%n"
            + "# target:   %s%n# achieved: %s%n",
        source, s.steps(), s.layers(), s.seqs(), s.topk(), s.context(), s.contextGrowth(),
        s.seed(), fit.simulations(), fit.target(), fit.achieved());
    AtomicFiles.writeString(output, header + fit.params().toYaml());
    return TraceOutput.report(spec, "target:   %s%nachieved: %s%nworst relative error %.3f after"
        + " %d simulations%nwrote %s%n", fit.target(), fit.achieved(), fit.worstRelativeError(),
        fit.simulations(), output);
  }
}
