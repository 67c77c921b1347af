package org.dsasim.accel.workload;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dsasim.accel.config.AccelKeys;
import org.dsasim.core.UserInputException;
import org.dsasim.core.io.TextFiles;
import org.dsasim.core.config.Config;
import org.dsasim.core.config.PresetLibrary;
import org.dsasim.workloads.gen.GeneratorParams;
import org.dsasim.workloads.gen.GeneratorShape;
import org.dsasim.workloads.gen.Generators;
import org.dsasim.workloads.trace.TraceSource;
import org.dsasim.workloads.trace.Traces;

/**
 * Where a simulation's top-k selections come from: a trace file ({@code .dsat} or {@code .npz})
 * or a generator of {@code org.dsasim.workloads.gen} by name ({@code uniform},
 * {@code persist-uniform}, {@code dsa}: the paper-fitted regime).
 */
public final class Workloads {
  /** {@code decode.workload_params} value that keeps the generator's built-in defaults. */
  public static final String BUILT_IN = "built-in";

  /**
   * Packaged parameter sets, parsed once per process: they cannot change while it runs, and a
   * sweep or the default study opens the same set for every run.
   */
  private static final Map<String, GeneratorParams> PACKAGED = new ConcurrentHashMap<>();

  private Workloads() {}

  /**
   * The configured workload ({@code decode.workload}), with {@code decode.persist} for
   * {@code persist-uniform} and {@code decode.workload_params} for {@code dsa}.
   */
  public static TraceSource open(Config cfg, GeneratorShape shape) {
    String source = cfg.get(AccelKeys.WORKLOAD_SOURCE);
    if (source.equals("dsa")) {
      return Generators.create(source, shape, dsaParams(cfg.get(AccelKeys.WORKLOAD_PARAMS)));
    }
    return open(source, shape, cfg.get(AccelKeys.PERSIST));
  }

  /**
   * Opens {@code source}: a generator name, or else a path to a trace file.
   *
   * @param shape the decode run a generator produces (ignored for a trace file)
   * @param persist {@code persist-uniform}'s share of a selection kept from the previous step
   */
  public static TraceSource open(String source, GeneratorShape shape, double persist) {
    if (isGenerator(source)) {
      GeneratorParams params = source.equals("persist-uniform")
          ? GeneratorParams.parse(String.format(Locale.ROOT, "persist: %s", persist),
              "decode.persist")
          : GeneratorParams.none();
      return Generators.create(source, shape, params);
    }
    Path file;
    try {
      file = Path.of(source);
    } catch (InvalidPathException e) {
      throw new UserInputException("workload '" + source + "' is not a generator ("
          + String.join(", ", Generators.NAMES) + ") nor a usable file name: " + e.getReason());
    }
    if (!Files.exists(file)) {
      throw new UserInputException("workload '" + source + "' is neither a generator ("
          + String.join(", ", Generators.NAMES) + ") nor an existing trace file (.dsat or .npz)");
    }
    return Traces.open(file);
  }

  /** Whether {@code source} names a generator rather than a trace file. */
  public static boolean isGenerator(String source) {
    return Generators.NAMES.contains(source);
  }

  /**
   * The {@code dsa} generator's parameters named by {@code decode.workload_params}:
   * {@value #BUILT_IN}, a parameter set packaged as {@code configs/workloads/NAME.yaml}, or a
   * file.
   */
  static GeneratorParams dsaParams(String name) {
    if (name.equals(BUILT_IN)) {
      return GeneratorParams.none();
    }
    if (!name.contains("/") && !name.endsWith(".yaml")) {
      return PACKAGED.computeIfAbsent(name, Workloads::packagedParams);
    }
    return GeneratorParams.load(Path.of(name));
  }

  private static GeneratorParams packagedParams(String name) {
    String resource = PresetLibrary.ROOT + "/workloads/" + name + ".yaml";
    String text = TextFiles.resource(resource).orElseThrow(() -> new UserInputException(
        AccelKeys.WORKLOAD_PARAMS.name() + ": no packaged parameter set '" + name + "' ("
            + resource + "); give a file path or '" + BUILT_IN + "'"));
    return GeneratorParams.parse(text, resource);
  }

  /** The calibration set's selections for one experiment (a fixed context: no growth). */
  public static TraceSource persistUniform(int steps, int layers, int seqs, int topk, int ctx,
      int entryBytes, double persist, long seed) {
    return open("persist-uniform",
        new GeneratorShape(steps, layers, seqs, topk, ctx, 0, entryBytes, seed), persist);
  }
}
