package org.dsasim.core.timeline;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsasim.core.io.AtomicFiles;

/**
 * Records what happened during a bounded window of simulated time as a Chrome / Perfetto
 * trace-event file ({@code chrome://tracing}, ui.perfetto.dev): named tracks grouped under
 * processes (compute-unit groups, LLC slices, HBM channels), slices for phases and kernels, and
 * counters (bandwidth, hit rate).
 *
 * <p>Only events that overlap the window are kept, so a long run costs nothing outside it; a
 * disabled timeline ({@link #disabled()}) ignores every call, which lets components call it
 * unconditionally (the check is one field read).
 */
public final class Timeline {
  private final long windowStart;
  private final long windowEnd;
  private final boolean enabled;
  private final Map<String, Integer> processIds = new LinkedHashMap<>();
  private final Map<String, int[]> trackIds = new LinkedHashMap<>();
  private final List<Event> events = new ArrayList<>();

  private record Event(char phase, String name, String category, int pid, int tid, long start,
      long duration, double value) {}

  private Timeline(long windowStart, long windowEnd, boolean enabled) {
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
    this.enabled = enabled;
  }

  /** Records events overlapping [startPs, endPs]. */
  public static Timeline window(long startPs, long endPs) {
    if (endPs < startPs || startPs < 0) {
      throw new IllegalArgumentException("timeline window [" + startPs + ", " + endPs + "] ps");
    }
    return new Timeline(startPs, endPs, true);
  }

  /** A timeline that records nothing. */
  public static Timeline disabled() {
    return new Timeline(0, -1, false);
  }

  public boolean enabled() {
    return enabled;
  }

  /** Whether anything at time {@code ps} would be kept (to skip building names outside it). */
  public boolean covers(long ps) {
    return enabled && ps >= windowStart && ps <= windowEnd;
  }

  /** A track id for (group, track), e.g. ("hbm", "channel 3"); created on first use. */
  public int track(String group, String trackName) {
    Integer pid = processIds.computeIfAbsent(group, g -> processIds.size() + 1);
    int[] ids = trackIds.computeIfAbsent(group + "\u0000" + trackName,
        k -> new int[] {pid, (int) trackIds.keySet().stream()
            .filter(x -> x.startsWith(group + "\u0000")).count() + 1});
    return (ids[0] << 16) | ids[1];
  }

  /** A slice [start, end) on a track, clipped to the window. */
  public void slice(int track, String name, String category, long startPs, long endPs) {
    if (!enabled || endPs < windowStart || startPs > windowEnd) {
      return;
    }
    long s = Math.max(startPs, windowStart);
    long e = Math.min(endPs, windowEnd);
    events.add(new Event('X', name, category, track >>> 16, track & 0xffff, s, e - s, 0));
  }

  /** A counter sample on a group (shown as a graph track named {@code name}). */
  public void counter(String group, String name, long atPs, double value) {
    if (!covers(atPs)) {
      return;
    }
    int pid = processIds.computeIfAbsent(group, g -> processIds.size() + 1);
    events.add(new Event('C', name, "counter", pid, 0, atPs, 0, value));
  }

  public int size() {
    return events.size();
  }

  /** Writes the trace-event JSON atomically; times are in microseconds as the format wants. */
  public void write(Path file) {
    AtomicFiles.write(file, out -> {
      try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
        g.writeStartObject();
        g.writeStringField("displayTimeUnit", "ns");
        g.writeArrayFieldStart("traceEvents");
        for (Map.Entry<String, Integer> p : processIds.entrySet()) {
          metadata(g, "process_name", p.getValue(), 0, p.getKey());
        }
        for (Map.Entry<String, int[]> t : trackIds.entrySet()) {
          String name = t.getKey().substring(t.getKey().indexOf('\u0000') + 1);
          metadata(g, "thread_name", t.getValue()[0], t.getValue()[1], name);
        }
        for (Event e : events) {
          g.writeStartObject();
          g.writeStringField("ph", String.valueOf(e.phase()));
          g.writeStringField("name", e.name());
          g.writeStringField("cat", e.category());
          g.writeNumberField("pid", e.pid());
          g.writeNumberField("tid", e.tid());
          g.writeNumberField("ts", e.start() / 1e6);
          if (e.phase() == 'X') {
            g.writeNumberField("dur", e.duration() / 1e6);
          } else {
            g.writeObjectFieldStart("args");
            g.writeNumberField("value", e.value());
            g.writeEndObject();
          }
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
    });
  }

  private static void metadata(JsonGenerator g, String kind, int pid, int tid, String name)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("ph", "M");
    g.writeStringField("name", kind);
    g.writeNumberField("pid", pid);
    g.writeNumberField("tid", tid);
    g.writeObjectFieldStart("args");
    g.writeStringField("name", name);
    g.writeEndObject();
    g.writeEndObject();
  }
}
