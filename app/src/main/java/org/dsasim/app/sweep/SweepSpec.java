package org.dsasim.app.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.ConfigSchema;
import org.dsasim.core.io.TextFiles;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A design-space sweep: a base configuration and the axes to vary over it.
 *
 * <pre>
 * name: smoke
 * runner: decode                # what a point is: decode (a timed run, the default) or replay
 * base:                         # settings every point starts from (key: value)
 *   hardware: h200
 * base_config: other.yaml       # optional config file, relative to the spec
 * axes:                         # cartesian product, first axis slowest
 *   - key: fastmem.llc.capacity
 *     values: [30MiB, 60MiB]
 *   - key: reservation_ratio    # not a configuration key: a sweep variable
 *     values: [0, 0.25]
 *   - zip:                      # advanced together: one axis of paired values
 *       - {key: decode.batch, values: [8, 32]}
 *       - {key: model.topk, values: [1024, 2048]}
 * points:                       # explicit points, appended after the product
 *   - {fastmem.llc.capacity: 120MiB, reservation_ratio: 0.5}
 * derive:                       # keys computed per point, in order, from its other values
 *   fastmem.llc.reservation: fastmem.llc.capacity * reservation_ratio
 * seeds: [1, 2]                 # replicates: every point once per seed
 * outputs: [hlog]               # per-point files wanted (default: all)
 * compare:                      # columns speedup.METRIC: the metric of the point with the
 *   axis: reservation_ratio     #   axis at the baseline value (the other axes and the seed
 *   baseline: 0                 #   the same) over this point's
 *   metrics: [decode_step_us.p50]
 * </pre>
 *
 * <p>An axis key that is not a configuration key (above, {@code reservation_ratio}) is a sweep
 * variable: it is a column of the result table and feeds {@code derive} expressions, and the
 * point runner checks that every such variable is used. See docs/sweeps.md.
 */
public final class SweepSpec {
  /** The configuration key a replicate seed is written to. */
  public static final String SEED_KEY = "sim.seed";

  private static final List<String> TOP_KEYS =
      List.of("name", "runner", "base", "base_config", "axes", "points", "derive", "seeds",
          "outputs", "compare");

  /** A point simulated as {@code dsasim run} does (the default). */
  public static final String DECODE = "decode";
  /** A point replayed through a token-cache policy as {@code dsasim replay} does. */
  public static final String REPLAY = "replay";
  /** What {@code runner:} may name. */
  public static final List<String> RUNNERS = List.of(DECODE, REPLAY);

  /** What {@code outputs:} may list: the per-point files of a decode run. */
  public static final List<String> OUTPUT_KINDS = List.of("summary", "hlog", "config");
  /** The per-point files of a replay point (it has no latency histograms). */
  public static final List<String> REPLAY_OUTPUT_KINDS = List.of("summary", "config");

  /** A name that is safe as one path segment (it names output folders and cluster jobs). */
  private static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  private final String name;
  private final String runner;
  private final Path source;
  private final Map<String, String> base;
  private final Path baseConfig;
  private final List<Axis> axes;
  private final List<Map<String, String>> explicitPoints;
  private final Map<String, String> derive;
  private final List<Long> seeds;
  private final List<String> outputs;
  private final Compare compare;

  /**
   * Derived columns of the result table ({@code compare:}): for each metric, the value of the
   * point that has {@code axis} at {@code baseline} and every other axis and the seed the same,
   * over this point's (for times, the speed-up against the baseline).
   */
  public record Compare(String axis, String baseline, List<String> metrics) {
    /** The column of {@code metric}. */
    public static String column(String metric) {
      return "speedup." + metric;
    }
  }

  /** One dimension of the product: one or more keys whose value lists advance together. */
  public record Axis(List<String> keys, List<List<String>> values) {
    int size() {
      return values.get(0).size();
    }
  }

