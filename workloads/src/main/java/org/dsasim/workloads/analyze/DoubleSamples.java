package org.dsasim.workloads.analyze;

import java.util.Arrays;
import org.dsasim.core.stats.Percentiles;

/**
 * A growable list of real-valued samples, one per (step, layer, sequence) or per window: few
 * enough to keep exactly, so that percentiles are exact.
 */
public final class DoubleSamples {
  private double[] values = new double[64];
  private int size;
  private boolean sorted = true;

  public void add(double v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = v;
    sorted = false;
  }

  /** Appends all samples of {@code other}. */
  public void addAll(DoubleSamples other) {
    if (size + other.size > values.length) {
      values = Arrays.copyOf(values, Math.max(values.length * 2, size + other.size));
    }
    System.arraycopy(other.values, 0, values, size, other.size);
    size += other.size;
    sorted = false;
  }

  public int size() {
    return size;
  }

  /** The samples in ascending order (a copy). */
  public double[] sortedValues() {
    sort();
    return Arrays.copyOf(values, size);
  }

  private void sort() {
    if (!sorted) {
      Arrays.sort(values, 0, size);
      sorted = true;
    }
  }

  public Summary summary() {
    if (size == 0) {
      return Summary.EMPTY;
    }
    sort();
    double sum = 0;
    for (int i = 0; i < size; i++) {
      sum += values[i];
    }
    double mean = sum / size;
    double squares = 0;
    for (int i = 0; i < size; i++) {
      double d = values[i] - mean;
      squares += d * d;
    }
    return new Summary(
        size, mean, Percentiles.linear(values, size, 0.95), Math.sqrt(squares / size));
  }
}
