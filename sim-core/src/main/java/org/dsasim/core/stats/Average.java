package org.dsasim.core.stats;

/** The mean of recorded samples (queue occupancy, batch size): a sum and a count. */
public final class Average extends ScalarStat {
  private double sum;
  private long count;
  private double sumAtIntervalStart;
  private long countAtIntervalStart;

  Average(String name, String unit, String description) {
    super(name, unit, description);
  }

  public void record(double sample) {
    sum += sample;
    count++;
  }

  /** Mean since the last reset; NaN without samples. */
  public double mean() {
    return count == 0 ? Double.NaN : sum / count;
  }

  public long count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  @Override
  public String kind() {
    return "average";
  }

  @Override
  double valueIn(StatView view) {
    if (!view.isInterval()) {
      return mean();
    }
    long n = count - countAtIntervalStart;
    return n == 0 ? Double.NaN : (sum - sumAtIntervalStart) / n;
  }

  long countIn(StatView view) {
    return view.isInterval() ? count - countAtIntervalStart : count;
  }

  @Override
  void reset() {
    sum = 0;
    count = 0;
    sumAtIntervalStart = 0;
    countAtIntervalStart = 0;
  }

  @Override
  void beginInterval() {
    sumAtIntervalStart = sum;
    countAtIntervalStart = count;
  }
}
