package org.dsasim.app.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dsasim.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs too large for the JVM's heap, in a child JVM with a 64 MiB limit: one message that says
 * how to raise the limit, no stack trace; {@code run} exits with status 3 and leaves no result
 * folder, a sweep records the message as the point's error and goes on to the other points.
 */
class OutOfMemoryTest {
  /** The dsa generator alone keeps 2 B per token per layer and sequence: about 500 MiB here. */
  private static final List<String> TOO_LARGE = List.of("model=deepseek-v3.2", "decode.batch=32",
      "decode.context=131072", "decode.workload=dsa");
  private static final String MESSAGE =
      "out of memory (Java heap space): this run needs more than the Java heap limit of ";

  @TempDir Path dir;

  @Test
  void aRunTooLargeForTheHeapSaysHowToRaiseIt() throws Exception {
    Path out = dir.resolve("out");
    List<String> args = new ArrayList<>(List.of("run", "--out", out.toString()));
    for (String setting : TOO_LARGE) {
      args.addAll(List.of("--set", setting));
    }
    Child c = runChild(args);
    assertEquals(Main.EXIT_OUT_OF_MEMORY, c.exit(), c.output());
    assertTrue(c.output().startsWith("dsasim: " + MESSAGE), c.output());
    assertTrue(c.output().contains("DSASIM_JAVA_OPTS=-Xmx"), c.output());
    assertEquals(1, c.output().strip().lines().count(), c.output());
    assertFalse(c.output().contains("\tat "), "a stack trace: " + c.output());
    assertFalse(Files.exists(out), "a result folder was left");
  }

  @Test
  void aSweepPointTooLargeForTheHeapIsRecordedAndTheOthersRun() throws Exception {
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec, String.join("\n",
        "name: oom",
        "base:",
        "  model.layers_per_gpu: 1",
        "  model.layers: 2",
        "  model.dense_layers: 1",
        "  decode.batch: 1",
        "  decode.context: 1024",
        "  sim.warmup.steps: 1",
        "  sim.stop.steps: 1",
        "points:",
        "  - {}",
        "  - {" + String.join(", ", TOO_LARGE).replace("=", ": ") + ", model.layers: 61,"
            + " model.layers_per_gpu: 61, model.dense_layers: 3}",
        ""));
    Path out = dir.resolve("sweep");
    Child c = runChild(List.of("sweep", spec.toString(), "--parallel", "1", "--out",
        out.toString()));
    assertEquals(1, c.exit(), c.output());
    assertFalse(c.output().contains("\tat "), "a stack trace: " + c.output());
    ObjectMapper json = new ObjectMapper();
    JsonNode ok = json.readTree(out.resolve("points/p0000/result.json").toFile());
    JsonNode failed = json.readTree(out.resolve("points/p0001/result.json").toFile());
    assertEquals("ok", ok.get("status").asText(), ok.toString());
    assertEquals("failed", failed.get("status").asText(), failed.toString());
    assertTrue(failed.get("error").asText().startsWith(MESSAGE), failed.toString());
    assertFalse(failed.has("trace"), failed.toString());
  }

  private record Child(int exit, String output) {}

  private static Child runChild(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "org.dsasim.app.Main"));
    command.addAll(args);
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child did not finish");
    return new Child(child.exitValue(), output);
  }
}
