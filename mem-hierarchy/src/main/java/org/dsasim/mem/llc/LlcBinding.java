package org.dsasim.mem.llc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Units;
import org.dsasim.mem.energy.EnergyParams;
import org.dsasim.mem.interconnect.CrossbarParams;
import org.dsasim.mem.reservation.KvLayout;
import org.dsasim.mem.reservation.ReservationParams;
import org.dsasim.mem.reservation.Retention;

/**
 * Binds configuration keys (flat {@code key -> text}) to the parameter records of the LLC, its
 * reservation or window, the KV layout, the interconnect and the energy model. Absent keys take the
 * H200-like defaults ({@link LlcParams#h200()} and the values below). The one place that knows key
 * names, so that moving to the configuration system is a change here only.
 *
 * <p>Keys (units as {@link Units} parses them; times in {@code ns}, {@code ps} or {@code cycles} of
 * {@code llc.clock}):
 *
 * <pre>
 * llc.capacity llc.line llc.sector llc.ways llc.slices llc.partitions llc.clock
 * llc.slice_bytes_per_cycle llc.hit_latency llc.tag_latency llc.fill_latency llc.mshrs
 * llc.mshr_targets llc.input_queue llc.write_policy (allocate|no-allocate) llc.replacement
 * llc.seed llc.memory_path_bandwidth (a bandwidth, or "unlimited")
 * llc.home_interleave (bytes a partition homes in a row: a power of two, at least llc.line;
 *     or "entry", kv.entry_bytes rounded up so; default one line)
 * llc.reservation.baseline (none|token-lru|prev-topk|page|window)
 * llc.reservation.ratio | llc.reservation.size      (share of llc.capacity, or a size)
 * llc.reservation.admission llc.reservation.sharing llc.reservation.lend
 * llc.reservation.retention llc.reservation.unit_tokens llc.reservation.ghost_units
 * llc.window.base llc.window.bytes llc.window.hit_ratio llc.window.segment
 * llc.window.streaming_penalty llc.window.max_set_aside llc.window.seed
 * kv.base kv.sequences kv.layers kv.context kv.entry_bytes
 * interconnect.groups interconnect.request_latency interconnect.response_latency
 * interconnect.crossing_latency interconnect.group_bandwidth interconnect.slice_bandwidth
 * interconnect.group_buffer interconnect.crossing_bandwidth
 * energy.llc_read_pj_per_bit energy.llc_write_pj_per_bit energy.interconnect_pj_per_bit
 * energy.far_crossing_pj_per_bit energy.hbm_read_pj_per_bit energy.hbm_write_pj_per_bit
 * energy.hbm_activate_pj
 * </pre>
 */
public final class LlcBinding {
  private LlcBinding() {}

  /**
   * Everything bound from one configuration.
   *
   * @param homeInterleaveBytes the granule in which lines are homed in the LLC partitions
   */
  public record Bound(
      LlcParams llc,
      int homeInterleaveBytes,
      KvLayout kv,
      LlcScheme scheme,
      CrossbarParams interconnect,
      EnergyParams energy) {}

  static final List<String> KEYS = List.of(
      "llc.capacity", "llc.line", "llc.sector", "llc.ways", "llc.slices", "llc.partitions",
      "llc.clock", "llc.slice_bytes_per_cycle", "llc.hit_latency", "llc.tag_latency",
      "llc.fill_latency", "llc.mshrs", "llc.mshr_targets", "llc.input_queue",
      "llc.write_policy", "llc.replacement", "llc.seed", "llc.memory_path_bandwidth",
      "llc.home_interleave", "llc.reservation.baseline", "llc.reservation.ratio",
      "llc.reservation.size",
      "llc.reservation.admission", "llc.reservation.sharing", "llc.reservation.lend",
      "llc.reservation.retention", "llc.reservation.unit_tokens", "llc.reservation.ghost_units",
      "llc.window.base", "llc.window.bytes", "llc.window.hit_ratio", "llc.window.segment",
      "llc.window.streaming_penalty", "llc.window.max_set_aside", "llc.window.seed",
      "kv.base", "kv.sequences", "kv.layers", "kv.context", "kv.entry_bytes",
      "interconnect.groups", "interconnect.request_latency", "interconnect.response_latency",
      "interconnect.crossing_latency", "interconnect.group_bandwidth",
      "interconnect.slice_bandwidth", "interconnect.group_buffer",
      "interconnect.crossing_bandwidth",
      "energy.llc_read_pj_per_bit", "energy.llc_write_pj_per_bit",
      "energy.interconnect_pj_per_bit", "energy.far_crossing_pj_per_bit",
      "energy.hbm_read_pj_per_bit", "energy.hbm_write_pj_per_bit", "energy.hbm_activate_pj");

