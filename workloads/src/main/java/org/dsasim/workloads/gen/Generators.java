package org.dsasim.workloads.gen;

import java.util.List;
import org.dsasim.core.UserInputException;
import org.dsasim.workloads.trace.TraceSource;

/** The synthetic trace generators, by name. */
public final class Generators {
  /** Generator names, in the order help texts list them. */
  public static final List<String> NAMES =
      List.of(UniformGenerator.NAME, PersistUniformGenerator.NAME, DsaGenerator.NAME);

  private Generators() {}

  /**
   * A generator as a trace source.
   *
   * @param name one of {@link #NAMES}
   * @param params its parameters ({@link GeneratorParams#none()} for the defaults)
   */
  public static TraceSource create(String name, GeneratorShape shape, GeneratorParams params) {
    switch (name) {
      case UniformGenerator.NAME:
        return new UniformGenerator(shape, params);
      case PersistUniformGenerator.NAME:
        return new PersistUniformGenerator(shape, params);
      case DsaGenerator.NAME:
        return new DsaGenerator(shape, DsaParams.parse(params), params.origin());
      default:
        String hint = GeneratorParams.closest(name, NAMES);
        throw new UserInputException(
            "unknown generator '" + name + "'" + (hint == null ? "" : " (did you mean '" + hint
                + "'?)") + "; known: " + String.join(", ", NAMES));
    }
  }

  /** The {@code dsa} generator with parameters already in hand (the fitter uses this). */
  public static TraceSource dsa(GeneratorShape shape, DsaParams params) {
    return new DsaGenerator(shape, params, "dsa parameters");
  }
}