  private SweepSpec(
      String name,
      String runner,
      Path source,
      Map<String, String> base,
      Path baseConfig,
      List<Axis> axes,
      List<Map<String, String>> explicitPoints,
      Map<String, String> derive,
      List<Long> seeds,
      List<String> outputs,
      Compare compare) {
    this.name = name;
    this.runner = runner;
    this.source = source;
    this.base = base;
    this.baseConfig = baseConfig;
    this.axes = axes;
    this.explicitPoints = explicitPoints;
    this.derive = derive;
    this.seeds = seeds;
    this.outputs = outputs;
    this.compare = compare;
  }

  /** The derived columns asked for ({@code compare:}), or null. */
  public Compare compare() {
    return compare;
  }

  public String name() {
    return name;
  }

  public Path source() {
    return source;
  }

  /** What a point is ({@code runner:}): {@value #DECODE} (the default) or {@value #REPLAY}. */
  public String runner() {
    return runner;
  }

  /** Settings common to all points (from {@code base:}). */
  public Map<String, String> base() {
    return base;
  }

  /** The config file named by {@code base_config:}, resolved against the spec's folder; or null. */
  public Path baseConfig() {
    return baseConfig;
  }

  /** The per-point files wanted ({@code outputs:}); every kind when the spec names none. */
  public List<String> outputs() {
    return outputs.isEmpty() ? outputKinds(runner) : outputs;
  }

  /** The per-point files a point of {@code runner} can write. */
  public static List<String> outputKinds(String runner) {
    return runner.equals(REPLAY) ? REPLAY_OUTPUT_KINDS : OUTPUT_KINDS;
  }

  /** Keys computed per point ({@code derive:}): key -> expression, in evaluation order. */
  public Map<String, String> derive() {
    return derive;
  }

  /** Every axis key, in order (the columns of the result table before the metrics). */
  public List<String> axisKeys() {
    return axisKeysOf(axes, explicitPoints);
  }

  private static List<String> axisKeysOf(List<Axis> axes, List<Map<String, String>> explicitPoints) {
    List<String> keys = new ArrayList<>();
    for (Axis a : axes) {
      for (String k : a.keys()) {
        if (!keys.contains(k)) {
          keys.add(k);
        }
      }
    }
    for (Map<String, String> p : explicitPoints) {
      for (String k : p.keySet()) {
        if (!keys.contains(k)) {
          keys.add(k);
        }
      }
    }
    return keys;
  }

  /** The points in a fixed order: the product (first axis slowest), then explicit points; x seeds. */
  public List<SweepPoint> points() {
    List<Map<String, String>> combos = new ArrayList<>();
    product(0, new LinkedHashMap<>(), combos);
    if (axes.isEmpty() && explicitPoints.isEmpty()) {
      combos.add(new LinkedHashMap<>());
    }
    combos.addAll(explicitPoints);
    List<Long> seedList = seeds.isEmpty() ? List.of(-1L) : seeds;
    int total = combos.size() * seedList.size();
    int width = Math.max(4, Integer.toString(total - 1).length());
    List<SweepPoint> out = new ArrayList<>(total);
    for (Map<String, String> combo : combos) {
      for (long seed : seedList) {
        int i = out.size();
        out.add(new SweepPoint(i, "p" + String.format("%0" + width + "d", i), combo, seed));
      }
    }
    return out;
  }

  private void product(int axis, Map<String, String> prefix, List<Map<String, String>> out) {
    if (axes.isEmpty()) {
      return;
    }
    if (axis == axes.size()) {
      out.add(new LinkedHashMap<>(prefix));
      return;
    }
    Axis a = axes.get(axis);
    for (int v = 0; v < a.size(); v++) {
      for (int k = 0; k < a.keys().size(); k++) {
        prefix.put(a.keys().get(k), a.values().get(k).get(v));
      }
      product(axis + 1, prefix, out);
    }
    for (String k : a.keys()) {
      prefix.remove(k);
    }
  }

