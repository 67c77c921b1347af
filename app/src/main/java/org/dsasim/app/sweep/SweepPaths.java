package org.dsasim.app.sweep;

import java.nio.file.Path;
import org.dsasim.core.UserInputException;

/**
 * Output paths built from names that come from outside the program (a spec's name, point ids
 * read back from a manifest or a points file): each name must be one plain path segment, so
 * nothing a spec or a manifest says can write outside the sweep's output folder.
 */
final class SweepPaths {
  private SweepPaths() {}

  /**
   * {@code parent/name}, refusing a {@code name} that is empty, absolute, {@code .} or {@code ..},
   * or that holds a separator.
   *
   * @param what names the origin of {@code name} in the message (e.g. "point id in sweep.json")
   */
  static Path child(Path parent, String name, String what) {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")
        || name.contains("\\") || name.indexOf('\0') >= 0 || Path.of(name).isAbsolute()) {
      throw new UserInputException(what + ": '" + name + "' is not a plain file name (no '/',"
          + " '\\\\', '..' or absolute paths); it would leave the output folder " + parent);
    }
    Path child = parent.resolve(name);
    if (!child.normalize().startsWith(parent.normalize())) {
      throw new UserInputException(what + ": '" + name + "' leaves the output folder " + parent);
    }
    return child;
  }
}
