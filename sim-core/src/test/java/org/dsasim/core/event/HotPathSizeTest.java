package org.dsasim.core.event;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JIT compiler (C2) inlines a hot method into its caller only while the method's bytecode is
 * shorter than {@code FreqInlineSize}, 325 bytes. When the bucket opening grew past it, the
 * dispatch loop called it instead, and a queue of 10 events ran about a quarter slower (see
 * BENCHMARKS.md, thirteenth session), with no test failing. This test reads the queue's class file
 * and keeps its per-event and per-bucket paths under that size, with a margin.
 */
class HotPathSizeTest {
  private static final int FREQ_INLINE_SIZE = 325;
  private static final int MARGIN = 25;

  @Test
  void theQueuesHotPathsStayShortEnoughToBeInlined() throws IOException {
    Map<String, Integer> sizes = bytecodeSizes(EventQueue.class);
    for (String method : new String[] {
        "open", "pollFast", "pollSlow", "refill", "place", "addWithKeyBase", "add", "vacate"}) {
      Integer size = sizes.get(method);
      assertTrue(size != null, "no method " + method + " in " + sizes.keySet());
      assertTrue(size <= FREQ_INLINE_SIZE - MARGIN, "EventQueue." + method + " has " + size
          + " bytes of bytecode; C2 inlines hot methods below " + FREQ_INLINE_SIZE
          + ": move rare work into a method of its own");
    }
  }

  /** Code length of each method (the longest, for overloads) in a class file. */
  private static Map<String, Integer> bytecodeSizes(Class<?> type) throws IOException {
    String resource = type.getSimpleName() + ".class";
    try (InputStream raw = type.getResourceAsStream(resource)) {
      DataInputStream in = new DataInputStream(raw);
      in.readInt(); // magic
      in.readUnsignedShort(); // minor version
      in.readUnsignedShort(); // major version
      int poolSize = in.readUnsignedShort();
      String[] utf8 = new String[poolSize];
      for (int i = 1; i < poolSize; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
          case 15 -> in.skipNBytes(3);
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
          case 5, 6 -> {
            in.skipNBytes(8);
            i++; // longs and doubles take two entries
          }
          default -> throw new IOException("constant pool tag " + tag + " in " + resource);
        }
      }
      in.skipNBytes(6); // access flags, this class, super class
      in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
      int fields = in.readUnsignedShort();
      for (int f = 0; f < fields; f++) {
        in.skipNBytes(6);
        skipAttributes(in);
      }
      Map<String, Integer> sizes = new HashMap<>();
      int methods = in.readUnsignedShort();
      for (int m = 0; m < methods; m++) {
        in.skipNBytes(2);
        String name = utf8[in.readUnsignedShort()];
        in.skipNBytes(2);
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
          String attribute = utf8[in.readUnsignedShort()];
          int length = in.readInt();
          if (attribute.equals("Code")) {
            in.skipNBytes(4); // max stack, max locals
            int codeLength = in.readInt();
            sizes.merge(name, codeLength, Math::max);
            in.skipNBytes(length - 8L);
          } else {
            in.skipNBytes(length);
          }
        }
      }
      return sizes;
    }
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      in.skipNBytes(2);
      in.skipNBytes(in.readInt());
    }
  }
}
