package org.dsasim.workloads.trace;

import java.io.IOException;

/**
 * A source seen through {@link TraceOverrides}: the header is replaced and, when the top-k is
 * lowered, every row is cut to its first {@code topk} entries.
 */
final class OverriddenTraceSource implements TraceSource {
  private final TraceSource inner;
  private final TraceHeader header;
  /** The inner source's step when rows are cut, else null (steps pass straight through). */
  private final StepSelection full;

  private OverriddenTraceSource(TraceSource inner, TraceHeader header) {
    this.inner = inner;
    this.header = header;
    this.full =
        header.topk() == inner.header().topk() ? null : StepSelection.forHeader(inner.header());
  }

  static TraceSource wrap(TraceSource inner, TraceOverrides overrides, String source) {
    if (overrides.isEmpty()) {
      return inner;
    }
    return new OverriddenTraceSource(inner, overrides.applyTo(inner.header(), source));
  }

  @Override
  public TraceHeader header() {
    return header;
  }

  @Override
  public boolean next(StepSelection into) throws IOException {
    if (full == null) {
      return inner.next(into);
    }
    if (!inner.next(full)) {
      return false;
    }
    int topk = header.topk();
    for (int l = 0; l < header.layers(); l++) {
      for (int s = 0; s < header.seqs(); s++) {
        into.set(l, s, full.indices(), full.offset(l, s), Math.min(topk, full.count(l, s)));
      }
    }
    for (int s = 0; s < header.seqs(); s++) {
      into.setContextLen(s, full.contextLen(s));
    }
    into.setStep(full.step());
    return true;
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }
}
