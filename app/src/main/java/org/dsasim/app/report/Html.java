package org.dsasim.app.report;

import java.util.List;

/**
 * A self-contained HTML page under construction: the style is inline and images are relative
 * links to files next to the page, so the page opens offline and moves with its folder.
 */
final class Html {
  private static final String STYLE = String.join("\n",
      "body{font-family:Helvetica,Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222;"
          + "padding:0 1em}",
      "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ccc}",
      "table{border-collapse:collapse;font-size:.9em;margin:.5em 0}",
      "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}",
      "th{background:#f2f2f2}td.l,th.l{text-align:left}",
      "figure{display:inline-block;margin:.5em;vertical-align:top}",
      "figure img{width:520px;border:1px solid #ddd}figcaption{font-size:.85em;max-width:520px}",
      "pre{background:#f7f7f7;padding:.5em;font-size:.8em;overflow:auto;max-height:30em}",
      ".note{color:#555;font-size:.9em}.failed{color:#b00}");

  private final StringBuilder body = new StringBuilder();
  private final String title;

  Html(String title) {
    this.title = title;
    heading(1, title);
  }

  void heading(int level, String text) {
    body.append("<h").append(level).append('>').append(escape(text)).append("</h").append(level)
        .append(">\n");
  }

  void paragraph(String text, String cssClass) {
    body.append("<p").append(cssClass == null ? "" : " class=\"" + cssClass + "\"").append('>')
        .append(escape(text)).append("</p>\n");
  }

  /**
   * A figure: the PNG {@code base.png} shown, linking to the scalable {@code base.svg};
   * {@code base} is relative to the page.
   */
  void figure(String base, String caption) {
    body.append("<figure><a href=\"").append(escape(base)).append(".svg\"><img src=\"")
        .append(escape(base)).append(".png\" alt=\"").append(escape(caption))
        .append("\"></a><figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
  }

  /** A table; cells that parse as numbers are right-aligned, others left-aligned. */
  void table(List<String> header, List<List<String>> rows) {
    body.append("<table>\n<tr>");
    for (String h : header) {
      body.append("<th class=\"l\">").append(escape(h)).append("</th>");
    }
    body.append("</tr>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      for (String c : row) {
        body.append(isNumber(c) ? "<td>" : "<td class=\"l\">").append(escape(c)).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
  }

  /** A collapsed block of preformatted text. */
  void details(String summary, String text) {
    body.append("<details><summary>").append(escape(summary)).append("</summary><pre>")
        .append(escape(text)).append("</pre></details>\n");
  }

  String document() {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
        + escape(title) + "</title>\n<style>\n" + STYLE + "\n</style>\n</head>\n<body>\n" + body
        + "</body>\n</html>\n";
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty()) {
      return false;
    }
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
