package org.dsasim.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.dsasim.core.UserInputException;

/**
 * Writes result files so that a reader (or a resumed run) sees either the old file or the complete
 * new one, never half of it: the content goes to a temporary file in the same folder, is forced to
 * disk, and is renamed over the target.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Produces a file's content into a stream. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes {@code text} (UTF-8) to {@code target} atomically. */
  public static void writeString(Path target, String text) {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Writes {@code target} atomically. Output folders are created as needed. A failure (read-only
   * folder, disk full) leaves any previous {@code target} untouched, removes the temporary file
   * and is reported as a {@link UserInputException} naming the path.
   */
  public static void write(Path target, Content content) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(ch)) {
        // the content may close the stream it is given; only flush then, so that the channel
        // stays open for the force below
        BufferedOutputStream buffered =
            new BufferedOutputStream(out, 1 << 16) {
              @Override
              public void close() throws IOException {
                flush();
              }
            };
        content.writeTo(buffered);
        buffered.flush();
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new UserInputException(
          "cannot write " + target + ": " + describe(e) + " (nothing was written there)", e);
    } catch (UncheckedIOException e) {
      throw new UserInputException(
          "cannot write " + target + ": " + describe(e.getCause()) + " (nothing was written there)",
          e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // The temporary file is hidden and named after the target; leaving it is harmless.
        }
      }
    }
  }

  private static String describe(IOException e) {
    String msg = e.getMessage();
    String kind = e.getClass().getSimpleName();
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or folder";
    }
    if (msg != null && msg.contains("No space left")) {
      return "no space left on the device";
    }
    return msg == null ? kind : msg;
  }
}
