package org.dsasim.workloads.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import org.dsasim.core.UserInputException;
import org.dsasim.workloads.npz.NpzTraceSource;

/** Opens and creates trace files; the one entry point for code that reads or writes traces. */
public final class Traces {
  private Traces() {}

  /** The trace file formats this build reads. */
  public enum Format {
    /** dsasim's own compressed binary format ({@code docs/trace-format.md}); also written. */
    DSAT,
    /** A NumPy {@code .npz} archive in one of the layouts of {@code docs/trace-format.md}. */
    NPZ
  }

  /**
   * Largest layers x sequences x top-k a trace may have: one step's worst-case {@code .dsat}
   * encoding (5 bytes per varint) plus a block then stays below 2 GiB and fits a Java array.
   * DeepSeek-V3.2 with 61 layers, 64 sequences and top-2048 needs 8 M.
   */
  public static final long MAX_SLOTS_PER_STEP = 1L << 27;

  private static final byte[] ZIP_LOCAL_HEADER = {'P', 'K', 3, 4};
  private static final byte[] ZIP_EMPTY_ARCHIVE = {'P', 'K', 5, 6};

  /**
   * Opens a {@code .dsat} trace or a NumPy {@code .npz} archive, recognised by content (and by
   * the extension when the content is not recognisable, for a precise error message).
   *
   * @throws UserInputException if the file is missing, unreadable, of neither format, or
   *     malformed; the message names the file and where the problem is
   */
  public static TraceSource open(Path file) {
    return open(file, TraceOverrides.NONE);
  }

  /** As {@link #open(Path)}, with header values and a top-k cut supplied by the user. */
  public static TraceSource open(Path file, TraceOverrides overrides) {
    try {
      return switch (formatOf(file)) {
        case DSAT -> OverriddenTraceSource.wrap(DsatReader.open(file), overrides, file.toString());
        case NPZ -> NpzTraceSource.open(file, overrides);
      };
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
  }

  /**
   * Starts writing a {@code .dsat} trace; it appears at {@code file} when the sink is closed
   * (see {@link DsatWriter}). If {@code header.steps()} is a count rather than -1, exactly that
   * many steps must be written.
   *
   * @throws UserInputException if the file cannot be created
   */
  public static TraceSink create(Path file, TraceHeader header) {
    return DsatWriter.create(file, header);
  }

  /**
   * Copies every remaining step of {@code from} into {@code to}, one step in memory at a time.
   * Neither is closed.
   *
   * @return the number of steps copied
   */
  public static long copy(TraceSource from, TraceSink to) throws IOException {
    StepSelection step = StepSelection.forHeader(from.header());
    long n = 0;
    while (from.next(step)) {
      to.write(step);
      n++;
    }
    return n;
  }

  /** Which format {@code file} is in, from its first bytes, else from its extension. */
  public static Format formatOf(Path file) {
    byte[] head = new byte[DsatFormat.MAGIC.length];
    int n;
    try (FileChannel ch = openChannel(file)) {
      ByteBuffer buf = ByteBuffer.wrap(head);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // Reads until the buffer is full or the file ends.
      }
      n = buf.position();
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
    if (n == DsatFormat.MAGIC.length && Arrays.equals(head, DsatFormat.MAGIC)) {
      return Format.DSAT;
    }
    if (n >= 4 && (Arrays.equals(head, 0, 4, ZIP_LOCAL_HEADER, 0, 4)
        || Arrays.equals(head, 0, 4, ZIP_EMPTY_ARCHIVE, 0, 4))) {
      return Format.NPZ;
    }
    String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (lower.endsWith(".npz")) {
      return Format.NPZ;
    }
    if (lower.endsWith(".dsat")) {
      return Format.DSAT;
    }
    throw new UserInputException(file + ": not a trace: expected a .dsat trace (starting with the"
        + " bytes " + DsatFormat.hex(DsatFormat.MAGIC, 0, 8) + ") or a NumPy .npz archive (a zip,"
        + " starting with 50 4B 03 04), found "
        + (n == 0 ? "an empty file" : "the bytes " + DsatFormat.hex(head, 0, n)));
  }

  /** Opens {@code file} for reading; a missing or unreadable file is the user's to fix. */
  static FileChannel openChannel(Path file) {
    if (Files.isDirectory(file)) {
      throw new UserInputException(file + ": is a folder, expected a trace file");
    }
    try {
      return FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
  }

  private static UserInputException cannotRead(Path file, IOException e) {
    String why;
    if (e instanceof NoSuchFileException) {
      why = "no such file";
    } else if (e instanceof AccessDeniedException) {
      why = "permission denied";
    } else {
      why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return new UserInputException("cannot read " + file + ": " + why, e);
  }
}
