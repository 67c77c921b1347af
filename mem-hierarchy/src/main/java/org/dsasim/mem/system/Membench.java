package org.dsasim.mem.system;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsasim.core.UserInputException;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.port.Component;
import org.dsasim.core.port.Messages;
import org.dsasim.core.port.Port;
import org.dsasim.core.stats.Percentiles;
import org.dsasim.mem.interconnect.Credits;
import org.dsasim.mem.llc.TrafficClass;

/**
 * A memory benchmark on a {@link MemoryHierarchy} driven from one requester port.
 *
 * <ul>
 *   <li>{@code stream}: addresses {@code 0, B, 2B, ...} wrapping at the footprint, as many in
 *       flight as the port's credits allow;
 *   <li>{@code random}: uniformly random {@code B}-aligned addresses in the footprint, as many in
 *       flight as the credits allow;
 *   <li>{@code chase}: one dependent read at a time, from line to line of a seeded random cyclic
 *       order of all lines of the footprint ({@link CyclicOrder}), the experiment of
 *       {@code calibration/h200/latency.csv}.
 * </ul>
 *
 * Reads and writes are mixed by {@code readRatio} (seeded); {@code chase} reads only. Warm-up:
 * before the {@code requests} that are measured, the same pattern runs over every line of the
 * footprint once when the footprint is at most twice the LLC, otherwise over as many requests as
 * the LLC has lines (a larger footprint cannot keep anything between two visits, so that is
 * steady state already); the statistics are cleared at the end of it. Bandwidth = bytes of the
 * measured requests / (last response - first measured issue); latency = issue to response of each
 * measured read. The steady-state bandwidth leaves out the ramp-up (the first loop latency) and
 * the drain, which weigh heavily on short runs: it counts the bytes of the measured responses
 * after the one that completes a quarter of them, up to the one that completes nine tenths, over
 * the time between those two (as {@code HbmBandwidthTest} measures the HBM alone).
 */
public final class Membench {
  private Membench() {}

  /** What to run. */
  public enum Pattern {
    STREAM, RANDOM, CHASE;

