package org.dsasim.workloads.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceSource;
import org.junit.jupiter.api.Test;

/** The uniform and persist-uniform generators against their definitions. */
class SimpleGeneratorsTest {
  /** Mean over steps >= 1 of |S(t) and S(t-1)| of layer 0, sequence 0; and the minimum. */
  private static double[] overlapWithPrevious(TraceSource src) throws IOException {
    StepSelection step = StepSelection.forHeader(src.header());
    Set<Integer> previous = null;
    double sum = 0;
    double min = Double.MAX_VALUE;
    int n = 0;
    while (src.next(step)) {
      Set<Integer> now = new HashSet<>();
      for (int i = 0; i < step.count(0, 0); i++) {
        now.add(step.index(0, 0, i));
      }
      if (previous != null) {
        Set<Integer> common = new HashSet<>(now);
        common.retainAll(previous);
        sum += common.size();
        min = Math.min(min, common.size());
        n++;
      }
      previous = now;
    }
    return new double[] {sum / n, min};
  }

  private static GeneratorParams persist(double p) {
    return GeneratorParams.parse("persist: " + p, "test");
  }

  @Test
  void persistUniformKeepsRoundPersistTimesTopkAndFillsUniformly() throws IOException {
    // fixed context 200, k = 40, persist 0.5: 20 kept, 20 drawn from the 180 other tokens, of
    // which 20 are the rest of the previous set: 20 + 20 * 20 / 180 in common on average
    GeneratorShape shape = new GeneratorShape(3000, 1, 1, 40, 200, 0, 656, 3);
    double[] o = overlapWithPrevious(Generators.create("persist-uniform", shape, persist(0.5)));
    assertEquals(20 + 20.0 * 20 / 180, o[0], 0.15);
    assertTrue(o[1] >= 20);
  }

  @Test
  void persistUniformRoundsHalfUp() throws IOException {
    // k = 5, persist 0.5: round(2.5) = 3 kept at every step
    GeneratorShape shape = new GeneratorShape(400, 1, 1, 5, 1000, 0, 656, 3);
    double[] o = overlapWithPrevious(Generators.create("persist-uniform", shape, persist(0.5)));
    assertTrue(o[1] >= 3, "min " + o[1]);
  }

  @Test
  void persistOneRepeatsAndPersistZeroIsUniform() throws IOException {
    GeneratorShape shape = new GeneratorShape(500, 1, 1, 16, 256, 0, 656, 3);
    double[] all = overlapWithPrevious(Generators.create("persist-uniform", shape, persist(1)));
    assertEquals(16, all[0], 0);
    assertEquals(16, all[1], 0);
    // nothing kept: two independent uniform 16-subsets of 256 share 16 * 16 / 256 = 1 on average
    double[] none = overlapWithPrevious(Generators.create("persist-uniform", shape, persist(0)));
    assertEquals(1.0, none[0], 0.15);
    double[] uniform =
        overlapWithPrevious(Generators.create("uniform", shape, GeneratorParams.none()));
    assertEquals(1.0, uniform[0], 0.15);
  }
}
