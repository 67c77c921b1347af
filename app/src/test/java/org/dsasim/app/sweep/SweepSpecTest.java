package org.dsasim.app.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dsasim.core.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepSpecTest {
  @TempDir Path dir;

  private SweepSpec spec(String yaml) throws IOException {
    Path f = dir.resolve("spec.yaml");
    Files.writeString(f, yaml);
    return SweepSpec.load(f);
  }

  @Test
  void cartesianProductFirstAxisSlowestThenZipThenExplicitPointsTimesSeeds() throws IOException {
    SweepSpec s = spec("""
        name: t
        base: {hardware: h200, llc: {capacity: 1MiB}}
        axes:
          - {key: llc.capacity, values: [30MiB, 60MiB]}
          - zip:
              - {key: b, values: [8, 32]}
              - {key: k, values: [1024, 2048]}
        points:
          - {llc.capacity: 120MiB, b: 1, k: 64}
        seeds: [7, 9]
        """);
    List<SweepPoint> pts = s.points();
    assertEquals((2 * 2 + 1) * 2, pts.size());
    assertEquals(Map.of("llc.capacity", "30MiB", "b", "8", "k", "1024"), pts.get(0).overrides());
    assertEquals(7, pts.get(0).seed());
    assertEquals(9, pts.get(1).seed());
    assertEquals(Map.of("llc.capacity", "30MiB", "b", "32", "k", "2048"), pts.get(2).overrides());
    assertEquals(Map.of("llc.capacity", "60MiB", "b", "8", "k", "1024"), pts.get(4).overrides());
    assertEquals(Map.of("llc.capacity", "120MiB", "b", "1", "k", "64"), pts.get(8).overrides());
    assertEquals("p0009", pts.get(9).id());
    assertEquals(List.of("llc.capacity", "b", "k"), s.axisKeys());
    // the axis decides llc.capacity; the base keeps the rest, flattened to dotted keys
    assertEquals(Map.of("hardware", "h200"), s.base());
    assertEquals("9", pts.get(9).settings().get(SweepSpec.SEED_KEY));
  }

  @Test
  void noAxesIsOnePoint() throws IOException {
    assertEquals(1, spec("base: {a: 1}\n").points().size());
  }

  @Test
  void mistakesNameTheFileAndTheElement() {
    assertMessage("axes: [{key: a}]\n", "axes[0] needs 'key' and 'values'");
    assertMessage("axis: []\n", "unknown top-level key 'axis' (did you mean 'axes'?)");
    assertMessage("axes:\n  - zip: [{key: a, values: [1,2]}, {key: b, values: [1]}]\n",
        "value lists differ in length");
    assertMessage("seeds: [1, x]\n", "seeds: 'x' is not an integer");
    assertMessage("seeds: [1, 1]\n", "seeds: 1 appears twice");
    assertMessage("axes: [{key: a, values: []}]\n", "axes[0].values is empty");
    assertMessage("base: [1, 2]\n", "base must be a mapping");
    assertMessage("axes: [\n", "spec.yaml:");
    assertMessage("base_config: nowhere.yaml\n", "base_config: no such file");
    assertMessage("!!java.io.File [x]\n", "malformed YAML");
    assertMessage("outputs: [hlog, pdf]\n", "outputs: unknown output 'pdf'");
    assertMessage("derive: {a: [1]}\n", "derive.a must be a single value");
    assertMessage("base: {a: 1}\nderive: {a: b * 2}\n", "derive.a: a is also set by base");
    assertMessage("axes: [{key: a, values: [1]}]\nderive: {a: 2}\n", "derive.a: a is also set");
    String axis = "axes: [{key: r, values: [0, 0.5]}]\n";
    assertMessage(axis + "compare: {axis: q, baseline: 0}\n",
        "compare.axis: 'q' is not an axis of this spec; axes: [r]");
    assertMessage(axis + "compare: {axis: r, baseline: 1}\n",
        "compare.baseline: '1' is not a value of r; its values: [0, 0.5]");
    assertMessage(axis + "compare: {axis: r}\n", "compare needs 'axis'");
    assertMessage(axis + "compare: {axis: r, baseline: 0, metrics: []}\n",
        "compare.metrics is empty");
    assertMessage(axis + "compare: {axis: r, baseline: 0, metric: [x]}\n",
        "compare: unknown key 'metric'");
  }

  @Test
  void theNameMustBeOneFolderNameBecauseItNamesTheOutputFolder() throws IOException {
    for (String bad : List.of("../up", "/abs/olute", "a/b", "..", ".hidden", "a\\b", "''")) {
      assertMessage("name: " + bad + "\n", "must be one folder name");
    }
    assertEquals("ok-name_1.2", spec("name: ok-name_1.2\n").name());
    // without a name, the file's base name (spec.yaml -> spec)
    assertEquals("spec", spec("base: {a: 1}\n").name());
  }

  @Test
  void deriveKeepsItsOrderAndOutputsDefaultToEveryKind() throws IOException {
    SweepSpec s = spec("""
        axes: [{key: r, values: [0.5]}]
        derive:
          fastmem.llc.reservation: fastmem.llc.capacity * r
          other: fastmem.llc.reservation / 2
        """);
    assertEquals(List.of("fastmem.llc.reservation", "other"), List.copyOf(s.derive().keySet()));
    assertEquals(SweepSpec.OUTPUT_KINDS, s.outputs());
    assertEquals(List.of("hlog"), spec("outputs: [hlog]\n").outputs());
  }

  @Test
  void theRunnerIsDecodeUnlessTheSpecSaysReplayAndChoosesTheOutputs() throws IOException {
    assertEquals(SweepSpec.DECODE, spec("base: {a: 1}\n").runner());
    SweepSpec replay = spec("runner: replay\n");
    assertEquals(SweepSpec.REPLAY, replay.runner());
    assertEquals(List.of("summary", "config"), replay.outputs());
    assertMessage("runner: replays\n", "runner: unknown runner 'replays'; allowed: [decode, replay]");
    assertMessage("runner: replay\noutputs: [hlog]\n",
        "outputs: unknown output 'hlog' for runner replay; allowed: [summary, config]");
  }

  private void assertMessage(String yaml, String expected) {
    UserInputException e = assertThrows(UserInputException.class, () -> spec(yaml));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains("spec.yaml"), e.getMessage());
  }
}
