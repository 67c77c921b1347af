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

  private static final int DEFAULT_STEPS = 2;

  @Option(names = "--timeline", paramLabel = "F.json",
      description = "Write a Chrome/Perfetto trace-event file of the first measured decode steps"
          + " (open it in ui.perfetto.dev or chrome://tracing).")
  Path file;

  /** Null when not given, so that a --timeline-steps without --timeline can be refused. */
  @Option(names = "--timeline-steps", paramLabel = "N",
      description = "Decode steps the timeline covers, from the first measured one"
          + " (default: " + DEFAULT_STEPS + ").")
  Integer steps;

  public boolean requested() {
    return file != null;
  }

  /** Refuses --timeline-steps without --timeline, which would otherwise be silently ignored. */
  public void check() {
    if (steps != null && file == null) {
      throw new UserInputException("--timeline-steps needs --timeline F.json (the file to write"
          + " the timeline to)");
    }
  }

  /** A recorder of the window {@code cfg} asks for, or null when no timeline is requested. */
  public TimelineRecorder recorder(Config cfg) {
    if (file == null) {
      return null;
    }
    int window = steps != null ? steps : DEFAULT_STEPS;
    if (window < 1) {
      throw new UserInputException("--timeline-steps: expected at least 1 step, found " + window);
    }
    OutputPaths.checkFile(file, "--timeline");
    int measured = cfg.get(SimKeys.STOP_STEPS);
    return new TimelineRecorder(cfg.get(SimKeys.WARMUP_STEPS), Math.min(window, measured),
        UNITS_PER_TRACK, 0);
  }

  /** Writes what {@code recorder} holds; returns the file. */
  public Path write(TimelineRecorder recorder) {
    recorder.write(file);
    return file;
  }
}
