package org.dsasim.app.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** Pretty-printed JSON to a command's output. */
final class Json {
  private Json() {}

  @FunctionalInterface
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  static void write(PrintWriter out, Body body) {
    try {
      JsonGenerator g = new JsonFactory().createGenerator(out);
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.useDefaultPrettyPrinter();
      body.write(g);
      g.flush();
      out.println();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
