package org.dsasim.core.config;

/**
 * Where a configuration value came from: a declaration's default, a line of a preset or user file,
 * or a command-line override.
 *
 * @param kind which layer set the value
 * @param file the file as shown to the user ({@code configs/hardware/h200.yaml}, {@code my.yaml}),
 *     or for {@link Kind#OVERRIDE} what set it ({@code --set on the command line})
 * @param line 1-based line in {@code file}, or 0 where there is no line
 */
public record Origin(Kind kind, String file, int line) {
  /** The layers, lowest precedence first. */
  public enum Kind {
    DEFAULT,
    PRESET,
    USER_FILE,
    OVERRIDE
  }

  /** The origin of every declared default. */
  public static final Origin DEFAULT = new Origin(Kind.DEFAULT, "", 0);

  /** The origin of a {@code --set key=value} option. */
  public static final Origin COMMAND_LINE =
      new Origin(Kind.OVERRIDE, "--set on the command line", 0);

  static Origin inFile(Kind kind, String file, int line) {
    return new Origin(kind, file, line);
  }

  /**
   * For messages: {@code my.yaml line 3}, {@code preset configs/hardware/h200.yaml line 4}, {@code
   * --set on the command line}, {@code the default}.
   */
  public String describe() {
    return switch (kind) {
      case DEFAULT -> "the default";
      case PRESET -> "preset " + file + (line > 0 ? " line " + line : "");
      case USER_FILE -> file + (line > 0 ? " line " + line : "");
      case OVERRIDE -> file;
    };
  }

  /**
   * For listings: {@code default}, {@code preset configs/hardware/h200.yaml:4}, {@code my.yaml:3},
   * {@code --set}.
   */
  public String shortForm() {
    return switch (kind) {
      case DEFAULT -> "default";
      case PRESET -> "preset " + file + ":" + line;
      case USER_FILE -> file + ":" + line;
      case OVERRIDE -> this.equals(COMMAND_LINE) ? "--set" : file;
    };
  }

  @Override
  public String toString() {
    return describe();
  }
}
