package org.dsasim.accel.calibrate;

import java.util.List;

/** Predicted against measured step times of a set of rows, with the summary errors. */
public record CalibrationReport(List<Entry> entries, double mape, double correlation,
    double maxAbsError) {

  /** One row: its prediction, and the measured step time (NaN if the file had none). */
  public record Entry(CalibrationRow row, CalibrationRunner.Prediction prediction) {
    public double measured() {
      return row.measuredStepUs();
    }

    public double predicted() {
      return prediction.stepUs();
    }

    /** Relative error (predicted - measured) / measured; NaN without a measurement. */
    public double error() {
      return (predicted() - measured()) / measured();
    }

    public boolean hasMeasurement() {
      return Double.isFinite(measured()) && measured() > 0;
    }
  }

  /** Builds the report; rows without a measurement are left out of the summary statistics. */
  public static CalibrationReport of(List<Entry> entries) {
    double sumAbs = 0;
    double maxAbs = 0;
    int n = 0;
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    for (Entry e : entries) {
      if (!e.hasMeasurement()) {
        continue;
      }
      double err = Math.abs(e.error());
      sumAbs += err;
      maxAbs = Math.max(maxAbs, err);
      double x = e.predicted();
      double y = e.measured();
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
      n++;
    }
    double mape = n == 0 ? Double.NaN : sumAbs / n;
    double cov = sxy - sx * sy / n;
    double vx = sxx - sx * sx / n;
    double vy = syy - sy * sy / n;
    double corr = n < 2 || vx <= 0 || vy <= 0 ? Double.NaN : cov / Math.sqrt(vx * vy);
    return new CalibrationReport(List.copyOf(entries), mape, corr, n == 0 ? Double.NaN : maxAbs);
  }
}
