package org.dsasim.app.config;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.dsasim.core.config.ConfigKey;
import org.dsasim.core.config.ConfigSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dsasim config keys}: every declared key with its type, default and allowed values. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "List every configuration key: type, default, allowed values and meaning.")
public final class ConfigKeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public void run() {
    ConfigSchema schema = ConfigSchema.discover();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.write(
          out,
          g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("keys");
            for (ConfigKey<?> k : schema.keys()) {
              g.writeStartObject();
              g.writeStringField("key", k.name());
              g.writeStringField("type", k.type().name());
              g.writeStringField("unit", k.type().unit());
              if (k.defaultText().isPresent()) {
                g.writeStringField("default", k.defaultText().get());
              } else {
                g.writeNullField("default");
              }
              g.writeStringField("allowed", k.allowed());
              g.writeBooleanField("preset", k.isPreset());
              g.writeStringField("meaning", k.meaning());
              g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
          });
    } else {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"KEY", "TYPE", "DEFAULT", "ALLOWED", "MEANING"});
      for (ConfigKey<?> k : schema.keys()) {
        rows.add(
            new String[] {
              k.name(), k.type().name(), k.defaultText().orElse("(unset)"), k.allowed(), k.meaning()
            });
      }
      Table.print(out, rows);
    }
    out.flush();
  }
}
