package org.dsasim.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.dsasim.app.JsonMappers;
import org.dsasim.app.run.DecodeRun;
import org.dsasim.core.UserInputException;
import org.dsasim.core.io.TextFiles;

/**
 * Reads the files one decode run leaves in its folder ({@link DecodeRun#writeFiles}): the summary,
 * the latency histogram logs and the resolved configuration. A missing file reads as null (a
 * report shows what there is); a malformed one is an error naming the file.
 */
final class RunFiles {
  private RunFiles() {}

  /** Whether {@code dir} holds a run's summary. */
  static boolean isRun(Path dir) {
    return Files.isRegularFile(dir.resolve(DecodeRun.SUMMARY_FILE));
  }

  static JsonNode summary(Path dir) {
    Path f = dir.resolve(DecodeRun.SUMMARY_FILE);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      JsonNode n = JsonMappers.COMPACT.readTree(f.toFile());
      if (n == null || !n.isObject()) {
        throw new UserInputException(f + ": expected a JSON object (a run summary)");
      }
      return n;
    } catch (IOException e) {
      throw new UserInputException(f + ": not a valid JSON summary: " + e.getMessage(), e);
    }
  }

  /** The sum of every interval histogram in an HdrHistogram log, or null if there is no file. */
  static Histogram histogram(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      HistogramLogReader reader = new HistogramLogReader(file.toFile());
      Histogram sum = null;
      for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null;
          h = reader.nextIntervalHistogram()) {
        if (!(h instanceof Histogram hist)) {
          throw new UserInputException(file + ": expected integer histograms (values in ns)");
        }
        if (sum == null) {
          sum = new Histogram(hist.getLowestDiscernibleValue(), hist.getHighestTrackableValue(),
              hist.getNumberOfSignificantValueDigits());
        }
        sum.add(hist);
      }
      if (sum == null) {
        // the reader skips lines it cannot parse, so text or bytes of any other kind end here
        throw new UserInputException(file + ": not a readable HdrHistogram log: no interval"
            + " histogram in it (the logs of 'dsasim run' hold one)");
      }
      return sum;
    } catch (IOException | RuntimeException e) {
      if (e instanceof UserInputException u) {
        throw u;
      }
      throw new UserInputException(file + ": not a readable HdrHistogram log: " + e.getMessage(),
          e);
    }
  }

  /** The {@code key: value} lines of a resolved configuration, in file order; null if absent. */
  static Map<String, String> config(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : TextFiles.read(file, "run configuration").lines().toList()) {
      lineNo++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(": ");
      if (colon <= 0) {
        throw new UserInputException(file + ": line " + lineNo
            + ": expected 'key: value', found '" + line + "'");
      }
      out.put(line.substring(0, colon), line.substring(colon + 2));
    }
    if (out.isEmpty()) {
      // an emptied file would otherwise show as a configuration of no keys
      throw new UserInputException(file + ": no 'key: value' line; expected the resolved"
          + " configuration of a run");
    }
    return out;
  }

  /** The numeric leaves of a JSON tree, keyed by their dotted path ("llc_hit_rate.reserved"). */
  static Map<String, Double> flatten(JsonNode node) {
    Map<String, Double> out = new LinkedHashMap<>();
    flatten("", node, out);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, Double> out) {
    if (node.isNumber()) {
      out.put(prefix, node.asDouble());
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    }
  }
}
