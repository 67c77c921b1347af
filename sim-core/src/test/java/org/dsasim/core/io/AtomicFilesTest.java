package org.dsasim.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.dsasim.core.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A failed write (disk full at any byte, permission denied, a file in the way, a failing producer)
 * is reported with the path and the reason, leaves the previous version of the file intact and
 * leaves no temporary file.
 */
class AtomicFilesTest {
  @TempDir Path dir;

  /** A stream that accepts {@code capacity} bytes and then fails as a full disk does. */
  static final class FullDisk extends FilterOutputStream {
    private long left;

    FullDisk(OutputStream out, long capacity) {
      super(out);
      this.left = capacity;
    }

    @Override
    public void write(int b) throws IOException {
      if (left-- <= 0) {
        throw new IOException("No space left on device");
      }
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      for (int i = 0; i < len; i++) {
        write(b[off + i]);
      }
    }
  }

  private static final String OLD = "the previous complete result\n";

  private Path previousVersion() throws IOException {
    Path target = dir.resolve("result.csv");
    AtomicFiles.writeString(target, OLD);
    return target;
  }

  private static String bigContent() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      sb.append(i).append(",row ").append(i).append('\n');
    }
    return sb.toString();
  }

  private void assertNothingChanged(Path target) throws IOException {
    assertEquals(OLD, Files.readString(target), "the previous version was damaged");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(target), files.toList(), "temporary files were left");
    }
  }

  /** The disk fills up at the start, inside the buffer, at a buffer boundary and near the end. */
  @ParameterizedTest(name = "full after {0} bytes")
  @ValueSource(longs = {0, 1, 4095, 65_536, 65_537, 200_000})
  void diskFullKeepsThePreviousVersion(long capacity) throws IOException {
    Path target = previousVersion();
    String content = bigContent();
    assertTrue(content.length() > capacity);
    UserInputException e = assertThrows(UserInputException.class,
        () -> AtomicFiles.write(target,
            out -> out.write(content.getBytes(StandardCharsets.UTF_8)),
            out -> new FullDisk(out, capacity)));
    assertTrue(e.getMessage().contains("cannot write " + target), e.getMessage());
    assertTrue(e.getMessage().contains("no space left on the device"), e.getMessage());
    assertNothingChanged(target);
  }

  @Test
  void aWriteThatFitsReplacesTheFile() throws IOException {
    Path target = previousVersion();
    String content = bigContent();
    AtomicFiles.write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)),
        out -> new FullDisk(out, content.length()));
    assertEquals(content, Files.readString(target));
  }

  @Test
  void anUnforcedWriteReplacesTheFileOrKeepsThePreviousVersion() throws IOException {
    Path target = previousVersion();
    assertThrows(UserInputException.class, () -> AtomicFiles.writeUnforced(target, out -> {
      out.write("half of a new".getBytes(StandardCharsets.UTF_8));
      throw new IOException("No space left on device");
    }));
    assertNothingChanged(target);
    String content = bigContent();
    AtomicFiles.writeUnforced(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    assertEquals(content, Files.readString(target));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(target), files.toList(), "temporary files were left");
    }
  }

  @Test
  void aFailingProducerKeepsThePreviousVersion() throws IOException {
    Path target = previousVersion();
    UserInputException e = assertThrows(UserInputException.class,
        () -> AtomicFiles.write(target, out -> {
          out.write("half a ro".getBytes(StandardCharsets.UTF_8));
          throw new UncheckedIOException(new IOException("No space left on device"));
        }));
    assertTrue(e.getMessage().contains("no space left on the device"), e.getMessage());
    assertNothingChanged(target);
  }

  @Test
  void aFileInTheWayOfTheFolderIsNamed() throws IOException {
    Path blocker = dir.resolve("results");
    Files.writeString(blocker, "not a folder");
    Path target = blocker.resolve("summary.json");
    UserInputException e = assertThrows(UserInputException.class,
        () -> AtomicFiles.writeString(target, "{}"));
    assertTrue(e.getMessage().contains("cannot write " + target), e.getMessage());
    assertTrue(e.getMessage().contains(blocker + ": is a file, not a folder"), e.getMessage());
    assertEquals("not a folder", Files.readString(blocker));
  }

  @Test
  void aFolderAtTheTargetIsNamedNotTheTemporaryFile() throws IOException {
    Path target = dir.resolve("report.txt");
    Files.createDirectories(target);
    UserInputException e = assertThrows(UserInputException.class,
        () -> AtomicFiles.writeString(target, "text"));
    assertEquals("cannot write " + target + ": is a folder; give a file name (nothing was written"
        + " there)", e.getMessage());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(target), files.toList(), "a temporary file was left");
    }
  }

  @Test
  void aReadOnlyFolderIsReportedAndKeepsThePreviousVersion() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path target = previousVersion();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      // the superuser writes anyway; the check is meaningful only for ordinary users
      assumeTrue(!Files.isWritable(dir), "running as a user who may write anywhere");
      UserInputException e = assertThrows(UserInputException.class,
          () -> AtomicFiles.writeString(target, "new"));
      assertTrue(e.getMessage().contains("cannot write " + target), e.getMessage());
      assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
    } finally {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    assertNothingChanged(target);
  }

  /** Results are as readable as any new file, not owner-only like a temporary file. */
  @Test
  void resultsGetOrdinaryPermissions() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path ordinary = Files.createFile(dir.resolve("ordinary"));
    Path target = dir.resolve("result.json");
    AtomicFiles.writeString(target, "{}");
    Set<PosixFilePermission> expected = Files.getPosixFilePermissions(ordinary);
    assertEquals(expected, Files.getPosixFilePermissions(target));
  }

  @Test
  void temporaryFilesAreHiddenBesideTheTargetAndNeverClash() throws IOException {
    Path target = dir.resolve("a.csv");
    Path first = AtomicFiles.newTempFile(target);
    Path second = AtomicFiles.newTempFile(target);
    assertFalse(first.equals(second));
    for (Path tmp : List.of(first, second)) {
      assertEquals(dir, tmp.getParent());
      assertTrue(tmp.getFileName().toString().startsWith(".a.csv."), tmp.toString());
      assertTrue(tmp.getFileName().toString().endsWith(AtomicFiles.TEMP_SUFFIX), tmp.toString());
    }
  }
}
