package org.dsasim.workloads.analyze;

/** The access-pattern statistics of a DSA trace; see {@link TraceAnalyzer} for the definitions. */
public enum Metric {
  NEW_FRACTION("new_fraction", "New fraction of the selection", "|S(t) \\ S(t-1)| / |S(t)|", false),
  PERSISTENCE("persistence", "Persistence", "consecutive steps selected", true),
  RESELECTION_DISTANCE(
      "reselection_distance", "Re-selection distance", "steps since last selected", true),
  INTER_LAYER_OVERLAP(
      "inter_layer_overlap", "Inter-layer overlap", "|S_l(t) and S_l+1(t)| / k", false),
  WORKING_SET_50("working_set_50", "Working set of 50 steps", "distinct tokens / k", false),
  PAGE_UTILIZATION_64(
      "page_utilization_64", "Utilisation of 64-token pages", "selected / (64 x pages)", false);

  private final String key;
  private final String title;
  private final String unit;
  private final boolean integerValued;

  Metric(String key, String title, String unit, boolean integerValued) {
    this.key = key;
    this.title = title;
    this.unit = unit;
    this.integerValued = integerValued;
  }

  /** The metric's key in JSON output and file names. */
  public String key() {
    return key;
  }

  public String title() {
    return title;
  }

  /** What one sample measures, for axis labels. */
  public String unit() {
    return unit;
  }

  /**
   * Whether samples are whole numbers of steps, kept as a {@link CountHistogram} (otherwise as
   * {@link DoubleSamples}).
   */
  public boolean integerValued() {
    return integerValued;
  }
}
