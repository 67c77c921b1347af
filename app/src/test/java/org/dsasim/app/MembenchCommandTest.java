package org.dsasim.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** {@code dsasim membench} on the bare HBM3 preset (one stack, H200 LLC defaults). */
class MembenchCommandTest {
  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void chasePrintsBandwidthAndLatencyAsJson() throws Exception {
    Run r = run("membench", "--memory", "hbm3", "--pattern", "chase", "--requests", "200",
        "--request-bytes", "32", "--footprint", "256KiB", "--json");
    assertEquals(0, r.status(), r.err());
    JsonNode doc = new ObjectMapper().readTree(r.out());
    double mean = doc.get("latency_ns").get("mean").asDouble();
    double p50 = doc.get("latency_ns").get("p50").asDouble();
    double p99 = doc.get("latency_ns").get("p99").asDouble();
    assertTrue(mean > 0 && p50 > 0 && p99 >= p50, r.out());
    // one dependent read at a time: bandwidth = bytes / (reads x mean latency)
    double bw = doc.get("bandwidth_bytes_per_s").asDouble();
    assertEquals(32 / (mean * 1e-9), bw, 0.01 * bw);
    assertEquals(200, doc.get("reads").asLong());
    Run again = run("membench", "--memory", "hbm3", "--pattern", "chase", "--requests", "200",
        "--request-bytes", "32", "--footprint", "256KiB", "--json");
    assertEquals(r.out(), again.out(), "deterministic");
  }

  @Test
  void badArgumentsExitWithStatus2() {
    String[][] bad = {
      {"membench", "--memory", "h9000", "--pattern", "chase", "--requests", "1",
          "--request-bytes", "32"},
      {"membench", "--memory", "hbm3", "--pattern", "zigzag", "--requests", "1",
          "--request-bytes", "32"},
      {"membench", "--memory", "hbm3", "--pattern", "stream", "--requests", "0",
          "--request-bytes", "32"},
      {"membench", "--memory", "hbm3", "--pattern", "stream", "--requests", "1",
          "--request-bytes", "48"},
      {"membench", "--memory", "hbm3", "--pattern", "stream", "--requests", "1",
          "--request-bytes", "32", "--footprint", "100B"},
      {"membench", "--memory", "hbm3", "--pattern", "chase", "--requests", "1",
          "--request-bytes", "32", "--read-ratio", "0.5"},
      {"membench", "--memory", "hbm3", "--pattern", "random", "--requests", "1",
          "--request-bytes", "32", "--read-ratio", "1.5"},
    };
    for (String[] args : bad) {
      Run r = run(args);
      assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
      assertTrue(!r.err().contains("Exception"), r.err());
    }
  }
}
