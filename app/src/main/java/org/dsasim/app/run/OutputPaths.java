package org.dsasim.app.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dsasim.core.UserInputException;

/**
 * Checks, before a long simulation starts, that its results can be written where the user asked:
 * a mistake in an output path is reported at once rather than after minutes of simulation. The
 * writes themselves stay atomic ({@link org.dsasim.core.io.AtomicFiles}) and report what this
 * cannot foresee (a disk that fills up).
 */
public final class OutputPaths {
  private OutputPaths() {}

  /**
   * Checks that files can be created in {@code folder} (or in the folders that will be created
   * for it): its nearest existing ancestor must be a folder the process may write to.
   *
   * @param what names the option in the message (e.g. {@code --out})
   */
  public static void checkFolder(Path folder, String what) {
    if (folder.toString().isEmpty()) {
      // an empty path is the working folder: results would land among the user's files
      throw new UserInputException(what + " is empty; give a folder, for example " + what
          + " results/mine (nothing was written)");
    }
    checkFolder(folder, what, folder);
  }

  /** As {@link #checkFolder(Path, String)}, naming {@code given} (what the user wrote). */
  private static void checkFolder(Path folder, String what, Path given) {
    Path abs = folder.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return;
    }
    if (!Files.isDirectory(existing)) {
      throw new UserInputException(what + " " + given + ": cannot write there: " + existing
          + " is a file, not a folder (nothing was written)");
    }
    if (!Files.isWritable(existing)) {
      throw new UserInputException(what + " " + given + ": cannot write there: permission"
          + " denied on " + existing + " (nothing was written)");
    }
  }

  /** Checks that {@code file} can be written: not a folder, in a folder that can be written. */
  public static void checkFile(Path file, String what) {
    if (Files.isDirectory(file)) {
      throw new UserInputException(what + " " + file + ": is a folder; give a file name"
          + " (nothing was written)");
    }
    Path parent = file.toAbsolutePath().normalize().getParent();
    if (parent != null) {
      checkFolder(parent, what, file);
    }
  }
}
