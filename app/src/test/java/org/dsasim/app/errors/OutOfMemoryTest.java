package org.dsasim.app.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dsasim.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run too large for the JVM's heap, in a child JVM with a 64 MiB limit: one message that says
 * how to raise the limit, exit status 3, no stack trace and no result folder.
 */
class OutOfMemoryTest {
  @TempDir Path dir;

  @Test
  void aRunTooLargeForTheHeapSaysHowToRaiseIt() throws Exception {
    Path out = dir.resolve("out");
    // the dsa generator alone keeps 2 B per token of context per layer and sequence: 61 layers
    // x 32 sequences x 128K tokens is about 500 MiB
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "org.dsasim.app.Main", "run", "--set", "model=deepseek-v3.2", "--set", "decode.batch=32",
        "--set", "decode.context=131072", "--set", "decode.workload=dsa", "--out",
        out.toString());
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child did not finish");
    assertEquals(Main.EXIT_OUT_OF_MEMORY, child.exitValue(), output);
    assertTrue(output.startsWith("dsasim: out of memory (Java heap space): this run needs more"
        + " than the Java heap limit of "), output);
    assertTrue(output.contains("DSASIM_JAVA_OPTS=-Xmx"), output);
    assertEquals(1, output.strip().lines().count(), output);
    assertFalse(output.contains("\tat "), "a stack trace: " + output);
    assertFalse(out.toFile().exists(), "a result folder was left");
  }
}
