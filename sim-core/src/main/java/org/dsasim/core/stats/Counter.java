package org.dsasim.core.stats;

/** Counts events (hits, bytes moved): increments only. */
public final class Counter extends ScalarStat {
  private long value;
  private long atIntervalStart;

  Counter(String name, String unit, String description) {
    super(name, unit, description);
  }

  public void inc() {
    value++;
  }

  public void add(long n) {
    value += n;
  }

  /** Total since the last reset. */
  public long value() {
    return value;
  }

  /** Count since the current interval began. */
  public long intervalValue() {
    return value - atIntervalStart;
  }

  @Override
  public String kind() {
    return "counter";
  }

  @Override
  double valueIn(StatView view) {
    return view.isInterval() ? intervalValue() : value;
  }

  @Override
  void reset() {
    value = 0;
    atIntervalStart = 0;
  }

  @Override
  void beginInterval() {
    atIntervalStart = value;
  }
}
