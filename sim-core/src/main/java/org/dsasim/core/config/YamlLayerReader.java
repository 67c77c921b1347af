package org.dsasim.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsasim.core.UserInputException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads a configuration YAML file into {@link Layer}s: nested mappings become dotted keys ({@code
 * llc: {capacity: 60MiB}} and {@code llc.capacity: 60MiB} are the same key), every value keeps the
 * line it was written on, and {@code include:} pulls other files in below the including one.
 *
 * <p>Files are only composed into a node tree, never constructed into objects, so no YAML tag can
 * instantiate a class; tags other than YAML's standard scalar and collection tags are rejected.
 * Sizes are bounded (code points, nesting depth, aliases) against hostile input.
 */
final class YamlLayerReader {
  private static final int MAX_INCLUDE_DEPTH = 16;
  private static final int MAX_CODE_POINTS = 4 * 1024 * 1024;
  private static final Set<Tag> ALLOWED_TAGS =
      Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP, Tag.MAP, Tag.SEQ);

  private final Origin.Kind kind;
  private final Deque<String> includeStack = new ArrayDeque<>();
  private final Deque<String> includeNames = new ArrayDeque<>();

  private YamlLayerReader(Origin.Kind kind) {
    this.kind = kind;
  }

  /**
   * The layers of {@code source}, lowest precedence first: its included files (in the order named,
   * each with its own includes), then the file itself.
   *
   * @param kind {@link Origin.Kind#PRESET} or {@link Origin.Kind#USER_FILE}, for the origins
   */
  static List<Layer> read(YamlSource source, Origin.Kind kind) {
    List<Layer> layers = new ArrayList<>();
    new YamlLayerReader(kind).readInto(source, null, layers);
    return layers;
  }

  private void readInto(YamlSource source, Origin includedFrom, List<Layer> layers) {
    String where = includedFrom == null ? "" : " (included from " + includedFrom.describe() + ")";
    if (includeStack.contains(source.identity())) {
      List<String> loop = new ArrayList<>(includeNames);
      java.util.Collections.reverse(loop);
      loop.add(source.displayName());
      throw new UserInputException(
          includedFrom.describe() + ": the includes form a loop: " + String.join(" -> ", loop));
    }
    if (includeStack.size() >= MAX_INCLUDE_DEPTH) {
      throw new UserInputException(
          includedFrom.describe() + ": includes nested more than " + MAX_INCLUDE_DEPTH + " deep");
    }
    Node root = compose(source, where);
    includeStack.push(source.identity());
    includeNames.push(source.displayName());
    Layer layer = new Layer();
    if (root != null) {
      if (!(root instanceof MappingNode mapping)) {
        throw new UserInputException(
            source.displayName()
                + " line "
                + line(root)
                + ": expected a mapping of keys to values"
                + " (key: value), found "
                + describe(root)
                + where);
      }
      List<Origin> includeOrigins = new ArrayList<>();
      List<String> includeFiles = new ArrayList<>();
      flatten(source, mapping, "", layer, new HashMap<>(), includeOrigins, includeFiles);
      for (int i = 0; i < includeFiles.size(); i++) {
        readInto(source.resolve(includeFiles.get(i)), includeOrigins.get(i), layers);
      }
    }
    includeStack.pop();
    includeNames.pop();
    layers.add(layer);
  }

  private static Node compose(YamlSource source, String where) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    options.setNestingDepthLimit(32);
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setAllowRecursiveKeys(false);
    DumperOptions dumperOptions = new DumperOptions();
    Yaml yaml =
        new Yaml(
            new SafeConstructor(options), new Representer(dumperOptions), dumperOptions, options);
    try (InputStream in = source.open();
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return yaml.compose(reader);
    } catch (NoSuchFileException e) {
      throw new UserInputException(source.displayName() + ": no such file" + where);
    } catch (AccessDeniedException e) {
      throw new UserInputException(source.displayName() + ": permission denied" + where);
    } catch (IOException e) {
      throw new UserInputException(
          source.displayName() + ": cannot read it (" + e.getMessage() + ")" + where);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String position =
          mark == null
              ? ""
              : " line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      throw new UserInputException(
          source.displayName() + position + ": not valid YAML: " + problem + where);
    } catch (YAMLException e) {
      throw new UserInputException(
          source.displayName() + ": not valid YAML: " + e.getMessage() + where);
    }
  }

  private void flatten(
      YamlSource source,
      MappingNode mapping,
      String prefix,
      Layer layer,
      Map<String, Integer> lines,
      List<Origin> includeOrigins,
      List<String> includeFiles) {
    Map<String, Integer> siblings = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      Node valueNode = tuple.getValueNode();
      int line = line(keyNode);
      Origin origin = Origin.inFile(kind, source.displayName(), line);
      if (keyNode.getTag().equals(Tag.MERGE)) {
        throw new UserInputException(
            origin.describe() + ": YAML merge keys (<<) are not supported");
      }
      if (!(keyNode instanceof ScalarNode scalarKey) || scalarKey.getValue().isBlank()) {
        throw new UserInputException(origin.describe() + ": a key must be a plain name");
      }
      checkTag(keyNode, origin);
      Integer sibling = siblings.putIfAbsent(scalarKey.getValue(), line);
      if (sibling != null) {
        throw new UserInputException(
            origin.describe()
                + ": '"
                + scalarKey.getValue()
                + "' appears twice in the same"
                + " mapping (also on line "
                + sibling
                + ")");
      }
      String name = prefix.isEmpty() ? scalarKey.getValue() : prefix + "." + scalarKey.getValue();
      if (prefix.isEmpty() && name.equals(ConfigSchema.INCLUDE)) {
        for (String include : scalars(valueNode, origin, name)) {
          includeOrigins.add(origin);
          includeFiles.add(include);
        }
        continue;
      }
      if (valueNode instanceof MappingNode nested) {
        checkTag(valueNode, origin);
        flatten(source, nested, name, layer, lines, includeOrigins, includeFiles);
        continue;
      }
      Integer earlier = lines.putIfAbsent(name, line);
      if (earlier != null) {
        throw new UserInputException(
            origin.describe()
                + ": "
                + name
                + " is set twice in this file (also on line "
                + earlier
                + ")");
      }
      if (valueNode instanceof SequenceNode) {
        layer.put(name, scalars(valueNode, origin, name), origin);
      } else {
        layer.put(name, scalar(valueNode, origin, name), origin);
      }
    }
  }

  /** The items of a sequence, or the one scalar given instead. */
  private static List<String> scalars(Node node, Origin origin, String key) {
    if (node instanceof SequenceNode seq) {
      checkTag(node, origin);
      List<String> items = new ArrayList<>();
      for (Node item : seq.getValue()) {
        if (!(item instanceof ScalarNode)) {
          throw new UserInputException(
              origin.describe()
                  + ": "
                  + key
                  + ": list items must be single values, found "
                  + describe(item)
                  + " on line "
                  + line(item));
        }
        items.add(scalar(item, origin, key));
      }
      return items;
    }
    return List.of(scalar(node, origin, key));
  }

  private static String scalar(Node node, Origin origin, String key) {
    checkTag(node, origin);
    if (!(node instanceof ScalarNode s)) {
      throw new UserInputException(origin.describe() + ": " + key + ": expected a value");
    }
    if (s.getTag().equals(Tag.NULL)) {
      throw new UserInputException(
          origin.describe() + ": " + key + " has no value; write one, or remove the line");
    }
    return s.getValue();
  }

  private static void checkTag(Node node, Origin origin) {
    if (!ALLOWED_TAGS.contains(node.getTag())) {
      throw new UserInputException(
          origin.describe()
              + ": the YAML tag "
              + node.getTag()
              + " is not allowed here; write"
              + " plain values");
    }
  }

  private static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }

  private static String describe(Node node) {
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    return "a single value";
  }
}
