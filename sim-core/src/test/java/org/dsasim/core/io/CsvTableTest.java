package org.dsasim.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dsasim.core.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvTableTest {
  @TempDir Path dir;

  private Path write(String text) throws IOException {
    Path f = dir.resolve("t.csv");
    Files.writeString(f, text);
    return f;
  }

  private String failure(String text, java.util.function.Consumer<CsvTable> use)
      throws IOException {
    Path f = write(text);
    return assertThrows(UserInputException.class, () -> use.accept(CsvTable.read(f, "table")))
        .getMessage();
  }

  @Test
  void readsCellsByColumnNameInAnyOrderSkippingBlankAndCommentLines() throws IOException {
    CsvTable t = CsvTable.read(write("B,a,c\n# note\n\n2, x ,3.5\n7,y,\n"), "table");
    List<CsvTable.Row> rows = t.require(List.of("a", "b")).rows();
    assertEquals(2, rows.size());
    assertEquals(4, rows.get(0).line());
    assertEquals("x", rows.get(0).text("a"));
    assertEquals(2, rows.get(0).whole("b", 1));
    assertEquals(3.5, rows.get(0).positive("c"));
    assertTrue(Double.isNaN(rows.get(1).optionalTime("c", false)));
    assertTrue(Double.isNaN(rows.get(1).optionalTime("absent", true)));
    assertEquals(7, rows.get(1).whole("b", 0));
  }

  @Test
  void everyMistakeNamesTheFileLineAndColumn() throws IOException {
    String f = dir.resolve("t.csv").toString();
    assertEquals(f + ": empty file, expected a header line", failure("", t -> { }));
    assertEquals(f + ": line 1: missing column 'b' (expected a,b)",
        failure("a,c\n1,2\n", t -> t.require(List.of("a", "b"))));
    assertEquals(f + ": no rows after the header", failure("a\n\n", CsvTable::rows));
    assertEquals(f + ": line 3, column 'a': '1.5' is not a positive whole number",
        failure("a\n1\n1.5\n", t -> t.rows().forEach(r -> r.whole("a", 1))));
    assertEquals(f + ": line 2, column 'a': '-1' is not a whole number >= 0",
        failure("a\n-1\n", t -> t.rows().get(0).whole("a", 0)));
    assertEquals(f + ": line 2, column 'a': 'fast' is not a positive number",
        failure("a\nfast\n", t -> t.rows().get(0).positive("a")));
    assertEquals(f + ": line 2, column 'a': '0' is not a positive number",
        failure("a\n0\n", t -> t.rows().get(0).positive("a")));
    assertEquals(f + ": line 2, column 'b': '' is not a value",
        failure("a,b\n1\n", t -> t.rows().get(0).text("b")));
  }

  @Test
  void rowsWiderThanTheHeaderAndRepeatedColumnsAreRefused() throws IOException {
    String f = dir.resolve("t.csv").toString();
    assertEquals(f + ": line 3: 3 cells, but the header (line 1) names 2 columns (cells hold no"
        + " commas)", failure("a,b\n1,2\n1,2,3\n", t -> { }));
    assertEquals(f + ": line 1: column 'a' appears twice (columns 1 and 3)",
        failure("a,b,A\n1,2,3\n", t -> { }));
  }

  /** Double.parseDouble reads the first four, but no measured time is NaN, infinite or not above 0. */
  @ParameterizedTest
  @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "1e400", "-5", "0"})
  void measuredTimesThatAreNotFinitePositiveNumbersAreRefused(String cell) throws IOException {
    String f = dir.resolve("t.csv").toString();
    assertEquals(f + ": line 2, column 'a': '" + cell + "' is not a positive number",
        failure("a\n" + cell + "\n", t -> t.rows().get(0).optionalTime("a", false)));
  }

  /** A phase an experiment did not have is measured as 0; below 0 is still a mistake. */
  @Test
  void aTimeThatMayBeZeroRefusesOnlyNegativeOnes() throws IOException {
    CsvTable t = CsvTable.read(write("a\n0.00\n-1\n"), "table");
    assertEquals(0.0, t.rows().get(0).optionalTime("a", true));
    String f = dir.resolve("t.csv").toString();
    assertEquals(f + ": line 3, column 'a': '-1' is not a number >= 0",
        failure("a\n0.00\n-1\n", table -> table.rows().get(1).optionalTime("a", true)));
  }

  @Test
  void aByteOrderMarkIsNotPartOfTheFirstColumnName() throws IOException {
    Path f = dir.resolve("t.csv");
    Files.write(f, ("\uFEFFid,x\r\n7,8\r\n").getBytes(StandardCharsets.UTF_8));
    assertEquals(7, CsvTable.read(f, "table").require(List.of("id")).rows().get(0).whole("id", 1));
  }

  @Test
  void bytesThatAreNotUtf8AreReportedWithTheirOffset() throws IOException {
    Path f = dir.resolve("t.csv");
    Files.write(f, new byte[] {'a', '\n', '1', (byte) 0xFF, '\n'});
    assertEquals(f + ": not UTF-8 text: byte FF at byte offset 3; expected a text table",
        assertThrows(UserInputException.class, () -> CsvTable.read(f, "table")).getMessage());
  }

  @Test
  void aMissingOrUnreadableFileSaysWhatItWasFor() {
    Path none = dir.resolve("none.csv");
    assertEquals("table " + none + " does not exist",
        assertThrows(UserInputException.class, () -> CsvTable.read(none, "table")).getMessage());
    assertEquals("cannot read table " + dir + ": is a folder, not a file",
        assertThrows(UserInputException.class, () -> CsvTable.read(dir, "table")).getMessage());
  }
}