  /** Reads and checks a spec; every mistake is a {@link UserInputException} naming the place. */
  public static SweepSpec load(Path file) {
    return parse(TextFiles.read(file, "sweep spec"), file);
  }

  /**
   * Parses a spec's text; {@code file} names it in messages and anchors relative paths (used
   * where the text travels without its file, e.g. to cluster workers).
   */
  public static SweepSpec parse(String text, Path file) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    options.setCodePointLimit(4 * 1024 * 1024);
    Object root;
    try {
      root = new Yaml(new TextNumbers(options)).load(text);
    } catch (MarkedYAMLException e) {
      throw new UserInputException(
          file + ":" + (e.getProblemMark().getLine() + 1) + ": malformed YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw new UserInputException(file + ": malformed YAML: " + e.getMessage());
    }
    Parser p = new Parser(file);
    Map<String, Object> map = p.map(root, "the spec");
    for (String k : map.keySet()) {
      if (!TOP_KEYS.contains(k)) {
        throw p.error("unknown top-level key '" + k + "'" + suggest(k) + "; allowed: " + TOP_KEYS);
      }
    }
    String name = map.containsKey("name") ? p.scalar(map.get("name"), "name") : baseName(file);
    if (!NAME.matcher(name).matches()) {
      throw p.error("name: '" + name + "' must be one folder name (letters, digits, '_', '.',"
          + " '-'; no '/', no leading '.'): it names the output folder");
    }
    String runner = map.containsKey("runner") ? p.scalar(map.get("runner"), "runner") : DECODE;
    if (!RUNNERS.contains(runner)) {
      throw p.error("runner: unknown runner '" + runner + "'; allowed: " + RUNNERS);
    }
    Map<String, String> base = new LinkedHashMap<>();
    if (map.containsKey("base")) {
      flatten("", p.map(map.get("base"), "base"), base, p);
    }
    Path baseConfig = null;
    if (map.containsKey("base_config")) {
      Path parent = file.toAbsolutePath().getParent();
      baseConfig = parent.resolve(p.scalar(map.get("base_config"), "base_config")).normalize();
      if (!Files.isRegularFile(baseConfig)) {
        throw p.error("base_config: no such file " + baseConfig);
      }
    }
    List<Axis> axes = new ArrayList<>();
    if (map.containsKey("axes")) {
      List<Object> list = p.list(map.get("axes"), "axes");
      Map<String, String> axisOf = new LinkedHashMap<>();
      for (int i = 0; i < list.size(); i++) {
        String where = "axes[" + i + "]";
        Axis axis = p.axis(list.get(i), where);
        for (String k : axis.keys()) {
          // the product would give the key the later axis's value only, silently
          String earlier = axisOf.putIfAbsent(k, where);
          if (earlier != null) {
            throw p.error(where + ": " + k + " is already swept by " + earlier
                + "; give a key's values in one axis");
          }
        }
        axes.add(axis);
      }
    }
    List<Map<String, String>> explicit = new ArrayList<>();
    if (map.containsKey("points")) {
      List<Object> list = p.list(map.get("points"), "points");
      for (int i = 0; i < list.size(); i++) {
        Map<String, String> point = new LinkedHashMap<>();
        flatten("", p.map(list.get(i), "points[" + i + "]"), point, p);
        explicit.add(point);
      }
    }
    Map<String, String> derive = new LinkedHashMap<>();
    if (map.containsKey("derive")) {
      for (Map.Entry<String, Object> e : p.map(map.get("derive"), "derive").entrySet()) {
        derive.put(e.getKey(), p.scalar(e.getValue(), "derive." + e.getKey()));
      }
    }
    List<Long> seeds = new ArrayList<>();
    if (map.containsKey("seeds")) {
      for (Object o : p.list(map.get("seeds"), "seeds")) {
        String s = p.scalar(o, "seeds");
        try {
          long seed = Long.parseLong(s);
          if (seed < 0) {
            throw p.error("seeds: " + s + " is negative; expected integers >= 0");
          }
          if (seeds.contains(seed)) {
            throw p.error("seeds: " + s + " appears twice");
          }
          seeds.add(seed);
        } catch (NumberFormatException e) {
          throw p.error("seeds: '" + s + "' is not an integer");
        }
      }
    }
    List<String> outputs = new ArrayList<>();
    if (map.containsKey("outputs")) {
      for (Object o : p.list(map.get("outputs"), "outputs")) {
        String kind = p.scalar(o, "outputs");
        if (!outputKinds(runner).contains(kind)) {
          throw p.error("outputs: unknown output '" + kind + "' for runner " + runner
              + "; allowed: " + outputKinds(runner));
        }
        outputs.add(kind);
      }
    }
    for (Axis a : axes) {
      for (String k : a.keys()) {
        if (base.containsKey(k)) {
          base.remove(k); // the axis decides it; the base value would be silently ignored otherwise
        }
      }
    }
    for (String k : derive.keySet()) {
      if (base.containsKey(k) || axisKeysOf(axes, explicit).contains(k)) {
        throw p.error("derive." + k + ": " + k + " is also set by base, an axis or a point;"
            + " a key is either derived or given");
      }
    }
    Compare compare = null;
    if (map.containsKey("compare")) {
      compare = p.compare(map.get("compare"), axisKeysOf(axes, explicit));
      List<String> values = valuesOf(compare.axis(), axes, explicit);
      if (!values.contains(compare.baseline())) {
        throw p.error("compare.baseline: '" + compare.baseline() + "' is not a value of "
            + compare.axis() + "; its values: " + values);
      }
    }
    return new SweepSpec(name, runner, file, base, baseConfig, axes, explicit, derive, seeds, outputs,
        compare);
  }

