package org.dsasim.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    // a chase has no ramp-up: the steady window sees the same rate
    double steady = doc.get("steady_bandwidth_bytes_per_s").asDouble();
    assertEquals(bw, steady, 0.1 * bw);
    assertEquals(200, doc.get("reads").asLong());
    Run again = run("membench", "--memory", "hbm3", "--pattern", "chase", "--requests", "200",
        "--request-bytes", "32", "--footprint", "256KiB", "--json");
    assertEquals(r.out(), again.out(), "deterministic");
  }

  @Test
  void ladderComparesEachFootprintOfTheCsvWithTheChase(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("latency.csv");
    Files.writeString(csv, "footprint_mib,stride_bytes,hops,measured_ns_per_hop\n"
        + "1,128,16384,150.0\n256,128,2000000,400.0\n");
    Run r = run("membench", "--ladder", "--memory", "hbm3", "--csv", csv.toString(),
        "--requests", "300", "--json");
    assertEquals(0, r.status(), r.err());
    JsonNode rows = new ObjectMapper().readTree(r.out()).get("ladder");
    assertEquals(2, rows.size());
    assertEquals(1L << 20, rows.get(0).get("footprint_bytes").asLong());
    assertEquals(256L << 20, rows.get(1).get("footprint_bytes").asLong());
    for (JsonNode row : rows) {
      double simulated = row.get("simulated_ns").asDouble();
      double measured = row.get("measured_ns").asDouble();
      assertEquals(simulated / measured - 1, row.get("error").asDouble(), 1e-12);
      assertEquals(300, row.get("hops").asLong());
    }
    // the 1 MiB rung is the plain chase with 8 B reads (whose default warm-up is one pass too)
    Run chase = run("membench", "--memory", "hbm3", "--pattern", "chase", "--requests", "300",
        "--request-bytes", "8", "--footprint", "1MiB", "--json");
    double mean = new ObjectMapper().readTree(chase.out()).get("latency_ns").get("mean")
        .asDouble();
    assertEquals(mean, rows.get(0).get("simulated_ns").asDouble(), 0.0);
    assertTrue(rows.get(1).get("simulated_ns").asDouble() > mean, "HBM slower than the LLC");

    Run text = run("membench", "--ladder", "--memory", "hbm3", "--csv", csv.toString(),
        "--requests", "300");
    assertEquals(0, text.status(), text.err());
    assertTrue(text.out().contains("1MiB") && text.out().contains("256MiB")
        && text.out().contains("%"), text.out());
  }

  @Test
  void badLadderArgumentsExitWithStatus2(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "footprint_mib,measured_ns_per_hop\n1,fast\n");
    String[][] cases = {
      {"membench", "--ladder", "--pattern", "chase"},
      {"membench", "--memory", "hbm3", "--pattern", "chase", "--requests", "1",
          "--request-bytes", "8", "--csv", bad.toString()},
      {"membench", "--ladder", "--memory", "hbm3", "--csv", bad.toString()},
      {"membench", "--ladder", "--memory", "hbm3", "--csv", dir.resolve("none.csv").toString()},
      {"membench", "--pattern", "chase"},
    };
    for (String[] args : cases) {
      Run r = run(args);
      assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
      assertTrue(!r.err().contains("Exception"), r.err());
    }
    Run r = run("membench", "--ladder", "--memory", "hbm3", "--csv", bad.toString());
    assertTrue(r.err().contains("line 2") && r.err().contains("measured_ns_per_hop"), r.err());
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
