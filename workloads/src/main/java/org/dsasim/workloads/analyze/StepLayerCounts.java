package org.dsasim.workloads.analyze;

import java.util.function.IntUnaryOperator;

/**
 * For each (step, layer) run, how many keys of that layer had their latest access in it: what
 * turns a key's stack distance within its layer into its distance over all layers.
 *
 * <p>Keys of different layers are distinct, so between two accesses to a key of layer l the
 * distinct keys seen are those of layer l (its per-layer stack distance counts them) plus, for
 * every other layer, the keys whose latest access lies in a run between the two. Runs come in a
 * fixed order (steps, and layers within a step); if the key's previous access was in step p, those
 * are the other layers' keys whose latest run comes after run (p, l). While the runs of layer l
 * are read that count does not change, since only layer l's keys move, so it is computed once per
 * step p and run (two Fenwick prefix sums: all runs, and layer l's runs) and looked up for every
 * other key of the same step p. Changes of the latest runs are collected per run and applied to
 * the trees when the run ends.
 *
 * <p>Step numbers are compacted when they run out: steps in which no key of any layer had its
 * latest access are dropped and the rest renumbered in order, through {@link Steps#renumber}, so
 * memory is bounded by the number of such steps (at most the number of distinct keys), not by
 * the length of the trace. Not thread-safe.
 */
final class StepLayerCounts {
  /** Where the caller keeps each key's step of latest access. */
  interface Steps {
    /** Replaces every stored step {@code s} by {@code f(s)}. */
    void renumber(IntUnaryOperator f);
  }

  private static final int MIN_STEPS = 64;

  private final int layers;
  private final Steps owner;
  /** Steps numbered so far; the current run's step is {@code steps - 1}. */
  private int steps;
  private int capacity;
  /** {@code live[s * layers + m]}: keys of layer m whose latest access was in step s. */
  private int[] live;
  /** 1-based Fenwick tree over {@link #live}, run index order. */
  private int[] allRuns;
  /** Per layer m, 1-based Fenwick tree over steps of {@code live[s * layers + m]}. */
  private int[][] layerRuns;
  private int[] layerTotal;
  private int total;

  private int runLayer = -1;
  /** Changes stamped with it belong to the current run. */
  private int runStamp;
  private int[] stamp;
  /** Per step p touched in the current run: other layers' keys after run (p, runLayer). */
  private int[] othersAfter;
  /** Per step p touched in the current run: keys of the run's layer that left step p. */
  private int[] left;
  private int[] touched;
  private int touchedCount;
  private int arrived;

  StepLayerCounts(int layers, Steps owner) {
    this.layers = layers;
    this.owner = owner;
    allocate(MIN_STEPS);
  }

  private void allocate(int steps) {
    capacity = steps;
    live = new int[capacity * layers];
    allRuns = new int[capacity * layers + 1];
    layerRuns = new int[layers][capacity + 1];
    layerTotal = new int[layers];
    stamp = new int[capacity];
    othersAfter = new int[capacity];
    left = new int[capacity];
    touched = new int[capacity];
    runStamp = 0;
  }

  /** Starts the run of {@code layer} (layer 0 starts a new step). */
  void beginRun(int layer) {
    if (layer == 0) {
      if (steps == capacity) {
        compact();
      }
      steps++;
    }
    runLayer = layer;
    runStamp++;
    touchedCount = 0;
    arrived = 0;
  }

  /** The step of the current run, to be stored as the latest step of every key it accesses. */
  int currentStep() {
    return steps - 1;
  }

  /** A key of the run's layer seen for the first time. */
  void arrive() {
    arrived++;
  }

  /**
   * A key of the run's layer whose latest access was in step {@code previous} is accessed again.
   *
   * @return the keys of other layers accessed since that access
   */
  int move(int previous) {
    arrived++;
    if (stamp[previous] != runStamp) {
      stamp[previous] = runStamp;
      touched[touchedCount++] = previous;
      left[previous] = 0;
      int l = runLayer;
      int allAfter = total - prefix(allRuns, previous * layers + l + 1);
      int layerAfter = layerTotal[l] - prefix(layerRuns[l], previous + 1);
      othersAfter[previous] = allAfter - layerAfter;
    }
    left[previous]++;
    return othersAfter[previous];
  }

  /** Ends the current run: the keys it accessed now have it as their latest run. */
  void endRun() {
    int l = runLayer;
    int[] layerTree = layerRuns[l];
    for (int i = 0; i < touchedCount; i++) {
      int p = touched[i];
      add(p, l, layerTree, -left[p]);
    }
    add(steps - 1, l, layerTree, arrived);
  }

  private void add(int step, int layer, int[] layerTree, int delta) {
    int run = step * layers + layer;
    live[run] += delta;
    addAt(allRuns, run + 1, delta);
    addAt(layerTree, step + 1, delta);
    layerTotal[layer] += delta;
    total += delta;
  }

  private static int prefix(int[] tree, int i) {
    int sum = 0;
    for (; i > 0; i -= i & -i) {
      sum += tree[i];
    }
    return sum;
  }

  private static void addAt(int[] tree, int i, int delta) {
    for (; i < tree.length; i += i & -i) {
      tree[i] += delta;
    }
  }

  /** Drops the steps without live keys, renumbering the rest 0..n-1 in order. */
  private void compact() {
    int[] newStep = new int[capacity];
    int kept = 0;
    for (int s = 0; s < capacity; s++) {
      int keys = 0;
      for (int m = 0; m < layers; m++) {
        keys += live[s * layers + m];
      }
      newStep[s] = keys > 0 ? kept++ : -1;
    }
    owner.renumber(s -> newStep[s]);
    int[] oldLive = live;
    int oldCapacity = capacity;
    allocate(Math.max(MIN_STEPS, 2 * kept));
    for (int s = 0; s < oldCapacity; s++) {
      if (newStep[s] >= 0) {
        System.arraycopy(oldLive, s * layers, live, newStep[s] * layers, layers);
      }
    }
    // linear-time Fenwick builds: every node passes its sum on to its parent
    System.arraycopy(live, 0, allRuns, 1, live.length);
    buildInPlace(allRuns);
    for (int m = 0; m < layers; m++) {
      int[] tree = layerRuns[m];
      for (int s = 0; s < kept; s++) {
        tree[s + 1] = live[s * layers + m];
        layerTotal[m] += tree[s + 1];
      }
      buildInPlace(tree);
    }
    steps = kept;
  }

  private static void buildInPlace(int[] tree) {
    for (int i = 1; i < tree.length; i++) {
      int parent = i + (i & -i);
      if (parent < tree.length) {
        tree[parent] += tree[i];
      }
    }
  }
}
