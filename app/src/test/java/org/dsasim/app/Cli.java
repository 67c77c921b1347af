package org.dsasim.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process, as a user would type it, capturing what it prints. */
public final class Cli {
  public record Result(int code, String out, String err) {}

  private Cli() {}

  public static synchronized Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args);
      return new Result(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /**
   * Asserts the contract for bad input: exit status 2, one {@code dsasim: } message on stderr
   * containing every one of {@code expected}, and no stack trace anywhere.
   *
   * @return the message
   */
  public static String assertRefused(Result r, String... expected) {
    String all = r.out() + r.err();
    assertEquals(Main.EXIT_USAGE, r.code(), all);
    String message = r.err().strip();
    assertTrue(message.startsWith("dsasim: "), all);
    for (String part : expected) {
      assertTrue(message.contains(part), "expected '" + part + "' in:\n" + message);
    }
    assertFalse(all.contains("\tat ") || all.contains("Exception"), "stack trace:\n" + all);
    return message;
  }
}
