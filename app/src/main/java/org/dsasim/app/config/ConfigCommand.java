package org.dsasim.app.config;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dsasim config}: inspect the configuration. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Show the resolved configuration or list every configuration key.",
    subcommands = {ConfigShowCommand.class, ConfigKeysCommand.class})
public final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
