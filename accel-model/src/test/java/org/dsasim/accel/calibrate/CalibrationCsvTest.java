package org.dsasim.accel.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dsasim.core.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationCsvTest {
  private static final String HEADER =
      "id,kernel,seqs,layers,ctx,entry_bytes,topk,persist,stream_mb,l2_window,steps";

  @TempDir Path dir;

  private Path write(String... lines) throws IOException {
    Path f = dir.resolve("rows.csv");
    Files.writeString(f, String.join("\n", lines) + "\n");
    return f;
  }

  @Test
  void readsRowsInAnyColumnOrderWithOptionalMeasurements() throws IOException {
    List<CalibrationRow> rows = CalibrationCsv.read(write(
        "steps,id,kernel,seqs,layers,ctx,entry_bytes,topk,persist,stream_mb,l2_window,"
            + "measured_step_us",
        "48,a,gather-flat4,2,8,1024,656,128,0.5,8,1,20.5",
        "16,b,gather-warp,1,4,2048,128,64,0,0,0,"));
    assertEquals(2, rows.size());
    CalibrationRow a = rows.get(0);
    assertEquals("gather-flat4", a.kernel());
    assertEquals(48, a.steps());
    assertTrue(a.l2Window());
    assertEquals(20.5, a.measuredStepUs());
    assertTrue(Double.isNaN(rows.get(1).measuredStepUs()));
  }

  @Test
  void namesTheFileLineAndColumnOfAMistake() throws IOException {
    UserInputException e = assertThrows(UserInputException.class, () -> CalibrationCsv.read(
        write(HEADER, "a,gather-warp,1,8,1024,656,128,0.5,0,2,48")));
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("l2_window"),
        e.getMessage());
    e = assertThrows(UserInputException.class, () -> CalibrationCsv.read(
        write(HEADER, "a,gather-vector,1,8,1024,656,128,0.5,0,0,48")));
    assertTrue(e.getMessage().contains("kernel"), e.getMessage());
    e = assertThrows(UserInputException.class, () -> CalibrationCsv.read(
        write("id,kernel,seqs", "a,gather-warp,1")));
    assertTrue(e.getMessage().contains("missing column 'layers'"), e.getMessage());
    e = assertThrows(UserInputException.class, () -> CalibrationCsv.read(
        write(HEADER, "a,gather-warp,1,8,100,656,128,0,0,0,48")));
    assertTrue(e.getMessage().contains("topk"), e.getMessage());
  }
}