  /** The largest home granule, far above any KV entry or page of entries. */
  static final int MAX_HOME_INTERLEAVE = 1 << 30;

  private static final List<String> PREFIXES = List.of("llc.", "kv.", "interconnect.", "energy.");

  /** Default interconnect: 66 groups (two SMs each), 20 + 20 ns, 62 ns per partition crossing. */
  public static CrossbarParams h200Interconnect() {
    return new CrossbarParams(66, 20_000, 20_000, 62_000, 128e9, 256e9, 64);
  }

  /** Default KV buffer: 16 sequences x 61 layers x 131072 tokens of 656 B at 1 TiB. */
  public static KvLayout defaultKv() {
    return new KvLayout(1L << 40, 16, 61, 131_072, 656);
  }

  /**
   * Binds {@code values}; {@code source} names where they came from (a file name) for messages.
   * Every mistake is a {@link UserInputException} naming the source and the key.
   */
  public static Bound bind(Map<String, String> values, String source) {
    Reader r = new Reader(values, source);
    r.rejectUnknownKeys();
    LlcParams d = LlcParams.h200();
    double clock = r.get("llc.clock", Units::parseFrequencyHz, d.clockHz());
    LlcParams llc = r.build("llc", () -> new LlcParams(
        r.get("llc.capacity", Units::parseBytes, d.capacityBytes()),
        r.getInt("llc.line", Units::parseBytes, d.lineBytes()),
        r.getInt("llc.sector", Units::parseBytes, d.sectorBytes()),
        r.getInt("llc.ways", Units::parseNumber, d.ways()),
        r.getInt("llc.slices", Units::parseNumber, d.slices()),
        r.getInt("llc.partitions", Units::parseNumber, d.partitions()),
        clock,
        r.getInt("llc.slice_bytes_per_cycle", Units::parseBytes, d.sliceBytesPerCycle()),
        r.time("llc.hit_latency", clock, d.hitLatencyPs()),
        r.time("llc.tag_latency", clock, d.tagLatencyPs()),
        r.time("llc.fill_latency", clock, d.fillLatencyPs()),
        r.getInt("llc.mshrs", Units::parseNumber, d.mshrsPerSlice()),
        r.getInt("llc.mshr_targets", Units::parseNumber, d.targetsPerMshr()),
        r.getInt("llc.input_queue", Units::parseNumber, d.inputQueue()),
        r.get("llc.write_policy", WritePolicy::parse, d.writePolicy()),
        r.get("llc.replacement", s -> s, d.replacement()),
        r.get("llc.seed", s -> (long) Units.parseNumber(s), d.seed()),
        r.get("llc.memory_path_bandwidth",
            s -> s.equals("unlimited") ? Double.POSITIVE_INFINITY : Units.parseBandwidth(s),
            d.memoryPathBandwidth()),
        d.memorySourceId()));
    KvLayout dk = defaultKv();
    KvLayout kv = r.build("kv", () -> new KvLayout(
        r.get("kv.base", Units::parseBytes, dk.base()),
        r.getInt("kv.sequences", Units::parseNumber, dk.sequences()),
        r.getInt("kv.layers", Units::parseNumber, dk.layers()),
        r.getInt("kv.context", Units::parseNumber, dk.contextTokens()),
        r.getInt("kv.entry_bytes", Units::parseBytes, dk.entryBytes())));

    // "entry": the KV entry rounded up to a power of two (at least a line), so that each entry
    // of a power-of-two size has one home partition
    int entryGranule = Math.max(llc.lineBytes(),
        Integer.highestOneBit(Math.max(1, kv.entryBytes() - 1)) << 1);
    int homeInterleave = "entry".equals(r.get("llc.home_interleave", s -> s, null))
        ? entryGranule : r.getInt("llc.home_interleave", Units::parseBytes, llc.lineBytes());
    if (Integer.bitCount(homeInterleave) != 1 || homeInterleave < llc.lineBytes()
        || homeInterleave > MAX_HOME_INTERLEAVE) {
      throw r.bad("llc.home_interleave", "a power of two of bytes from llc.line ("
          + llc.lineBytes() + " B) to " + Units.formatBytes(MAX_HOME_INTERLEAVE) + ", or entry");
    }

    LlcScheme scheme = r.build("llc.reservation", () -> {
      LlcScheme built = scheme(r, llc, kv);
      Llc.validate(llc, built, kv);
      return built;
    });

    CrossbarParams dx = h200Interconnect();
    CrossbarParams xbar = r.build("interconnect", () -> {
      int groups = r.getInt("interconnect.groups", Units::parseNumber, dx.groups());
      double groupBandwidth =
          r.get("interconnect.group_bandwidth", Units::parseBandwidth, dx.groupBandwidth());
      // unless given: as wide as one partition's groups together, so that the crossing limits
      // only traffic of which more than one partition's worth crosses
      double crossingDefault = groupBandwidth * groups / llc.partitions();
      return new CrossbarParams(groups,
          r.time("interconnect.request_latency", clock, dx.requestLatencyPs()),
          r.time("interconnect.response_latency", clock, dx.responseLatencyPs()),
          r.time("interconnect.crossing_latency", clock, dx.crossingLatencyPs()),
          groupBandwidth,
          r.get("interconnect.slice_bandwidth", Units::parseBandwidth, dx.sliceBandwidth()),
          r.getInt("interconnect.group_buffer", Units::parseNumber, dx.groupBuffer()),
          r.get("interconnect.crossing_bandwidth", Units::parseBandwidth, crossingDefault));
    });

    EnergyParams de = EnergyParams.defaults();
    EnergyParams energy = r.build("energy", () -> new EnergyParams(
        r.get("energy.llc_read_pj_per_bit", Units::parseNumber, de.llcReadPjPerBit()),
        r.get("energy.llc_write_pj_per_bit", Units::parseNumber, de.llcWritePjPerBit()),
        r.get("energy.interconnect_pj_per_bit", Units::parseNumber, de.interconnectPjPerBit()),
        r.get("energy.far_crossing_pj_per_bit", Units::parseNumber, de.farCrossingPjPerBit()),
        r.get("energy.hbm_read_pj_per_bit", Units::parseNumber, de.hbmReadPjPerBit()),
        r.get("energy.hbm_write_pj_per_bit", Units::parseNumber, de.hbmWritePjPerBit()),
        r.get("energy.hbm_activate_pj", Units::parseNumber, de.hbmActivatePj())));
    return new Bound(llc, homeInterleave, kv, scheme, xbar, energy);
  }