  /** The values {@code key} takes in the axes and explicit points, first appearance first. */
  private static List<String> valuesOf(String key, List<Axis> axes,
      List<Map<String, String>> explicit) {
    List<String> values = new ArrayList<>();
    for (Axis a : axes) {
      int k = a.keys().indexOf(key);
      if (k >= 0) {
        a.values().get(k).stream().filter(v -> !values.contains(v)).forEach(values::add);
      }
    }
    for (Map<String, String> point : explicit) {
      String v = point.get(key);
      if (v != null && !values.contains(v)) {
        values.add(v);
      }
    }
    return values;
  }

  private static String baseName(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  private static void flatten(String prefix, Map<String, Object> in, Map<String, String> out,
      Parser p) {
    for (Map.Entry<String, Object> e : in.entrySet()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue() instanceof Map<?, ?>) {
        flatten(key, p.map(e.getValue(), key), out, p);
      } else {
        out.put(key, p.scalar(e.getValue(), key));
      }
    }
  }

  private static String suggest(String k) {
    return ConfigSchema.nearest(k, TOP_KEYS, 3).map(best -> " (did you mean '" + best + "'?)")
        .orElse("");
  }

  /**
   * Keeps numbers as the text written, as the configuration reader does: YAML would read {@code
   * 010} as 8 and {@code 1e400} as Infinity, and a message could not quote what the user wrote.
   */
  private static final class TextNumbers extends SafeConstructor {
    TextNumbers(LoaderOptions options) {
      super(options);
      yamlConstructors.put(Tag.INT, yamlConstructors.get(Tag.STR));
      yamlConstructors.put(Tag.FLOAT, yamlConstructors.get(Tag.STR));
    }
  }

  /** Shape checks of the YAML tree with messages naming the spec file and the element. */
  private static final class Parser {
    private final Path file;

    Parser(Path file) {
      this.file = file;
    }

