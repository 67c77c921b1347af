package org.dsasim.core.stats;

/**
 * A value computed from other statistics when a report is made (hit ratio, rate per simulated
 * second), never on the hot path.
 */
public final class Formula extends ScalarStat {
  /** How the value is computed from the other statistics over a span. */
  @FunctionalInterface
  public interface Expression {
    double evaluate(StatView view);
  }

  private final String kind;
  private final Expression expression;

  Formula(String name, String unit, String description, String kind, Expression expression) {
    super(name, unit, description);
    this.kind = kind;
    this.expression = expression;
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  double valueIn(StatView view) {
    return expression.evaluate(view);
  }

  @Override
  void reset() {}

  @Override
  void beginInterval() {}
}