  private static LlcScheme scheme(Reader r, LlcParams llc, KvLayout kv) {
    String baseline = r.get("llc.reservation.baseline", s -> s, "none");
    if (!LlcScheme.BASELINES.contains(baseline)) {
      throw r.bad("llc.reservation.baseline", "one of " + LlcScheme.BASELINES);
    }
    for (String key : KEYS) {
      boolean unitKey = key.startsWith("llc.reservation.") && !key.equals("llc.reservation.baseline")
          && !key.equals("llc.reservation.ratio") && !key.equals("llc.reservation.size");
      boolean applies = key.startsWith("llc.window.") ? baseline.equals("window")
          : unitKey ? !baseline.equals("none") && !baseline.equals("window")
          : !key.startsWith("llc.reservation.") || key.equals("llc.reservation.baseline")
              || !baseline.equals("none");
      if (r.has(key) && !applies) {
        throw new UserInputException(r.source + ": key '" + key
            + "' does not apply to llc.reservation.baseline=" + baseline);
      }
    }
    if (r.has("llc.reservation.ratio") && r.has("llc.reservation.size")) {
      throw r.bad("llc.reservation.size", "either llc.reservation.ratio or llc.reservation.size,"
          + " not both");
    }
    long size;
    if (r.has("llc.reservation.size")) {
      size = r.get("llc.reservation.size", Units::parseBytes, 0L);
    } else {
      double ratio = r.get("llc.reservation.ratio", Units::parseNumber, 0.5);
      if (!(ratio > 0 && ratio < 1)) {
        throw r.bad("llc.reservation.ratio", "a share in (0, 1)");
      }
      size = (long) (ratio * llc.capacityBytes()) / llc.lineBytes() * llc.lineBytes();
    }
    LlcScheme named = LlcScheme.named(baseline, size, kv);
    if (named.reservation() != null) {
      ReservationParams p = named.reservation();
      return LlcScheme.reservation(baseline, new ReservationParams(
          p.sizeBytes(),
          r.getInt("llc.reservation.unit_tokens", Units::parseNumber, p.unitTokens()),
          r.get("llc.reservation.admission", s -> s, p.admission()),
          r.get("llc.reservation.sharing", s -> s, p.sharing()),
          r.get("llc.reservation.lend", LlcBinding::parseBoolean, p.lend()),
          r.get("llc.reservation.retention", Retention::parse, p.retention()),
          r.getInt("llc.reservation.ghost_units", Units::parseNumber, p.ghostUnits())));
    }
    if (named.window() != null) {
      WindowParams w = named.window();
      long bytes = r.get("llc.window.bytes", Units::parseBytes, w.bytes());
      double defaultRatio = Math.min(1.0, (double) size / Math.max(1, bytes));
      return LlcScheme.window(new WindowParams(
          w.setAsideBytes(),
          r.get("llc.window.base", Units::parseBytes, w.base()),
          bytes,
          r.get("llc.window.hit_ratio", Units::parseNumber, defaultRatio),
          r.getInt("llc.window.segment", Units::parseBytes, w.segmentBytes()),
          r.get("llc.window.streaming_penalty", Units::parseNumber, w.streamingPenalty()),
          r.get("llc.window.max_set_aside", Units::parseNumber, w.maxSetAsideFraction()),
          r.get("llc.window.seed", s -> (long) Units.parseNumber(s), w.seed())));
    }
    return named;
  }