    UserInputException error(String what) {
      return new UserInputException("sweep spec " + file + ": " + what);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(Object o, String where) {
      if (!(o instanceof Map<?, ?> m)) {
        throw error(where + " must be a mapping (key: value), found " + describe(o));
      }
      for (Object k : m.keySet()) {
        if (!(k instanceof String)) {
          throw error(where + ": key " + k + " must be a string");
        }
      }
      return (Map<String, Object>) m;
    }

    @SuppressWarnings("unchecked")
    List<Object> list(Object o, String where) {
      if (!(o instanceof List<?>)) {
        throw error(where + " must be a list, found " + describe(o));
      }
      return (List<Object>) o;
    }

    String scalar(Object o, String where) {
      if (o == null || o instanceof Map<?, ?> || o instanceof List<?>) {
        throw error(where + " must be a single value, found " + describe(o));
      }
      return o.toString();
    }

    /** {@code compare:} over the table's axis columns {@code axisKeys}. */
    Compare compare(Object o, List<String> axisKeys) {
      Map<String, Object> m = map(o, "compare");
      for (String k : m.keySet()) {
        if (!List.of("axis", "baseline", "metrics").contains(k)) {
          throw error("compare: unknown key '" + k + "'; allowed: [axis, baseline, metrics]");
        }
      }
      if (!m.containsKey("axis") || !m.containsKey("baseline")) {
        throw error("compare needs 'axis' (an axis key) and 'baseline' (one of its values)");
      }
      String axis = scalar(m.get("axis"), "compare.axis");
      if (!axisKeys.contains(axis)) {
        throw error("compare.axis: '" + axis + "' is not an axis of this spec; axes: " + axisKeys);
      }
      String baseline = scalar(m.get("baseline"), "compare.baseline");
      List<String> metrics = new ArrayList<>();
      if (m.containsKey("metrics")) {
        for (Object x : list(m.get("metrics"), "compare.metrics")) {
          metrics.add(scalar(x, "compare.metrics"));
        }
        if (metrics.isEmpty()) {
          throw error("compare.metrics is empty; name at least one metric column");
        }
      } else {
        metrics.add("decode_step_us.p50");
      }
      return new Compare(axis, baseline, List.copyOf(metrics));
    }

    Axis axis(Object o, String where) {
      Map<String, Object> m = map(o, where);
      if (m.containsKey("zip")) {
        if (m.size() != 1) {
          throw error(where + ": a zip axis has only the key 'zip'");
        }
        List<Object> members = list(m.get("zip"), where + ".zip");
        if (members.isEmpty()) {
          throw error(where + ".zip is empty");
        }
        List<String> keys = new ArrayList<>();
        List<List<String>> values = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
          Axis one = axis(members.get(i), where + ".zip[" + i + "]");
          if (one.keys().size() != 1) {
            throw error(where + ".zip[" + i + "]: nested zip is not allowed");
          }
          if (!values.isEmpty() && one.size() != values.get(0).size()) {
            throw error(where + ".zip: value lists differ in length (" + values.get(0).size()
                + " for " + keys.get(0) + ", " + one.size() + " for " + one.keys().get(0) + ")");
          }
          keys.add(one.keys().get(0));
          values.add(one.values().get(0));
        }
        return new Axis(List.copyOf(keys), List.copyOf(values));
      }
      for (String k : m.keySet()) {
        if (!k.equals("key") && !k.equals("values")) {
          throw error(where + ": unknown field '" + k + "'; an axis has 'key' and 'values', or 'zip'");
        }
      }
      if (!m.containsKey("key") || !m.containsKey("values")) {
        throw error(where + " needs 'key' and 'values' (or 'zip')");
      }
      String key = scalar(m.get("key"), where + ".key");
      List<String> values = new ArrayList<>();
      for (Object v : list(m.get("values"), where + ".values")) {
        values.add(scalar(v, where + ".values"));
      }
      if (values.isEmpty()) {
        throw error(where + ".values is empty");
      }
      return new Axis(List.of(key), List.of(List.copyOf(values)));
    }

    private static String describe(Object o) {
      if (o == null) {
        return "nothing";
      }
      if (o instanceof Map<?, ?>) {
        return "a mapping";
      }
      if (o instanceof List<?>) {
        return "a list";
      }
      return "'" + o + "'";
    }
  }
}