    /** Parses {@code stream|random|chase}. */
    public static Pattern parse(String text) {
      for (Pattern p : values()) {
        if (p.name().equalsIgnoreCase(text)) {
          return p;
        }
      }
      throw new UserInputException("--pattern: expected stream, random or chase, got '" + text
          + "'");
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * @param pattern the address pattern
   * @param requests measured requests (after the warm-up)
   * @param requestBytes bytes per request: a power of two, at most one LLC line
   * @param footprintBytes the address range [0, footprint), a multiple of the line
   * @param readRatio share of reads in [0, 1]; 1 for {@code chase}
   * @param seed of the random orders and of the read/write mix
   * @param warmupRequests requests run before measuring, or {@link #DEFAULT_WARMUP} for the rule
   *     of the class description
   */
  public record Spec(
      Pattern pattern, long requests, int requestBytes, long footprintBytes, double readRatio,
      long seed, long warmupRequests) {
    /** A spec with the default warm-up. */
    public Spec(Pattern pattern, long requests, int requestBytes, long footprintBytes,
        double readRatio, long seed) {
      this(pattern, requests, requestBytes, footprintBytes, readRatio, seed, DEFAULT_WARMUP);
    }
  }

  /** {@link Spec#warmupRequests} value that selects the default warm-up. */
  public static final long DEFAULT_WARMUP = -1;

  /**
   * The default warm-up: one pass over the footprint when it is at most twice the LLC, otherwise
   * as many requests as the LLC has lines.
   */
  public static long defaultWarmup(HierarchyParams params, Spec spec) {
    long lines = spec.footprintBytes() / params.cache().llc().lineBytes();
    long llcLines = params.cache().llc().capacityBytes() / params.cache().llc().lineBytes();
    long linesPerPass = spec.pattern() == Pattern.CHASE
        ? lines : spec.footprintBytes() / spec.requestBytes();
    return lines <= 2 * llcLines ? linesPerPass : llcLines;
  }

  /**
   * @param requests measured requests
   * @param reads of which reads
   * @param bytes bytes of the measured requests
   * @param elapsedPs from the first measured issue to the last response
   * @param latencyMeanNs mean issue-to-response time of the measured reads (NaN without reads)
   * @param latencyP50Ns median of it
   * @param latencyP99Ns 99th percentile of it
   * @param warmupRequests requests run before measuring
   * @param stats the hierarchy's statistics over the measured part
   * @param steadyBytes bytes of the measured responses after the one completing a quarter of
   *     them, up to the one completing nine tenths (0 with fewer than 3 requests)
   * @param steadyPs the time between those two responses
   */
  public record Result(
      long requests, long reads, long bytes, long elapsedPs, double latencyMeanNs,
      double latencyP50Ns, double latencyP99Ns, long warmupRequests,
      Map<String, Number> stats, long steadyBytes, long steadyPs) {
    public double bandwidthBytesPerSecond() {
      return elapsedPs == 0 ? 0 : bytes * 1e12 / elapsedPs;
    }

    /** Bandwidth without the ramp-up and the drain (see the class description); 0 if unknown. */
    public double steadyBandwidthBytesPerSecond() {
      return steadyPs == 0 ? 0 : steadyBytes * 1e12 / steadyPs;
    }
  }

  /** Checks {@code spec} against {@code params}; every mistake names the option. */
  public static void validate(HierarchyParams params, Spec spec) {
    int line = params.cache().llc().lineBytes();
    if (spec.requests() < 1) {
      throw new UserInputException("--requests must be >= 1, got " + spec.requests());
    }
    int b = spec.requestBytes();
    if (b < 1 || b > line || Integer.bitCount(b) != 1) {
      throw new UserInputException("--request-bytes must be a power of two from 1 to the LLC line"
          + " (" + line + " B), got " + b);
    }
    if (spec.footprintBytes() < line || spec.footprintBytes() % line != 0) {
      throw new UserInputException("--footprint must be a positive multiple of the LLC line ("
          + line + " B), got " + spec.footprintBytes() + " B");
    }
    if (!(spec.readRatio() >= 0 && spec.readRatio() <= 1)) {
      throw new UserInputException("--read-ratio must be in [0, 1], got " + spec.readRatio());
    }
    if (spec.warmupRequests() < 0 && spec.warmupRequests() != DEFAULT_WARMUP) {
      throw new UserInputException("warm-up requests must be >= 0, got "
          + spec.warmupRequests());
    }
    if (spec.pattern() == Pattern.CHASE && spec.readRatio() != 1) {
      throw new UserInputException("--read-ratio: chase issues dependent reads only, so it must"
          + " be 1, got " + spec.readRatio());
    }
  }

  /** Builds a hierarchy of {@code params} with one requester port and runs {@code spec} on it. */
  public static Result run(HierarchyParams params, Spec spec) {
    validate(params, spec);
    Simulator sim = new Simulator();
    Messages messages = new Messages();
    MemoryHierarchy memory = new MemoryHierarchy(sim, messages, "system", params, 1);
    long warmup = spec.warmupRequests() == DEFAULT_WARMUP
        ? defaultWarmup(params, spec) : spec.warmupRequests();
    Driver driver = new Driver(sim, messages, memory, spec, warmup);
    memory.connectPort(0, driver.port);
    driver.useCredits(memory.credits(0));
    // the driver stops the simulation when the last response it waits for arrives, so the
    // warm-up has drained before measuring starts (write-backs in flight may remain)
    driver.issueUpTo(warmup);
    sim.warmUp(Long.MAX_VALUE);
    driver.issueUpTo(warmup + spec.requests());
    sim.run();
    if (driver.answered != warmup + spec.requests()) {
      throw new IllegalStateException("membench: " + driver.answered + " responses to "
          + (warmup + spec.requests()) + " requests");
    }
    Map<String, Number> stats = new LinkedHashMap<>();
    memory.exportStats("system", stats);
    double[] lat = Arrays.copyOf(driver.latencyNs, driver.reads);
    Arrays.sort(lat);
    double mean = Double.NaN;
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    if (lat.length > 0) {
      double sum = 0;
      for (double v : lat) {
        sum += v;
      }
      mean = sum / lat.length;
      p50 = Percentiles.linear(lat, lat.length, 0.50);
      p99 = Percentiles.linear(lat, lat.length, 0.99);
    }
    return new Result(spec.requests(), driver.reads, driver.bytes,
        driver.lastResponse - driver.firstMeasuredIssue, mean, p50, p99, warmup, stats,
        driver.steadyEndBytes - driver.steadyStartBytes,
        driver.steadyEndPs - driver.steadyStartPs);
  }

  /** The requester: issues the pattern, takes one credit per request, records latencies. */
  private static final class Driver extends Component {
    private final Messages messages;
    private final Spec spec;
    private final long warmup;
    private long limit;
    private final Port port;
    private final SplittableRandom mix;
    private final SplittableRandom addresses;
    private final CyclicOrder order;
    private final int lineBytes;
    private final long slots;
    private Credits credits;
    private long issued;
    private long answered;
    private long chasePosition;
    private long firstMeasuredIssue;
    private long lastResponse;
    private int reads;
    private long bytes;
    // measured responses that open and close the steady-state window, and the time and bytes
    // when they arrived
    private final long steadyStart;
    private final long steadyEnd;
    private long steadyStartPs;
    private long steadyStartBytes;
    private long steadyEndPs;
    private long steadyEndBytes;
    private double[] latencyNs = new double[1024];

    Driver(Simulator sim, Messages messages, MemoryHierarchy memory, Spec spec, long warmup) {
      super(sim, "membench");
      this.messages = messages;
      this.spec = spec;
      this.warmup = warmup;
      this.port = addPort("port", (at, m) -> response(m));
      this.mix = new SplittableRandom(spec.seed());
      this.addresses = new SplittableRandom(spec.seed() ^ 0x5DEECE66DL);
      this.lineBytes = memory.params().cache().llc().lineBytes();
      this.slots = spec.footprintBytes() / spec.requestBytes();
      this.order = spec.pattern() == Pattern.CHASE
          ? new CyclicOrder(spec.footprintBytes() / lineBytes, spec.seed()) : null;
      long start = Math.max(1, spec.requests() / 4);
      long end = spec.requests() * 9 / 10;
      // no window (both never reached) when it would be empty
      this.steadyStart = end > start ? start : -1;
      this.steadyEnd = end > start ? end : -1;
    }

    void useCredits(Credits c) {
      this.credits = c;
      c.onAvailable(this::pump);
    }

    /** Issues requests until {@code n} have been issued in all. */
    void issueUpTo(long n) {
      limit = n;
      pump();
    }

    private void pump() {
      if (spec.pattern() == Pattern.CHASE) {
        if (issued == answered && issued < limit && credits.available()) {
          long line = order.itemAt(chasePosition);
          chasePosition = chasePosition + 1 == order.size() ? 0 : chasePosition + 1;
          send(line * lineBytes, Messages.READ);
        }
        return;
      }
      while (issued < limit && credits.available()) {
        long slot = spec.pattern() == Pattern.STREAM ? issued % slots : addresses.nextLong(slots);
        int command = spec.readRatio() >= 1 || mix.nextDouble() < spec.readRatio()
            ? Messages.READ : Messages.WRITE;
        send(slot * spec.requestBytes(), command);
      }
    }

    private void send(long address, int command) {
      credits.take();
      if (issued == warmup) {
        firstMeasuredIssue = sim.now();
      }
      int m = messages.acquire(address, spec.requestBytes(), command, TrafficClass.OTHER, 0,
          issued, sim.now());
      issued++;
      port.send(m);
    }

    private void response(int m) {
      long id = messages.tag(m);
      answered++;
      lastResponse = sim.now();
      if (id >= warmup) {
        bytes += messages.bytes(m);
        if (!messages.isWrite(m)) {
          if (reads == latencyNs.length) {
            latencyNs = Arrays.copyOf(latencyNs, reads * 2);
          }
          latencyNs[reads++] = (sim.now() - messages.created(m)) / 1e3;
        }
        // the warm-up's responses have all arrived before the first measured one
        long measured = answered - warmup;
        if (measured == steadyStart) {
          steadyStartPs = sim.now();
          steadyStartBytes = bytes;
        }
        if (measured == steadyEnd) {
          steadyEndPs = sim.now();
          steadyEndBytes = bytes;
        }
      }
      messages.release(m);
      if (answered == limit) {
        sim.stop();
      } else {
        pump();
      }
    }
  }
}
