package org.dsasim.workloads.gen;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Collection;
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
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A generator's parameters: a flat YAML mapping of keys to numbers or lists of numbers. Read
 * safely (node tree only, no object construction) so that every message can name the file, the
 * line and the key; unknown keys are rejected with the closest known key as a suggestion.
 */
public final class GeneratorParams {
  private final String origin;
  private final Map<String, Node> values;

  private GeneratorParams(String origin, Map<String, Node> values) {
    this.origin = origin;
    this.values = values;
  }

  /** No parameters: every generator uses its defaults. */
  public static GeneratorParams none() {
    return new GeneratorParams("default parameters", Map.of());
  }

  public static GeneratorParams load(Path file) {
    return parse(TextFiles.read(file, "parameter file"), file.toString());
  }

  /** Parses YAML text; {@code origin} names it in messages. */
  public static GeneratorParams parse(String text, String origin) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(10);
    options.setCodePointLimit(1 << 20);
    Node root;
    try {
      root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      throw new UserInputException(
          origin + ":" + (e.getProblemMark().getLine() + 1) + ": malformed YAML: "
              + e.getProblem());
    } catch (YAMLException e) {
      throw new UserInputException(origin + ": malformed YAML: " + e.getMessage());
    }
    Map<String, Node> values = new LinkedHashMap<>();
    if (root == null) {
      return new GeneratorParams(origin, values);
    }
    if (!(root instanceof MappingNode map)) {
      throw new UserInputException(
          origin + ":" + line(root) + ": expected a mapping of parameter names to values");
    }
    for (NodeTuple tuple : map.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        throw new UserInputException(
            origin + ":" + line(tuple.getKeyNode()) + ": parameter names must be plain words");
      }
      if (values.containsKey(key.getValue())) {
        throw new UserInputException(
            origin + ":" + line(key) + ": parameter '" + key.getValue() + "' is given twice");
      }
      values.put(key.getValue(), tuple.getValueNode());
    }
    return new GeneratorParams(origin, values);
  }

  /** The file the parameters came from (for messages). */
  public String origin() {
    return origin;
  }

  /** Rejects any key not in {@code allowed}, suggesting the closest allowed key. */
  public void requireKnownKeys(String generator, Collection<String> allowed) {
    for (Map.Entry<String, Node> e : values.entrySet()) {
      String key = e.getKey();
      if (!allowed.contains(key)) {
        String hint = closest(key, allowed);
        throw new UserInputException(
            where(key) + ": unknown parameter '" + key + "' for generator " + generator
                + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                + (allowed.isEmpty() ? "; it takes no parameters" : "; known: " + allowed));
      }
    }
  }

  /** A number in [min, max], or {@code def} if absent. */
  public double number(String key, double def, double min, double max) {
    Node node = values.get(key);
    return node == null ? def : scalar(key, node, min, max);
  }

  /** A whole number in [min, max], or {@code def} if absent. */
  public int integer(String key, int def, int min, int max) {
    Node node = values.get(key);
    if (node == null) {
      return def;
    }
    double v = scalar(key, node, min, max);
    if (v != Math.rint(v)) {
      throw new UserInputException(
          where(key) + ": '" + key + "' must be a whole number, found " + v);
    }
    return (int) v;
  }

  /**
   * A number or a list of numbers (one per layer), each in [min, max]; {@code def} as a one-element
   * array if absent. A one-element array means "the same for every layer".
   */
  public double[] numbers(String key, double def, double min, double max) {
    Node node = values.get(key);
    if (node == null) {
      return new double[] {def};
    }
    if (node instanceof SequenceNode seq) {
      List<Node> items = seq.getValue();
      if (items.isEmpty()) {
        throw new UserInputException(where(key) + ": '" + key + "' is an empty list");
      }
      double[] out = new double[items.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = scalar(key, items.get(i), min, max);
      }
      return out;
    }
    return new double[] {scalar(key, node, min, max)};
  }

  private double scalar(String key, Node node, double min, double max) {
    String range = "[" + fmt(min) + ", " + fmt(max) + "]";
    if (!(node instanceof ScalarNode s)) {
      throw new UserInputException(
          origin + ":" + line(node) + ": '" + key + "' must be a number in " + range);
    }
    double v;
    try {
      v = Double.parseDouble(s.getValue().trim());
    } catch (NumberFormatException e) {
      throw new UserInputException(
          origin + ":" + line(node) + ": '" + key + "' must be a number in " + range + ", found '"
              + s.getValue() + "'");
    }
    if (!(v >= min && v <= max)) {
      throw new UserInputException(
          origin + ":" + line(node) + ": '" + key + "' must be in " + range + ", found "
              + s.getValue());
    }
    return v;
  }

  /** "file:line" of a key's value, for messages about it. */
  public String where(String key) {
    Node node = values.get(key);
    return node == null ? origin : origin + ":" + line(node);
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  private static String fmt(double v) {
    if (v == Double.MAX_VALUE || v == Integer.MAX_VALUE) {
      return "inf";
    }
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** The allowed word nearest to {@code word} in edit distance, if it is plausibly a typo. */
  static String closest(String word, Collection<String> allowed) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : allowed) {
      int d = ConfigSchema.editDistance(word, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= Math.max(2, best.length() / 3) ? best : null;
  }
}
