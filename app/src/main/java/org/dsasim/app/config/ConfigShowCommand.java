package org.dsasim.app.config;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.dsasim.app.ConfigOptions;
import org.dsasim.core.config.Config;
import org.dsasim.core.config.ConfigKey;
import org.dsasim.core.config.Origin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dsasim config show}: every key of the resolved configuration and where it came from. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Print every key of the fully resolved configuration: its value in units, where the value"
          + " came from (default, preset file:line, user file:line or --set) and its meaning.",
      "The configuration is checked exactly as a run would check it."
    })
public final class ConfigShowCommand implements Runnable {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public void run() {
    Config cfg = config.load();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.write(out, g -> writeJson(g, cfg));
    } else {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"KEY", "VALUE", "SOURCE", "MEANING"});
      for (Config.Entry e : cfg.entries()) {
        rows.add(
            new String[] {
              e.key().name(),
              e.hasValue() ? e.text() : "(unset)",
              e.origin().shortForm(),
              e.key().meaning()
            });
      }
      Table.print(out, rows);
    }
    out.flush();
  }

  private static void writeJson(JsonGenerator g, Config cfg) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("keys");
    for (Config.Entry e : cfg.entries()) {
      ConfigKey<?> k = e.key();
      Origin o = e.origin();
      g.writeStartObject();
      g.writeStringField("key", k.name());
      if (e.hasValue()) {
        g.writeStringField("value", e.text());
      } else {
        g.writeNullField("value");
      }
      g.writeStringField("type", k.type().name());
      g.writeStringField("unit", k.type().unit());
      g.writeObjectFieldStart("source");
      g.writeStringField("kind", o.kind().name().toLowerCase(java.util.Locale.ROOT));
      if (o.kind() == Origin.Kind.DEFAULT) {
        g.writeNullField("file");
      } else {
        g.writeStringField("file", o.file());
      }
      if (o.line() > 0) {
        g.writeNumberField("line", o.line());
      } else {
        g.writeNullField("line");
      }
      g.writeEndObject();
      g.writeStringField("allowed", k.allowed());
      g.writeStringField("meaning", k.meaning());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
