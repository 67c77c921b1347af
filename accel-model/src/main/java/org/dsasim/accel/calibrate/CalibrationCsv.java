package org.dsasim.accel.calibrate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dsasim.core.io.CsvTable;

/**
 * Reads experiment rows in the column layout of the calibration set ({@code id, kernel, seqs,
 * layers, ctx, entry_bytes, topk, persist, stream_mb, l2_window, steps} and optionally
 * {@code measured_step_us, measured_gather_us, measured_stream_us}), in any column order. Two
 * further optional columns, {@code grid} and {@code block}, give probe launches an explicit shape.
 */
public final class CalibrationCsv {
  private CalibrationCsv() {}

  private static final List<String> REQUIRED = List.of(
      "id", "kernel", "seqs", "layers", "ctx", "entry_bytes", "topk", "persist", "stream_mb",
      "l2_window", "steps");

  public static List<CalibrationRow> read(Path file) {
    List<CalibrationRow> rows = new ArrayList<>();
    for (CsvTable.Row in : CsvTable.read(file, "experiments file").require(REQUIRED).rows()) {
      String kernel = in.text("kernel");
      if (!kernel.equals(CalibrationRow.GATHER_WARP) && !kernel.equals(CalibrationRow.GATHER_FLAT4)
          && !kernel.equals(CalibrationRow.EMPTY)) {
        throw in.error("kernel", "gather-warp, gather-flat4 or empty");
      }
      int grid = optionalWhole(in, "grid");
      int block = optionalWhole(in, "block");
      if (block % 32 != 0 || block > 1024) {
        throw in.error("block", "a multiple of 32 up to 1024");
      }
      CalibrationRow row = new CalibrationRow(
          in.text("id"),
          kernel,
          in.whole("seqs", 1),
          in.whole("layers", 1),
          in.whole("ctx", 1),
          in.whole("entry_bytes", 1),
          in.whole("topk", 1),
          fraction(in, "persist"),
          in.whole("stream_mb", 0),
          flag(in, "l2_window"),
          in.whole("steps", 1),
          in.optionalTime("measured_step_us", false),
          in.optionalTime("measured_gather_us", true),
          in.optionalTime("measured_stream_us", true),
          new org.dsasim.accel.kernel.Launch(grid, block));
      if (row.topk() > row.ctx()) {
        throw in.error("topk", "at most ctx (" + row.ctx() + ")");
      }
      if (row.entryBytes() % 16 != 0) {
        throw in.error("entry_bytes", "a multiple of 16 (the kernels load 16 B chunks)");
      }
      rows.add(row);
    }
    return rows;
  }

  private static double fraction(CsvTable.Row in, String name) {
    double v = in.number(name, "a number in [0, 1]");
    if (!(v >= 0 && v <= 1)) {
      throw in.error(name, "a number in [0, 1]");
    }
    return v;
  }

  private static boolean flag(CsvTable.Row in, String name) {
    String t = in.text(name);
    if (t.equals("0") || t.equals("1")) {
      return t.equals("1");
    }
    throw in.error(name, "0 or 1");
  }

  /** An optional whole number >= 0, 0 when absent. */
  private static int optionalWhole(CsvTable.Row in, String name) {
    return in.cell(name).isEmpty() ? 0 : in.whole(name, 0);
  }
}
