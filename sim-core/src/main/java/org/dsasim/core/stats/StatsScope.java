package org.dsasim.core.stats;

/**
 * Creates statistics under a name prefix: a component with hierarchical name {@code system.llc}
 * registers {@code hits} as {@code system.llc.hits}. Keep the returned objects in fields.
 */
public final class StatsScope {
  /** HdrHistogram precision of distributions: 3 significant digits (0.1% relative error). */
  public static final int DEFAULT_SIGNIFICANT_DIGITS = 3;

  private final StatsRegistry registry;
  private final String prefix;

  StatsScope(StatsRegistry registry, String prefix) {
    this.registry = registry;
    this.prefix = prefix;
  }

  /** The scope of a part of this component: {@code scope("reserved")}. */
  public StatsScope scope(String name) {
    return new StatsScope(registry, qualify(name));
  }

  public String prefix() {
    return prefix;
  }

  public Counter counter(String name, String unit, String description) {
    return registry.add(new Counter(qualify(name), unit, description));
  }

  public Average average(String name, String unit, String description) {
    return registry.add(new Average(qualify(name), unit, description));
  }

  public Distribution distribution(String name, String unit, String description) {
    return distribution(name, unit, description, DEFAULT_SIGNIFICANT_DIGITS);
  }

  /** A distribution with {@code significantDigits} (1 to 5) of precision. */
  public Distribution distribution(
      String name, String unit, String description, int significantDigits) {
    return registry.add(new Distribution(qualify(name), unit, description, significantDigits));
  }

  /** {@code source}'s value per simulated second; its unit is {@code source}'s unit + "/s". */
  public Formula rate(String name, String description, ScalarStat source) {
    String unit = source.unit().isEmpty() ? "1/s" : source.unit() + "/s";
    return registry.add(
        new Formula(
            qualify(name),
            unit,
            description,
            "rate",
            v -> v.seconds() > 0 ? v.value(source) / v.seconds() : Double.NaN));
  }

  /** {@code numerator / denominator}, NaN when the denominator is zero. */
  public Formula ratio(
      String name, String description, ScalarStat numerator, ScalarStat denominator) {
    return registry.add(
        new Formula(
            qualify(name),
            "",
            description,
            "formula",
            v -> {
              double d = v.value(denominator);
              return d == 0 ? Double.NaN : v.value(numerator) / d;
            }));
  }

  /** Any value computed from other statistics over a span. */
  public Formula formula(
      String name, String unit, String description, Formula.Expression expression) {
    return registry.add(new Formula(qualify(name), unit, description, "formula", expression));
  }

  private String qualify(String name) {
    StatsRegistry.checkName(name);
    return prefix.isEmpty() ? name : prefix + "." + name;
  }
}
