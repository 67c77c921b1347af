package org.dsasim.core.io;

import java.util.List;

/** CSV output as RFC 4180 has it: comma-separated, quoted where a cell holds a comma, quote or newline. */
public final class Csv {
  private Csv() {}

  /** Appends one row and its line end to {@code sb}. */
  public static void appendRow(StringBuilder sb, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      String c = cells.get(i);
      if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0) {
        sb.append('"').append(c.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(c);
      }
    }
    sb.append('\n');
  }
}
