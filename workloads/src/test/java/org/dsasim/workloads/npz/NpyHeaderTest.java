package org.dsasim.workloads.npz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.dsasim.core.UserInputException;
import org.junit.jupiter.api.Test;

class NpyHeaderTest {
  private static NpyHeader parse(byte[] npy) throws IOException {
    return NpyHeader.read(new ByteArrayInputStream(npy), "x.npz: array 'a'");
  }

  @Test
  void numpyStyleVersionOneHeader() throws IOException {
    byte[] npy = NpzBuilder.npy("<i2", false, new long[] {512, 8, 256}, new byte[0]);
    assertEquals(0, npy.length % 64, "NumPy pads the header to 64 bytes");
    NpyHeader h = parse(npy);
    assertEquals(new NpyDtype("<i2", 'i', 2, ByteOrder.LITTLE_ENDIAN), h.dtype());
    assertFalse(h.fortranOrder());
    assertArrayEquals(new long[] {512, 8, 256}, h.shape());
    assertEquals(npy.length, h.headerBytes());
    assertEquals(512L * 8 * 256, h.elements());
    assertEquals("(512, 8, 256)", h.shapeText());
  }

  @Test
  void scalarsOneDimensionalShapesKeyOrderAndQuotes() throws IOException {
    NpyHeader h = parse(NpzBuilder.npyWithHeader(
        "{\"shape\": (), 'fortran_order': True, 'descr': '>U7'}", new byte[0]));
    assertEquals(0, h.rank());
    assertEquals(1, h.elements());
    assertEquals(new NpyDtype(">U7", 'U', 28, ByteOrder.BIG_ENDIAN), h.dtype());
    assertTrue(h.fortranOrder());
    h = parse(NpzBuilder.npyWithHeader(
        "{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }", new byte[0]));
    assertEquals("(5,)", h.shapeText());
    h = parse(NpzBuilder.npyWithHeader(
        "{'descr': '<i8', 'fortran_order': False, 'shape': (3L, 4L), }", new byte[0]));
    assertArrayEquals(new long[] {3, 4}, h.shape());
  }

  @Test
  void versionTwoHeaderHasAFourByteLength() throws IOException {
    String dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }\n";
    byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
    byte[] npy = new byte[12 + text.length];
    System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}, 0, npy, 0, 8);
    npy[8] = (byte) text.length;
    System.arraycopy(text, 0, npy, 12, text.length);
    NpyHeader h = parse(npy);
    assertArrayEquals(new long[] {2, 3}, h.shape());
    assertEquals(npy.length, h.headerBytes());
  }

  @Test
  void badHeaders() {
    byte[] v9 = NpzBuilder.npy("<i4", false, new long[] {1}, new byte[0]);
    v9[6] = 9;
    assertEquals("x.npz: array 'a': unsupported .npy format version 9.0 (expected 1.0, 2.0 or"
        + " 3.0)", assertThrows(UserInputException.class, () -> parse(v9)).getMessage());
    assertTrue(assertThrows(UserInputException.class, () -> parse(NpzBuilder.npyWithHeader(
        "{'descr': '<i4', 'fortran_order': False, 'shape': (-1,), }", new byte[0])))
        .getMessage().contains("bad dimension -1"));
    assertTrue(assertThrows(UserInputException.class, () -> parse(NpzBuilder.npyWithHeader(
        "{'descr': '<i4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }",
        new byte[0]))).getMessage().contains("is too large"));
    assertTrue(assertThrows(UserInputException.class, () -> parse(NpzBuilder.npyWithHeader(
        "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new byte[0])))
        .getMessage().contains("unsupported dtype '<c16'"));
    byte[] cut = NpzBuilder.npy("<i4", false, new long[] {1}, new byte[0]);
    assertTrue(assertThrows(UserInputException.class, () -> parse(
        java.util.Arrays.copyOf(cut, 30))).getMessage().contains("header truncated"));
  }
}
