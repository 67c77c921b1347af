package org.dsasim.workloads.npz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes {@code .npz} archives the way NumPy does (version 1.0 {@code .npy} headers padded to 64
 * bytes, entries stored or deflated), so tests can build inputs without Python.
 */
public final class NpzBuilder {
  private final Map<String, byte[]> arrays = new LinkedHashMap<>();

  /** Adds an integer array; {@code values} are in C order and encoded as {@code descr}. */
  public NpzBuilder ints(String name, String descr, long[] shape, long[] values) {
    return raw(name, npy(descr, false, shape, encode(descr, values)));
  }

  /** Adds an int32 array in little-endian C order. */
  public NpzBuilder ints(String name, long[] shape, int[] values) {
    long[] v = new long[values.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = values[i];
    }
    return ints(name, "<i4", shape, v);
  }

  /** Adds an integer scalar (shape {@code ()}) as {@code <i8}, as {@code np.savez(x=5)} does. */
  public NpzBuilder scalar(String name, long value) {
    return ints(name, "<i8", new long[0], new long[] {value});
  }

  /** Adds a unicode scalar ({@code <U n}), as {@code np.savez(model="x")} does. */
  public NpzBuilder unicode(String name, String value) {
    int[] cps = value.codePoints().toArray();
    ByteBuffer b = ByteBuffer.allocate(4 * cps.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int cp : cps) {
      b.putInt(cp);
    }
    return raw(name, npy("<U" + cps.length, false, new long[0], b.array()));
  }

  /** Adds a bytes scalar ({@code |S n}). */
  public NpzBuilder bytes(String name, String value) {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    return raw(name, npy("|S" + b.length, false, new long[0], b));
  }

  /** Adds an array from complete {@code .npy} bytes. */
  public NpzBuilder raw(String name, byte[] npyBytes) {
    arrays.put(name, npyBytes);
    return this;
  }

  public void write(Path file, boolean deflate) throws IOException {
    Files.write(file, toBytes(deflate));
  }

  public byte[] toBytes(boolean deflate) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> a : arrays.entrySet()) {
        ZipEntry e = new ZipEntry(a.getKey() + ".npy");
        byte[] data = a.getValue();
        if (!deflate) {
          CRC32 crc = new CRC32();
          crc.update(data);
          e.setMethod(ZipEntry.STORED);
          e.setSize(data.length);
          e.setCompressedSize(data.length);
          e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** A complete {@code .npy} file with a NumPy-style version 1.0 header. */
  public static byte[] npy(String descr, boolean fortran, long[] shape, byte[] data) {
    return npyWithHeader("{'descr': '" + descr + "', 'fortran_order': "
        + (fortran ? "True" : "False") + ", 'shape': " + NpyHeader.shapeText(shape) + ", }",
        data);
  }

  /** A {@code .npy} file with the given header dict text (padded as NumPy pads it). */
  public static byte[] npyWithHeader(String dict, byte[] data) {
    StringBuilder h = new StringBuilder(dict);
    while ((10 + h.length() + 1) % 64 != 0) {
      h.append(' ');
    }
    h.append('\n');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.write(h.length() & 0xFF);
    out.write(h.length() >>> 8);
    out.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** Encodes integers as the dtype {@code descr} (e.g. {@code <i2}, {@code >u4}, {@code |i1}). */
  public static byte[] encode(String descr, long[] values) {
    ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    int size = Integer.parseInt(descr.substring(2));
    ByteBuffer b = ByteBuffer.allocate(size * values.length).order(order);
    for (long v : values) {
      switch (size) {
        case 1 -> b.put((byte) v);
        case 2 -> b.putShort((short) v);
        case 4 -> b.putInt((int) v);
        case 8 -> b.putLong(v);
        default -> throw new IllegalArgumentException(descr);
      }
    }
    return b.array();
  }
}
