package org.dsasim.app.report;

import java.nio.file.Path;
import org.dsasim.accel.timeline.TimelineRecorder;
import org.dsasim.app.run.OutputPaths;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Config;
import org.dsasim.core.config.SimKeys;
import picocli.CommandLine.Option;

/** The {@code --timeline} options of {@code dsasim run}: which steps to record, and where. */
public final class TimelineOptions {
  /** Compute units per track (about one graphics processing cluster of a Hopper GPU). */
  static final int UNITS_PER_TRACK = 16;

  @Option(names = "--timeline", paramLabel = "F.json",
      description = "Write a Chrome/Perfetto trace-event file of the first measured decode steps"
          + " (open it in ui.perfetto.dev or chrome://tracing).")
  Path file;

  @Option(names = "--timeline-steps", paramLabel = "N", defaultValue = "2",
      description = "Decode steps the timeline covers, from the first measured one"
          + " (default: ${DEFAULT-VALUE}).")
  int steps;

  public boolean requested() {
    return file != null;
  }

  /** A recorder of the window {@code cfg} asks for, or null when no timeline is requested. */
  public TimelineRecorder recorder(Config cfg) {
    if (file == null) {
      return null;
    }
    if (steps < 1) {
      throw new UserInputException("--timeline-steps: expected at least 1 step, found " + steps);
    }
    OutputPaths.checkFile(file, "--timeline");
    int measured = cfg.get(SimKeys.STOP_STEPS);
    return new TimelineRecorder(cfg.get(SimKeys.WARMUP_STEPS), Math.min(steps, measured),
        UNITS_PER_TRACK, 0);
  }

  /** Writes what {@code recorder} holds; returns the file. */
  public Path write(TimelineRecorder recorder) {
    recorder.write(file);
    return file;
  }
}
