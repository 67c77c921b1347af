package org.dsasim.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.dsasim.core.UserInputException;

/**
 * Reads a small text input file (a table, a spec, a parameter or point list) whole, so that the
 * usual mistakes give a message naming the file and what was expected instead of the JDK's terse
 * one ({@code Is a directory}, a bare path for a missing file, {@code Input length = 1} for bytes
 * that are not UTF-8).
 */
public final class TextFiles {
  private TextFiles() {}

  /**
   * The UTF-8 text of {@code file}, without a leading byte order mark (spreadsheet programs write
   * one); {@code what} names the file in messages ({@code experiments file}).
   */
  public static String read(Path file, String what) {
    if (Files.isDirectory(file)) {
      throw new UserInputException("cannot read " + what + " " + file + ": is a folder, not a file");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UserInputException(what + " " + file + " does not exist");
    } catch (IOException e) {
      throw new UserInputException(
          "cannot read " + what + " " + file + ": " + AtomicFiles.reason(e), e);
    }
    String text = decode(file, what, bytes);
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /**
   * The UTF-8 text of the packaged resource {@code resource} (a path inside the application's
   * jar, such as {@code configs/workloads/paper-fitted.yaml}), or empty when it has none.
   */
  public static Optional<String> resource(String resource) {
    try (InputStream in = TextFiles.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? Optional.empty()
          : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UserInputException(
          "cannot read the packaged " + resource + ": " + AtomicFiles.reason(e), e);
    }
  }

  private static String decode(Path file, String what, byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new UserInputException(String.format(Locale.ROOT,
          "%s: not UTF-8 text: byte %02X at byte offset %d; expected a text %s",
          file, bytes[in.position()] & 0xFF, in.position(), what));
    }
    decoder.flush(out);
    return out.flip().toString();
  }
}
