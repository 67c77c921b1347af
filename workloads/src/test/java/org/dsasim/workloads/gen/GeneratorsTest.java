package org.dsasim.workloads.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dsasim.core.UserInputException;
import org.dsasim.workloads.trace.StepSelection;
import org.dsasim.workloads.trace.TraceSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeneratorsTest {
  private static final String PARAMS =
      "persist: 0.5\n"; // used for persist-uniform only

  private static GeneratorParams paramsFor(String name) {
    return name.equals(PersistUniformGenerator.NAME)
        ? GeneratorParams.parse(PARAMS, "test.yaml")
        : GeneratorParams.none();
  }

  @ParameterizedTest
  @ValueSource(strings = {"uniform", "persist-uniform", "dsa"})
  void sameSeedSameTraceOtherSeedOtherTrace(String name) throws IOException {
    GeneratorShape shape = new GeneratorShape(30, 3, 2, 32, 500, 42);
    try (TraceSource a = Generators.create(name, shape, paramsFor(name));
        TraceSource b = Generators.create(name, shape, paramsFor(name));
        TraceSource c = Generators.create(name, shape.withSeed(43), paramsFor(name))) {
      StepSelection sa = StepSelection.forHeader(a.header());
      StepSelection sb = StepSelection.forHeader(b.header());
      StepSelection sc = StepSelection.forHeader(c.header());
      boolean differs = false;
      while (a.next(sa)) {
        assertTrue(b.next(sb));
        assertTrue(c.next(sc));
        assertTrue(sa.sameAs(sb), "step " + sa.step());
        differs |= !sa.sameAs(sc);
      }
      assertFalse(b.next(sb));
      assertTrue(differs, "another seed gives another trace");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"uniform", "persist-uniform", "dsa"})
  void selectionsAreSortedDistinctAndInsideTheGrowingContext(String name) throws IOException {
    // the context starts shorter than topk: min(topk, context) tokens, all of them at first
    GeneratorShape shape = new GeneratorShape(80, 3, 2, 24, 20, 1, 656, 9);
    try (TraceSource src = Generators.create(name, shape, paramsFor(name))) {
      assertEquals(80, src.header().steps());
      assertEquals("generated:" + name, src.header().model());
      StepSelection step = StepSelection.forHeader(src.header());
      int t = 0;
      while (src.next(step)) {
        assertEquals(t, step.step());
        int context = 20 + t;
        for (int s = 0; s < 2; s++) {
          assertEquals(context, step.contextLen(s));
          for (int l = 0; l < 3; l++) {
            assertEquals(Math.min(24, context), step.count(l, s), "step " + t);
            for (int i = 0; i < step.count(l, s); i++) {
              int x = step.index(l, s, i);
              assertTrue(x >= 0 && x < context, "index " + x + " in context " + context);
              assertTrue(i == 0 || step.index(l, s, i - 1) < x, "sorted and distinct");
            }
          }
        }
        t++;
      }
      assertEquals(80, t);
    }
  }

  @Test
  void unknownGeneratorSuggestsTheClosestName() {
    UserInputException e =
        assertThrows(
            UserInputException.class,
            () -> Generators.create("persist-unifrom", new GeneratorShape(1, 1, 1, 1, 1, 1),
                GeneratorParams.none()));
    assertTrue(e.getMessage().contains("did you mean 'persist-uniform'"), e.getMessage());
  }

  @Test
  void parameterMistakesNameTheFileLineAndKey() {
    GeneratorShape shape = new GeneratorShape(5, 2, 1, 8, 100, 1);
    assertMessage("p.yaml:2: unknown parameter 'retension' for generator dsa (did you mean"
            + " 'retention'?)",
        () -> Generators.create("dsa", shape, GeneratorParams.parse("borrow: 0.1\nretension: 0.5\n",
            "p.yaml")));
    assertMessage("p.yaml:1: 'retention' must be in [0, 1], found 1.5",
        () -> Generators.create("dsa", shape, GeneratorParams.parse("retention: 1.5", "p.yaml")));
    assertMessage("p.yaml:1: 'reselect' must be a number in [0, 1], found 'lots'",
        () -> Generators.create("dsa", shape, GeneratorParams.parse("reselect: lots", "p.yaml")));
    assertMessage("p.yaml:1: 'lookback_max' must be a whole number",
        () -> Generators.create("dsa", shape,
            GeneratorParams.parse("lookback_max: 2.5", "p.yaml")));
    assertMessage("p.yaml:2: parameter 'cohesion' is given twice",
        () -> GeneratorParams.parse("cohesion: 0.1\ncohesion: 0.2\n", "p.yaml"));
    assertMessage("p.yaml: 'retention' lists 3 values but the trace has 2 layers",
        () -> Generators.create("dsa", shape,
            GeneratorParams.parse("retention: [0.1, 0.2, 0.3]", "p.yaml")));
    assertMessage("p.yaml:1: malformed YAML",
        () -> GeneratorParams.parse("retention: [0.1", "p.yaml"));
    assertMessage("unknown parameter 'persist' for generator uniform",
        () -> Generators.create("uniform", shape, GeneratorParams.parse("persist: 1", "p.yaml")));
  }

  @Test
  void anUnreadableParameterFileSaysWhy(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("missing.yaml");
    assertMessage("parameter file " + missing + " does not exist",
        () -> GeneratorParams.load(missing));
    assertMessage("cannot read parameter file " + dir + ": is a folder, not a file",
        () -> GeneratorParams.load(dir));
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, "retention: 0.5 # \u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertMessage(latin1 + ": not UTF-8 text: byte E9 at byte offset 17",
        () -> GeneratorParams.load(latin1));
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
    UserInputException ex = assertThrows(UserInputException.class, e);
    assertTrue(ex.getMessage().contains(expected), ex.getMessage());
  }

  @Test
  void dsaParametersSurviveTheirYaml() {
    DsaParams p =
        new DsaParams(new double[] {0.5, 0.25, 0.125}, 0.1, new double[] {0.3}, 0.7, 1.75, 40,
            0.875, 0.5, 0.625, 2, 3);
    DsaParams back = DsaParams.parse(GeneratorParams.parse(p.toYaml(), "round trip"));
    assertEquals(p, back);
    assertEquals(p.toYaml(), back.toYaml());
  }

  @Test
  void dsaParametersPrintOnOneLineWithFourDecimalsAtMost() {
    DsaParams p =
        new DsaParams(new double[] {0.5, 1, 0.12345}, 0, new double[] {0.3}, 0.00004, 10, 40,
            0.875, 0.5, 0.625, 2, 3);
    assertEquals("DsaParams{retention: [0.5, 1.0, 0.1235] retention_spread: 0.0 borrow: 0.3"
        + " reselect: 0.0 lookback_exponent: 10.0 lookback_max: 40 cohesion: 0.875"
        + " fresh_recent: 0.5 fresh_recent_scale: 0.625 sinks: 2 local_window: 3}", p.toString());
  }
}
