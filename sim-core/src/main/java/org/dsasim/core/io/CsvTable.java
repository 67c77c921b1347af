package org.dsasim.core.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;
import org.dsasim.core.UserInputException;

/**
 * A small CSV input file read by column name (measurement tables: a header line naming the
 * columns, in any order, then one row per line; blank lines and lines starting with {@code #}
 * are skipped; cells hold no commas). Every mistake is a {@link UserInputException} naming the
 * file, the line and the column: {@code F: line 3, column 'ctx': 'x' is not a positive whole
 * number}.
 */
public final class CsvTable {
  private final Path file;
  private final Map<String, Integer> columns = new HashMap<>();
  private final List<Row> rows = new ArrayList<>();

  private CsvTable(Path file, List<String> lines) {
    this.file = file;
    if (lines.isEmpty()) {
      throw new UserInputException(file + ": empty file, expected a header line");
    }
    String[] names = lines.get(0).trim().split(",", -1);
    for (int i = 0; i < names.length; i++) {
      String name = names[i].trim().toLowerCase(Locale.ROOT);
      Integer earlier = columns.put(name, i);
      if (earlier != null) {
        // which of the two a row's value would come from is a guess; make the user say it
        throw new UserInputException(file + ": line 1: column '" + name + "' appears twice"
            + " (columns " + (earlier + 1) + " and " + (i + 1) + ")");
      }
    }
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (!line.isEmpty() && !line.startsWith("#")) {
        String[] cells = line.split(",", -1);
        if (cells.length > names.length) {
          // a cell with a comma in it, or a missing header: every later cell would be misread
          throw new UserInputException(file + ": line " + (i + 1) + ": " + cells.length
              + " cells, but the header (line 1) names " + names.length + " columns"
              + " (cells hold no commas)");
        }
        rows.add(new Row(i + 1, cells));
      }
    }
  }

  /**
   * Reads {@code file}; {@code what} names it in the messages of a missing or unreadable file
   * ({@code experiments file}).
   */
  public static CsvTable read(Path file, String what) {
    return new CsvTable(file, TextFiles.read(file, what).lines().toList());
  }

  /** Fails unless the header names every one of {@code required} (names in lower case). */
  public CsvTable require(List<String> required) {
    for (String r : required) {
      if (!columns.containsKey(r)) {
        throw new UserInputException(file + ": line 1: missing column '" + r + "' (expected "
            + String.join(",", required) + ")");
      }
    }
    return this;
  }

  /** The data rows; fails if there are none. */
  public List<Row> rows() {
    if (rows.isEmpty()) {
      throw new UserInputException(file + ": no rows after the header");
    }
    return rows;
  }

  /** One data row, read cell by cell by column name. */
  public final class Row {
    private final int line;
    private final String[] cells;

    private Row(int line, String[] cells) {
      this.line = line;
      this.cells = cells;
    }

    /** The 1-based line number in the file. */
    public int line() {
      return line;
    }

    /** The cell of {@code column}, trimmed; "" when the column or the cell is absent. */
    public String cell(String column) {
      Integer i = columns.get(column);
      return i == null || i >= cells.length ? "" : cells[i].trim();
    }

    /** The cell of {@code column}, which must not be empty. */
    public String text(String column) {
      String t = cell(column);
      if (t.isEmpty()) {
        throw error(column, "a value");
      }
      return t;
    }

    /** The error for {@code column}'s cell, which is not {@code expected}. */
    public UserInputException error(String column, String expected) {
      return new UserInputException(file + ": line " + line + ", column '" + column + "': '"
          + cell(column) + "' is not " + expected);
    }

    /** The cell of {@code column} as a number; {@code expected} says what it should be. */
    public double number(String column, String expected) {
      double v;
      try {
        v = Double.parseDouble(text(column));
      } catch (NumberFormatException e) {
        throw error(column, expected);
      }
      // "NaN", "Infinity" and overflowing ones like 1e400 parse, but measure nothing
      if (!Double.isFinite(v)) {
        throw error(column, expected);
      }
      return v;
    }

    /**
     * The cell of {@code column} as a measured time: greater than 0, or at least 0 where
     * {@code zeroMeansNone} (a phase the experiment did not have); NaN when the column or the cell
     * is absent.
     */
    public double optionalTime(String column, boolean zeroMeansNone) {
      if (cell(column).isEmpty()) {
        return Double.NaN;
      }
      return zeroMeansNone ? checked(column, "a number >= 0", v -> v >= 0) : positive(column);
    }

    /** The cell of {@code column} as a whole number in [{@code min}, Integer.MAX_VALUE]. */
    public int whole(String column, int min) {
      return (int) checked(column,
          min == 1 ? "a positive whole number" : "a whole number >= " + min,
          v -> v >= min && v == Math.rint(v) && v <= Integer.MAX_VALUE);
    }

    /** The cell of {@code column} as a number greater than 0. */
    public double positive(String column) {
      return checked(column, "a positive number", v -> v > 0);
    }

    /** The cell of {@code column} as a number that passes {@code ok}, else {@code expected}. */
    private double checked(String column, String expected, DoublePredicate ok) {
      double v = number(column, expected);
      if (!ok.test(v)) {
        throw error(column, expected);
      }
      return v;
    }
  }
}
