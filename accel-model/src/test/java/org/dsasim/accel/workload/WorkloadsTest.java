package org.dsasim.accel.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.dsasim.accel.TestConfigs;
import org.dsasim.core.UserInputException;
import org.dsasim.workloads.gen.GeneratorShape;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceSource;
import org.junit.jupiter.api.Test;

class WorkloadsTest {
  private static final GeneratorShape SHAPE = new GeneratorShape(3, 2, 2, 64, 4096, 1, 656, 5);

  private static int[] firstSelections(String... settings) throws IOException {
    try (TraceSource src = Workloads.open(TestConfigs.with(settings), SHAPE)) {
      StepSelection sel = StepSelection.forHeader(src.header());
      int[] all = new int[3 * 2 * 2 * 64];
      int n = 0;
      while (src.next(sel)) {
        for (int l = 0; l < 2; l++) {
          for (int s = 0; s < 2; s++) {
            int from = sel.offset(l, s);
            for (int i = 0; i < sel.count(l, s); i++) {
              all[n++] = sel.indices()[from + i];
            }
          }
        }
      }
      return java.util.Arrays.copyOf(all, n);
    }
  }

  @Test
  void thePackagedPaperFittedParametersDifferFromTheBuiltInOnes() throws IOException {
    assertTrue(Workloads.dsaParams("paper-fitted").origin().endsWith(
        "configs/workloads/paper-fitted.yaml"));
    int[] fitted = firstSelections("decode.workload=dsa");
    int[] builtIn = firstSelections("decode.workload=dsa", "decode.workload_params=built-in");
    assertEquals(fitted.length, builtIn.length);
    assertNotEquals(java.util.Arrays.toString(fitted), java.util.Arrays.toString(builtIn));
  }

  @Test
  void anUnknownParameterSetNamesTheKey() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> Workloads.dsaParams("paper-fited"));
    assertTrue(e.getMessage().contains("decode.workload_params"), e.getMessage());
  }
}
