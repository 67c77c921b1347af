package org.dsasim.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dsasim run}: simulate decode steps on a hardware configuration. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Simulate DSA decode steps on a hardware configuration.")
public final class RunCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().getOut().println("dsasim run: the decode-step simulation is not built yet.");
  }
}
