package org.dsasim.accel.calibrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dsasim.core.UserInputException;

/**
 * Reads experiment rows in the column layout of the calibration set ({@code id, kernel, seqs,
 * layers, ctx, entry_bytes, topk, persist, stream_mb, l2_window, steps} and optionally
 * {@code measured_step_us, measured_gather_us, measured_stream_us}), in any column order. Two
 * further optional columns, {@code grid} and {@code block}, give probe launches an explicit shape.
 */
public final class CalibrationCsv {
  private CalibrationCsv() {}

  private static final String[] REQUIRED = {
    "id", "kernel", "seqs", "layers", "ctx", "entry_bytes", "topk", "persist", "stream_mb",
    "l2_window", "steps"
  };

  public static List<CalibrationRow> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UserInputException("experiments file " + file + " does not exist");
    } catch (IOException e) {
      throw new UserInputException("cannot read experiments file " + file + ": " + e.getMessage());
    }
    if (lines.isEmpty()) {
      throw new UserInputException(file + ": empty file, expected a header line");
    }
    String[] header = lines.get(0).trim().split(",", -1);
    Map<String, Integer> col = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      col.put(header[i].trim().toLowerCase(Locale.ROOT), i);
    }
    for (String r : REQUIRED) {
      if (!col.containsKey(r)) {
        throw new UserInputException(
            file + ": line 1: missing column '" + r + "' (expected " + String.join(",", REQUIRED)
                + ")");
      }
    }
    List<CalibrationRow> rows = new ArrayList<>();
    for (int ln = 1; ln < lines.size(); ln++) {
      String line = lines.get(ln).trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(",", -1);
      Field in = new Field(file, ln + 1, f, col);
      String kernel = in.text("kernel");
      if (!kernel.equals(CalibrationRow.GATHER_WARP) && !kernel.equals(CalibrationRow.GATHER_FLAT4)
          && !kernel.equals(CalibrationRow.EMPTY)) {
        throw in.error("kernel", "gather-warp, gather-flat4 or empty");
      }
      int grid = (int) in.optionalWhole("grid");
      int block = (int) in.optionalWhole("block");
      if (block % 32 != 0 || block > 1024) {
        throw in.error("block", "a multiple of 32 up to 1024");
      }
      CalibrationRow row = new CalibrationRow(
          in.text("id"),
          kernel,
          in.positive("seqs"),
          in.positive("layers"),
          in.positive("ctx"),
          in.positive("entry_bytes"),
          in.positive("topk"),
          in.fraction("persist"),
          in.nonNegative("stream_mb"),
          in.flag("l2_window"),
          in.positive("steps"),
          in.optional("measured_step_us"),
          in.optional("measured_gather_us"),
          in.optional("measured_stream_us"),
          new org.dsasim.accel.kernel.Launch(grid, block));
      if (row.topk() > row.ctx()) {
        throw in.error("topk", "at most ctx (" + row.ctx() + ")");
      }
      if (row.entryBytes() % 16 != 0) {
        throw in.error("entry_bytes", "a multiple of 16 (the kernels load 16 B chunks)");
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new UserInputException(file + ": no experiment rows after the header");
    }
    return rows;
  }

  private record Field(Path file, int line, String[] f, Map<String, Integer> col) {
    String text(String name) {
      int i = col.get(name);
      if (i >= f.length || f[i].isBlank()) {
        throw error(name, "a value");
      }
      return f[i].trim();
    }

    UserInputException error(String name, String expected) {
      int i = col.get(name);
      String got = i < f.length ? f[i].trim() : "";
      return new UserInputException(
          file + ": line " + line + ", column '" + name + "': '" + got + "' is not " + expected);
    }

    double number(String name, String expected) {
      try {
        return Double.parseDouble(text(name));
      } catch (NumberFormatException e) {
        throw error(name, expected);
      }
    }

    int positive(String name) {
      double v = number(name, "a positive whole number");
      if (v < 1 || v != Math.rint(v) || v > Integer.MAX_VALUE) {
        throw error(name, "a positive whole number");
      }
      return (int) v;
    }

    int nonNegative(String name) {
      double v = number(name, "a whole number >= 0");
      if (v < 0 || v != Math.rint(v) || v > Integer.MAX_VALUE) {
        throw error(name, "a whole number >= 0");
      }
      return (int) v;
    }

    double fraction(String name) {
      double v = number(name, "a number in [0, 1]");
      if (!(v >= 0 && v <= 1)) {
        throw error(name, "a number in [0, 1]");
      }
      return v;
    }

    boolean flag(String name) {
      String t = text(name);
      if (t.equals("0")) {
        return false;
      }
      if (t.equals("1")) {
        return true;
      }
      throw error(name, "0 or 1");
    }

    /** An optional whole number >= 0, 0 when absent. */
    long optionalWhole(String name) {
      double v = optional(name);
      if (Double.isNaN(v)) {
        return 0;
      }
      if (v < 0 || v != Math.rint(v) || v > Integer.MAX_VALUE) {
        throw error(name, "a whole number >= 0");
      }
      return (long) v;
    }

    double optional(String name) {
      Integer i = col.get(name);
      if (i == null || i >= f.length || f[i].isBlank()) {
        return Double.NaN;
      }
      return number(name, "a number");
    }
  }
}
