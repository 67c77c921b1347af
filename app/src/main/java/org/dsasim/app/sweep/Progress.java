package org.dsasim.app.sweep;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reports sweep progress: a bar redrawn in place on a terminal, plain log lines otherwise (CI
 * logs, batch jobs). Thread-safe: workers report as they finish.
 */
public final class Progress {
  private final PrintWriter out;
  private final boolean terminal;
  private int total;
  private int done;
  private int failed;
  private int startDone;
  private long startNanos;

  public Progress(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  public Progress(PrintStream out, boolean terminal) {
    this(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true), terminal);
  }

  /** A reporter that prints nothing (library use, tests). */
  public static Progress silent() {
    return new Progress(new PrintStream(java.io.OutputStream.nullOutputStream()), false);
  }

  public synchronized void start(int totalPoints, int alreadyDone) {
    total = totalPoints;
    done = alreadyDone;
    startDone = alreadyDone;
    startNanos = System.nanoTime();
    if (alreadyDone > 0) {
      out.printf("resuming: %d of %d points already done%n", alreadyDone, totalPoints);
    }
    if (terminal) {
      draw();
    }
    out.flush();
  }

  public synchronized void pointDone(SweepPoint p, boolean ok, double seconds, String error) {
    done++;
    if (!ok) {
      failed++;
    }
    if (terminal) {
      if (!ok) {
        out.printf("\r\033[K%s failed: %s%n", p.id(), error);
      }
      draw();
    } else {
      out.printf(Locale.ROOT, "[%d/%d] %s %s in %.1fs%s%s%n", done, total, p.id(),
          ok ? "done" : "FAILED", seconds, ok ? "" : ": " + error, eta());
      out.flush();
    }
  }

  public synchronized void finish() {
    if (terminal) {
      out.print("\r\033[K");
    }
    out.printf("%d points, %d failed%n", total, failed);
    out.flush();
  }

  private void draw() {
    int width = 30;
    int filled = total == 0 ? width : done * width / total;
    out.printf(Locale.ROOT, "\r[%s%s] %d/%d points%s", "#".repeat(filled), " ".repeat(width - filled),
        done, total, eta());
    out.flush();
  }

  private String eta() {
    int ran = done - startDone;
    if (ran == 0 || done >= total) {
      return "";
    }
    double perPoint = (System.nanoTime() - startNanos) / 1e9 / ran;
    long seconds = Math.round(perPoint * (total - done));
    return String.format(Locale.ROOT, ", ETA %dm%02ds", seconds / 60, seconds % 60);
  }
}
