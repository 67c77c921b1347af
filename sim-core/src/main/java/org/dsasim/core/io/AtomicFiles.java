package org.dsasim.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.dsasim.core.UserInputException;

/**
 * Writes result files so that a reader (or a resumed run) sees either the old file or the complete
 * new one, never half of it: the content goes to a temporary file in the same folder, is forced to
 * disk, and is renamed over the target.
 *
 * <p>Temporary files are named {@code .<target name>.<pid>-<n>.tmp}: hidden, next to their target,
 * and removed when the write fails. A process killed mid-write leaves one behind; readers ignore
 * it (its name never matches a result's) and the next successful write of the same target does
 * not depend on it.
 */
public final class AtomicFiles {
  /** Suffix of every temporary file; results never end with it. */
  public static final String TEMP_SUFFIX = ".tmp";

  private static final AtomicLong TEMP_COUNTER = new AtomicLong();

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
   * and is reported as a {@link UserInputException} naming the path and the reason.
   */
  public static void write(Path target, Content content) {
    write(target, content, UnaryOperator.identity(), true);
  }

  /**
   * As {@link #write(Path, Content)} but without forcing the content to disk before the rename:
   * still all or nothing for readers and across a killed process (the page cache outlives it),
   * but a power failure may leave the target empty or partial. Only for records whose reader
   * detects that and recovers (a sweep's point record: an unreadable one is run again), where a
   * disk flush per record would cost more than the work it records.
   */
  public static void writeUnforced(Path target, Content content) {
    write(target, content, UnaryOperator.identity(), false);
  }

  /**
   * As {@link #write(Path, Content)}, with the file's stream passed through {@code filter} before
   * the content sees it: tests put a stream there that fails as a full disk does.
   */
  static void write(Path target, Content content, UnaryOperator<OutputStream> filter) {
    write(target, content, filter, true);
  }

  private static void write(
      Path target, Content content, UnaryOperator<OutputStream> filter, boolean force) {
    Path tmp = null;
    try {
      tmp = newTempFile(target);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = filter.apply(Channels.newOutputStream(ch))) {
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
        if (force) {
          ch.force(true);
        }
      }
      moveIntoPlace(tmp, target);
      tmp = null;
    } catch (IOException e) {
      throw cannotWrite(target, e);
    } catch (UncheckedIOException e) {
      throw cannotWrite(target, e.getCause());
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Creates the folder of {@code target} if needed and an empty temporary file beside the target,
   * with the permissions an ordinary new file gets (not the owner-only ones of {@link
   * Files#createTempFile}), so that the renamed result is as readable as any other output.
   */
  public static Path newTempFile(Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new FileSystemException(dir.toString(), null, "is a file, not a folder");
    }
    if (Files.isDirectory(abs)) {
      // else the rename at the end fails, with a message naming only the temporary file
      throw new FileSystemException(null, null, "is a folder; give a file name");
    }
    Files.createDirectories(dir);
    String prefix = "." + abs.getFileName() + "." + ProcessHandle.current().pid() + "-";
    while (true) {
      Path tmp = dir.resolve(prefix + TEMP_COUNTER.incrementAndGet() + TEMP_SUFFIX);
      try {
        return Files.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        // left by an earlier process with the same id; take the next number
      }
    }
  }

  /** Renames a complete temporary file over {@code target}, atomically where supported. */
  public static void moveIntoPlace(Path tmp, Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    try {
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Removes a temporary file after a failure; a failure to remove it is not reported. */
  public static void deleteQuietly(Path tmp) {
    if (tmp != null) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // The temporary file is hidden and named after the target; leaving it is harmless.
      }
    }
  }

  /** The error reported when {@code target} could not be written because of {@code e}. */
  public static UserInputException cannotWrite(Path target, IOException e) {
    return new UserInputException(
        "cannot write " + target + ": " + reason(e) + " (nothing was written there)", e);
  }

  /** Why an I/O operation failed, in words, naming the file or folder involved if not the target. */
  public static String reason(IOException e) {
    String text = e.getMessage() == null ? "" : e.getMessage();
    if (text.contains("No space left") || text.contains("Disk quota exceeded")) {
      return "no space left on the device";
    }
    if (e instanceof AccessDeniedException a) {
      return "permission denied" + (a.getFile() == null ? "" : " on " + a.getFile());
    }
    if (e instanceof NoSuchFileException n) {
      return "no such file or folder" + (n.getFile() == null ? "" : ": " + n.getFile());
    }
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + " is in the way (a file where a folder is needed)";
    }
    if (e instanceof FileSystemException f) {
      String why = f.getReason() == null ? "input/output error" : f.getReason();
      return f.getFile() == null ? why : f.getFile() + ": " + why;
    }
    return text.isEmpty() ? "input/output error" : text;
  }
}
