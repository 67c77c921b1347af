package org.dsasim.workloads.analyze;

import java.util.List;
import org.dsasim.workloads.trace.TraceHeader;

/**
 * What {@link TraceAnalyzer} measured on a trace.
 *
 * @param header the trace's header
 * @param steps decode steps seen
 * @param indices selected indices seen (all layers, sequences and steps)
 * @param overall every metric pooled over the samples of all layers and sequences
 * @param layers the same per layer, in layer order
 * @param reuse the LRU stack-distance profile of all token-entry accesses (key: sequence, layer,
 *     token), or null when the analyzer was asked not to compute it
 * @param layerReuse per layer, the profile of that layer's accesses alone (key: sequence, token),
 *     as seen by an LRU cache that holds only that layer's entries; empty without profiles
 */
public record TraceStatistics(
    TraceHeader header,
    long steps,
    long indices,
    MetricSet overall,
    List<MetricSet> layers,
    ReuseProfile reuse,
    List<ReuseProfile> layerReuse) {
  public TraceStatistics {
    layers = List.copyOf(layers);
    layerReuse = List.copyOf(layerReuse);
  }
}
