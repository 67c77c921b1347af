package org.dsasim.workloads.npz;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.dsasim.core.UserInputException;

/**
 * A NumPy {@code .npz} archive: a zip file of {@code NAME.npy} entries, stored or deflated (as
 * {@code np.savez} and {@code np.savez_compressed} write them; ZIP64 included). Arrays are read
 * as streams, one buffer each, so archives larger than memory can be read.
 */
public final class NpzArchive implements Closeable {
  static final int MAX_SCALAR_BYTES = 1 << 20;
  /** Deflate's largest expansion (uncompressed over compressed bytes), with a margin. */
  static final long MAX_DEFLATE_RATIO = 1100;

  private final String file;
  private final ZipFile zip;
  private final Map<String, ZipEntry> entries = new LinkedHashMap<>();

  private NpzArchive(String file, ZipFile zip) {
    this.file = file;
    this.zip = zip;
    for (ZipEntry e : Collections.list(zip.entries())) {
      if (!e.isDirectory() && e.getName().endsWith(".npy")) {
        entries.put(e.getName().substring(0, e.getName().length() - 4), e);
      }
    }
  }

  /**
   * Opens an archive.
   *
   * @throws UserInputException if the file is missing or not a readable zip archive
   */
  public static NpzArchive open(Path path) {
    String name = path.toString();
    if (!Files.exists(path)) {
      throw new UserInputException("cannot read " + name + ": no such file");
    }
    try {
      ZipFile zip = new ZipFile(path.toFile());
      try {
        return new NpzArchive(name, zip);
      } catch (IllegalArgumentException e) {
        // java.util.zip decodes entry names while listing them and throws this for bad UTF-8
        zip.close();
        throw new UserInputException(name + ": not a valid .npz (zip) archive: an entry name in"
            + " its directory is not valid UTF-8; the archive is corrupt");
      }
    } catch (ZipException e) {
      throw new UserInputException(name + ": not a valid .npz (zip) archive: " + e.getMessage()
          + " (a zip file ends with a directory of its entries; a file cut short loses it)");
    } catch (NoSuchFileException e) {
      throw new UserInputException("cannot read " + name + ": no such file");
    } catch (IOException e) {
      throw new UserInputException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /** The file name as given, for messages. */
  public String file() {
    return file;
  }

  /** Names of the arrays (entries {@code NAME.npy}) in archive order. */
  public List<String> arrayNames() {
    return new ArrayList<>(entries.keySet());
  }

  public boolean has(String name) {
    return entries.containsKey(name);
  }

  /**
   * Opens an array for reading: its header is parsed and checked against the entry's size (so a
   * truncated array is reported now, not half way through).
   *
   * @throws UserInputException if the array is missing or its header is malformed
   */
  public NpyArray open(String name) throws IOException {
    ZipEntry e = entries.get(name);
    String where = file + ": array '" + name + "'";
    if (e == null) {
      throw new UserInputException(where + " is missing; the archive has: "
          + String.join(", ", entries.keySet()));
    }
    CheckedInputStream in;
    try {
      in = NpyArray.checked(zip.getInputStream(e));
    } catch (ZipException ex) {
      throw new UserInputException(where + ": unreadable zip entry: " + ex.getMessage());
    }
    try {
      NpyHeader h = NpyHeader.read(in, where);
      long needed = h.headerBytes() + h.elements() * h.dtype().itemSize();
      if (e.getSize() >= 0 && e.getSize() != needed) {
        throw new UserInputException(where + ": entry holds " + e.getSize() + " bytes, but its"
            + " header (dtype '" + h.dtype().descr() + "', shape " + h.shapeText() + ") needs "
            + needed + "; the array is " + (e.getSize() < needed ? "truncated" : "malformed"));
      }
      long compressed = e.getCompressedSize();
      if (e.getMethod() == ZipEntry.DEFLATED && compressed >= 0
          && needed > compressed * MAX_DEFLATE_RATIO) {
        // checked before readers size buffers from the header: a small archive must not make
        // us allocate what it cannot contain
        throw new UserInputException(where + ": header (dtype '" + h.dtype().descr()
            + "', shape " + h.shapeText() + ") needs " + needed + " bytes, but the entry has only "
            + compressed + " compressed bytes (deflate expands at most " + MAX_DEFLATE_RATIO
            + ":1); the archive is corrupt");
      }
      return new NpyArray(name, where, h, in, e.getCrc());
    } catch (ZipException ex) {
      in.close();
      throw new UserInputException(where + ": corrupt zip data: " + ex.getMessage());
    } catch (IOException | RuntimeException ex) {
      in.close();
      throw ex;
    }
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }
}
