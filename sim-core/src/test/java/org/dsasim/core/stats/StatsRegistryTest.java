package org.dsasim.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsRegistryTest {
  static final long US = 1_000_000L;

  /** A stand-in for an LLC: hits, misses and latencies driven by a seeded generator. */
  static final class FakeLlc {
    final Counter hits;
    final Counter misses;
    final Average occupancy;
    final Distribution latency;
    final Formula hitRatio;
    final Formula hitRate;

    FakeLlc(StatsRegistry registry) {
      StatsScope llc = registry.scope("system.llc");
      hits = llc.counter("reserved.hits", "requests", "gathers served by the reservation");
      misses = llc.counter("reserved.misses", "requests", "gathers that went to HBM");
      occupancy = llc.average("occupancy", "entries", "entries held, sampled per request");
      latency = llc.distribution("latency", "ps", "load-to-use latency, hits and misses");
      StatsScope derived = llc.scope("derived");
      hitRatio =
          derived.formula(
              "hit-ratio",
              "",
              "hits / (hits + misses)",
              v -> v.value(hits) / (v.value(hits) + v.value(misses)));
      hitRate = derived.rate("hit-rate", "hits per simulated second", hits);
    }

    void request(SplittableRandom rng) {
      boolean hit = rng.nextDouble() < 0.4;
      (hit ? hits : misses).inc();
      occupancy.record(rng.nextInt(1000));
      latency.record(hit ? 146_000 + rng.nextInt(124_000) : 350_000 + rng.nextInt(50_000));
    }
  }

  static StatsReport run(long seed) {
    StatsRegistry registry = new StatsRegistry();
    FakeLlc llc = new FakeLlc(registry);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < 500; i++) {
      llc.request(rng); // warm-up
    }
    registry.reset(5 * US);
    long now = 5 * US;
    for (int step = 0; step < 4; step++) {
      for (int i = 0; i < 1000; i++) {
        llc.request(rng);
      }
      now += 7 * US;
      registry.endInterval(now);
    }
    return registry.report(now);
  }

  @Test
  void countersAveragesRatesAndFormulasOverTotalsAndIntervals() {
    StatsRegistry registry = new StatsRegistry();
    StatsScope s = registry.scope("system");
    Counter bytes = s.counter("hbm.bytes", "B", "bytes read from HBM");
    Counter hits = s.counter("llc.hits", "requests", "hits");
    Counter lookups = s.counter("llc.lookups", "requests", "lookups");
    Average depth = s.average("queue.depth", "requests", "queue depth");
    Formula bandwidth = s.rate("hbm.bandwidth", "HBM read bandwidth", bytes);
    Formula ratio = s.ratio("llc.hit-ratio", "hits per lookup", hits, lookups);

    registry.reset(1_000_000); // measurement starts at 1 us
    bytes.add(4_000);
    hits.add(3);
    lookups.add(4);
    depth.record(2);
    depth.record(4);
    registry.endInterval(3_000_000); // 2 us interval
    bytes.add(6_000);
    hits.add(1);
    lookups.add(4);
    depth.record(9);
    registry.endInterval(5_000_000); // 2 us interval

    StatsReport report = registry.report(5_000_000);
    assertEquals(10_000L, value(report, "system.hbm.bytes"));
    assertEquals(5.0, value(report, "system.queue.depth"));
    // 10000 B over 4 us of simulated time.
    assertEquals(10_000 / 4e-6, (double) value(report, "system.hbm.bandwidth"), 1e-3);
    assertEquals(0.5, value(report, "system.llc.hit-ratio"));
    assertEquals("B/s", bandwidth.unit());
    assertEquals("rate", bandwidth.kind());
    assertEquals("formula", ratio.kind());

    List<String> cols = report.intervalColumns();
    assertEquals(
        List.of(
            "system.hbm.bandwidth",
            "system.hbm.bytes",
            "system.llc.hit-ratio",
            "system.llc.hits",
            "system.llc.lookups",
            "system.queue.depth"),
        cols);
    assertArrayEquals(
        new double[] {4_000 / 2e-6, 4_000, 0.75, 3, 4, 3},
        report.intervals().get(0).values(),
        1e-6);
    assertArrayEquals(
        new double[] {6_000 / 2e-6, 6_000, 0.25, 1, 4, 9},
        report.intervals().get(1).values(),
        1e-6);
    assertEquals(3_000_000, report.intervals().get(1).startPs());
    assertEquals(5_000_000, report.intervals().get(1).endPs());
  }

  @Test
  void resetForgetsTheWarmUp() {
    StatsRegistry registry = new StatsRegistry();
    StatsScope s = registry.scope("cu");
    Counter issued = s.counter("issued", "requests", "issued");
    Distribution lat = s.distribution("latency", "ps", "latency");
    issued.add(100);
    lat.record(5);
    registry.endInterval(10);
    registry.reset(10);
    issued.inc();
    lat.record(7);
    StatsReport r = registry.report(20);
    assertEquals(1L, value(r, "cu.issued"));
    assertEquals(1, r.entries().get(1).distribution().count());
    assertEquals(7, r.entries().get(1).distribution().max());
    assertTrue(r.intervals().isEmpty());
    assertEquals(10, r.startPs());
  }

  @Test
  void percentilesMatchASortedArrayWithinHdrPrecision() {
    StatsRegistry registry = new StatsRegistry();
    Distribution d = registry.scope("x").distribution("latency", "ps", "latency");
    SplittableRandom rng = new SplittableRandom(11);
    int n = 20_001;
    long[] samples = new long[n];
    for (int i = 0; i < n; i++) {
      // Heavy-tailed: mostly ~150 ns, some up to ~10 us.
      long v = (long) (150_000 * Math.exp(rng.nextGaussian() * 0.8));
      samples[i] = v;
      d.record(v);
      if (i == n / 2) {
        registry.endInterval(1); // percentiles must span intervals too
      }
    }
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    Distribution.Summary sum = Distribution.Summary.of(d.total());
    assertEquals(n, sum.count());
    long[] perMille = {500, 900, 990, 999};
    long[] hdr = {sum.p50(), sum.p90(), sum.p99(), sum.p999()};
    for (int i = 0; i < perMille.length; i++) {
      // Nearest rank: the smallest sample with at least p of all samples at or below it.
      int rank = (int) ((perMille[i] * n + 999) / 1000);
      long exact = sorted[rank - 1];
      assertTrue(hdr[i] >= exact, "p" + perMille[i] + ": " + hdr[i] + " < exact " + exact);
      assertTrue(
          hdr[i] - exact <= exact / 1000.0 + 1,
          "p" + perMille[i] + ": " + hdr[i] + " too far above exact " + exact);
    }
    assertTrue(sum.max() >= sorted[n - 1] && sum.max() - sorted[n - 1] <= sorted[n - 1] / 1000);
    assertTrue(sum.min() <= sorted[0] && sorted[0] - sum.min() <= sorted[0] / 1000);
    double mean = Arrays.stream(samples).average().orElseThrow();
    assertEquals(mean, sum.mean(), mean / 1000);
  }

  @Test
  void hlogRoundTripsThroughHistogramLogReader() {
    StatsRegistry registry = new StatsRegistry();
    StatsScope s = registry.scope("system");
    Distribution hbm = s.distribution("hbm.latency", "ps", "HBM latency");
    Distribution llc = s.distribution("llc.latency", "ps", "LLC latency");
    registry.reset(0);
    List<Histogram> expectedHbm = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(3);
    for (int interval = 0; interval < 3; interval++) {
      Histogram expected = new Histogram(3);
      for (int i = 0; i < 200 * (interval + 1); i++) {
        long v = 300_000 + rng.nextInt(100_000);
        hbm.record(v);
        expected.recordValue(v);
        llc.record(146_000);
      }
      expectedHbm.add(expected);
      registry.endInterval((interval + 1) * 2_500_000L); // 2.5 us steps
    }
    byte[] log = registry.report(7_500_000).hlog();
    String text = new String(log, StandardCharsets.UTF_8);
    assertTrue(text.contains("Tag=system.hbm.latency,"), text);

    HistogramLogReader reader = new HistogramLogReader(new ByteArrayInputStream(log));
    int hbmSeen = 0;
    int llcSeen = 0;
    EncodableHistogram h;
    while ((h = reader.nextIntervalHistogram()) != null) {
      Histogram got = (Histogram) h;
      if ("system.hbm.latency".equals(got.getTag())) {
        Histogram expected = expectedHbm.get(hbmSeen);
        assertEquals(expected.getTotalCount(), got.getTotalCount());
        for (double p : new double[] {0, 50, 90, 99, 100}) {
          assertEquals(expected.getValueAtPercentile(p), got.getValueAtPercentile(p));
        }
        // Timestamps are simulated microseconds.
        assertEquals(hbmSeen * 2.5, got.getStartTimeStamp() / 1000.0, 1e-9);
        assertEquals((hbmSeen + 1) * 2.5, got.getEndTimeStamp() / 1000.0, 1e-9);
        hbmSeen++;
      } else {
        assertEquals("system.llc.latency", got.getTag());
        assertEquals(200L * (llcSeen + 1), got.getTotalCount());
        llcSeen++;
      }
    }
    assertEquals(3, hbmSeen);
    assertEquals(3, llcSeen);
  }

  @Test
  void histogramLogProcessorReadsTheLog(@TempDir Path dir) throws Exception {
    StatsReport report = run(9);
    Path log = dir.resolve("run.hlog");
    report.writeHlog(log);
    Path out = dir.resolve("latency");
    org.HdrHistogram.HistogramLogProcessor processor =
        new org.HdrHistogram.HistogramLogProcessor(
            new String[] {
              "-i", log.toString(), "-o", out.toString(), "-tag", "system.llc.latency", "-csv"
            });
    processor.run();
    // The .hgrm file is the percentile distribution of all intervals of that tag.
    List<String> hgrm = Files.readAllLines(Path.of(out + ".hgrm"));
    String last = hgrm.get(hgrm.size() - 1);
    String[] cells = last.split(",");
    assertEquals("1.000000000000", cells[1], last);
    assertEquals("4000", cells[2], "total count over the 4 intervals: " + last);
    // The interval file has one line per interval of that tag after its header.
    List<String> intervals = Files.readAllLines(out);
    assertEquals(
        4, intervals.stream().filter(l -> l.matches("^[0-9].*")).count(), intervals.toString());
  }

  @Test
  void jsonHasEveryStatisticWithUnitsAndTheTimeSeries() throws Exception {
    StatsReport report = run(1);
    JsonNode root = new ObjectMapper().readTree(report.toJson());
    assertEquals(5 * US, root.get("start_ps").asLong());
    assertEquals(33 * US, root.get("end_ps").asLong());
    JsonNode stats = root.get("stats");
    JsonNode hits = stats.get("system.llc.reserved.hits");
    assertEquals("counter", hits.get("kind").asText());
    assertEquals("requests", hits.get("unit").asText());
    assertEquals("gathers served by the reservation", hits.get("description").asText());
    long h = hits.get("value").asLong();
    long m = stats.get("system.llc.reserved.misses").get("value").asLong();
    assertEquals(4000, h + m, "the warm-up's 500 requests were reset away");
    assertEquals(
        (double) h / (h + m), stats.get("system.llc.derived.hit-ratio").get("value").asDouble());
    assertEquals(h / 28e-6, stats.get("system.llc.derived.hit-rate").get("value").asDouble(), 1e-3);
    JsonNode lat = stats.get("system.llc.latency");
    assertEquals(4000, lat.get("count").asLong());
    assertTrue(lat.get("p50").asLong() <= lat.get("p99").asLong());
    assertEquals(4000, stats.get("system.llc.occupancy").get("count").asLong());
    JsonNode intervals = root.get("intervals");
    assertEquals(4, intervals.get("rows").size());
    int hitsColumn = indexOf(intervals.get("columns"), "system.llc.reserved.hits");
    long sum = 0;
    for (JsonNode row : intervals.get("rows")) {
      sum += row.get("values").get(hitsColumn).asLong();
    }
    assertEquals(h, sum, "interval hits add up to the total");
  }

  @Test
  void undefinedValuesAreNullInJsonAndEmptyInCsv() throws Exception {
    StatsRegistry registry = new StatsRegistry();
    StatsScope s = registry.scope("llc");
    Counter hits = s.counter("hits", "requests", "hits");
    Counter lookups = s.counter("lookups", "requests", "lookups, hits and misses");
    s.ratio("hit-ratio", "hits per lookup", hits, lookups);
    s.distribution("latency", "ps", "latency");
    StatsReport report = registry.report(0);
    JsonNode root = new ObjectMapper().readTree(report.toJson());
    assertTrue(root.get("stats").get("llc.hit-ratio").get("value").isNull());
    assertEquals(0, root.get("stats").get("llc.latency").get("count").asLong());
    String csv = report.toCsv();
    assertTrue(csv.contains("\nllc.hit-ratio,formula,,,,,,,,,,,hits per lookup\n"), csv);
    assertTrue(
        csv.contains("\nllc.lookups,counter,requests,0,,,,,,,,,\"lookups, hits and misses\"\n"),
        csv);
  }

  @Test
  void csvHasOneRowPerStatisticAndOnePerInterval() {
    StatsReport report = run(2);
    String[] lines = report.toCsv().split("\n");
    assertEquals("name,kind,unit,value,count,min,mean,p50,p90,p99,p999,max,description", lines[0]);
    assertEquals(1 + report.entries().size(), lines.length);
    String latency =
        Arrays.stream(lines).filter(l -> l.startsWith("system.llc.latency,")).findFirst().get();
    String[] cells = latency.split(",");
    assertEquals("distribution", cells[1]);
    assertEquals("4000", cells[4]);
    Distribution.Summary d =
        report.entries().stream()
            .filter(e -> e.stat().name().equals("system.llc.latency"))
            .findFirst()
            .get()
            .distribution();
    assertEquals(Long.toString(d.p99()), cells[9]);

    String[] rows = report.intervalsCsv().split("\n");
    assertEquals(5, rows.length);
    assertTrue(
        rows[0].startsWith("interval,start_ps,end_ps,system.llc.derived.hit-rate,"), rows[0]);
    assertTrue(rows[0].contains(",system.llc.latency.count,system.llc.latency.mean,"));
    assertTrue(rows[1].startsWith("0,5000000,12000000,"), rows[1]);
  }

  @Test
  void identicalRunsGiveIdenticalBytes(@TempDir Path dir) throws Exception {
    StatsReport a = run(42);
    StatsReport b = run(42);
    a.writeJson(dir.resolve("a.json"));
    b.writeJson(dir.resolve("b.json"));
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a.json")), Files.readAllBytes(dir.resolve("b.json")));
    assertArrayEquals(a.toJson(), Files.readAllBytes(dir.resolve("a.json")));
    assertEquals(a.toCsv(), b.toCsv());
    assertEquals(a.intervalsCsv(), b.intervalsCsv());
    assertArrayEquals(a.hlog(), b.hlog());
    assertEquals(a.summaryTable(), b.summaryTable());
    assertTrue(!Arrays.equals(a.toJson(), run(43).toJson()), "the seed matters");
  }

  @Test
  void summaryTableListsEveryStatistic() {
    StatsReport report = run(5);
    String table = report.summaryTable();
    assertTrue(table.startsWith("statistics over 28us of simulated time\n"), table);
    for (StatsReport.Entry e : report.entries()) {
      assertTrue(table.contains(e.stat().name()), e.stat().name());
    }
    assertTrue(table.contains("n=4000 mean="), table);
  }

  @Test
  void registrationMistakesAreCaught() {
    StatsRegistry registry = new StatsRegistry();
    StatsScope s = registry.scope("a");
    Counter c = s.counter("b", "", "b");
    assertThrows(IllegalArgumentException.class, () -> s.counter("b", "", "again"));
    assertThrows(IllegalArgumentException.class, () -> s.counter("bad name", "", "x"));
    assertThrows(IllegalArgumentException.class, () -> registry.scope("a..b"));
    Distribution d = s.distribution("d", "ps", "d");
    assertThrows(IllegalArgumentException.class, () -> d.record(-1));
    registry.endInterval(5);
    assertThrows(IllegalStateException.class, () -> s.counter("late", "", "late"));
    assertThrows(IllegalArgumentException.class, () -> registry.endInterval(4));
    c.inc();
    assertEquals(1, c.intervalValue());
    assertEquals(registry.find("a.b").get(), c);
  }

  private static Object value(StatsReport report, String name) {
    return report.entries().stream()
        .filter(e -> e.stat().name().equals(name))
        .findFirst()
        .orElseThrow()
        .value();
  }

  private static int indexOf(JsonNode array, String text) {
    for (int i = 0; i < array.size(); i++) {
      if (array.get(i).asText().equals(text)) {
        return i;
      }
    }
    throw new AssertionError(text + " not in " + array);
  }
}