  private static boolean parseBoolean(String s) {
    return switch (s) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("'" + s + "' is not true or false");
    };
  }

  /** Reads typed values and turns every error into one message naming source and key. */
  private static final class Reader {
    private final Map<String, String> values;
    final String source;

    Reader(Map<String, String> values, String source) {
      this.values = new LinkedHashMap<>(values);
      this.source = source;
    }

    boolean has(String key) {
      return values.containsKey(key);
    }

    void rejectUnknownKeys() {
      for (String key : values.keySet()) {
        if (PREFIXES.stream().anyMatch(key::startsWith) && !KEYS.contains(key)) {
          throw new UserInputException(source + ": unknown key '" + key + "'; known keys: "
              + new TreeSet<>(KEYS));
        }
      }
    }

    <T> T get(String key, Function<String, T> parse, T fallback) {
      String text = values.get(key);
      if (text == null) {
        return fallback;
      }
      try {
        return parse.apply(text.trim());
      } catch (IllegalArgumentException e) {
        throw new UserInputException(source + ": key '" + key + "': " + e.getMessage(), e);
      }
    }

    int getInt(String key, Function<String, ? extends Number> parse, int fallback) {
      if (!values.containsKey(key)) {
        return fallback;
      }
      double v = get(key, parse, null).doubleValue();
      if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw bad(key, "a whole number");
      }
      return (int) v;
    }

    long time(String key, double clockHz, long fallbackPs) {
      Units.Time t = get(key, Units::parseTime, null);
      if (t == null) {
        return fallbackPs;
      }
      double ps = t.picoseconds(clockHz);
      if (!(ps >= 0)) {
        throw bad(key, "a time >= 0");
      }
      return Math.round(ps);
    }

    UserInputException bad(String key, String expected) {
      return new UserInputException(source + ": key '" + key + "': expected " + expected
          + ", got '" + values.get(key) + "'");
    }

    /** Runs a record constructor, turning its validation error into a user error. */
    <T> T build(String what, java.util.function.Supplier<T> constructor) {
      try {
        return constructor.get();
      } catch (UserInputException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new UserInputException(source + ": " + what + ": " + e.getMessage(), e);
      }
    }
  }
}
