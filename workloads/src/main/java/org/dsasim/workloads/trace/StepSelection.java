package org.dsasim.workloads.trace;

import java.util.Arrays;

/**
 * The selections of one decode step: for every layer and every sequence, the selected token
 * indices (in the order the selector produced them) and the sequence's context length.
 *
 * <p>A mutable, reusable buffer: sources fill one instance per step ({@link TraceSource#next}) so
 * that reading a trace does not allocate per step. Storage is flat: the selection of
 * (layer {@code l}, sequence {@code s}) is {@code count(l, s)} ints starting at
 * {@code offset(l, s) = (l * seqs + s) * topk} of {@link #indices()}.
 */
public final class StepSelection {
  private final int layers;
  private final int seqs;
  private final int topk;
  private final int[] indices;
  private final int[] counts;
  private final int[] contextLen;
  private long step = -1;

  public StepSelection(int layers, int seqs, int topk) {
    this.layers = layers;
    this.seqs = seqs;
    this.topk = topk;
    this.indices = new int[Math.multiplyExact(Math.multiplyExact(layers, seqs), topk)];
    this.counts = new int[layers * seqs];
    this.contextLen = new int[seqs];
  }

  public static StepSelection forHeader(TraceHeader header) {
    return new StepSelection(header.layers(), header.seqs(), header.topk());
  }

  public int layers() {
    return layers;
  }

  public int seqs() {
    return seqs;
  }

  public int topk() {
    return topk;
  }

  /** Index of this decode step, from 0. */
  public long step() {
    return step;
  }

  public void setStep(long step) {
    this.step = step;
  }

  /** Flat backing array of selected token indices; see the class comment for the layout. */
  public int[] indices() {
    return indices;
  }

  public int offset(int layer, int seq) {
    return (layer * seqs + seq) * topk;
  }

  /** Number of tokens selected for (layer, seq) at this step, 0..topk. */
  public int count(int layer, int seq) {
    return counts[layer * seqs + seq];
  }

  public int index(int layer, int seq, int i) {
    return indices[offset(layer, seq) + i];
  }

  /** Context length (tokens cached) of sequence {@code seq} at this step. */
  public int contextLen(int seq) {
    return contextLen[seq];
  }

  public void setContextLen(int seq, int len) {
    contextLen[seq] = len;
  }

  /**
   * Sets the selection of (layer, seq) from {@code src[from .. from+n)}; the caller guarantees
   * {@code n <= topk}.
   */
  public void set(int layer, int seq, int[] src, int from, int n) {
    if (n < 0 || n > topk) {
      throw new IllegalArgumentException("selection of " + n + " tokens exceeds topk " + topk);
    }
    System.arraycopy(src, from, indices, offset(layer, seq), n);
    counts[layer * seqs + seq] = n;
  }

  /** Sets only the count of (layer, seq), after the caller wrote indices in place. */
  public void setCount(int layer, int seq, int n) {
    if (n < 0 || n > topk) {
      throw new IllegalArgumentException("selection of " + n + " tokens exceeds topk " + topk);
    }
    counts[layer * seqs + seq] = n;
  }

  /** Copies everything from {@code other}, which must have the same shape. */
  public void copyFrom(StepSelection other) {
    if (other.layers != layers || other.seqs != seqs || other.topk != topk) {
      throw new IllegalArgumentException("shape mismatch");
    }
    step = other.step;
    System.arraycopy(other.indices, 0, indices, 0, indices.length);
    System.arraycopy(other.counts, 0, counts, 0, counts.length);
    System.arraycopy(other.contextLen, 0, contextLen, 0, contextLen.length);
  }

  /** Content equality (shape, step, counts, the used indices and context lengths). */
  public boolean sameAs(StepSelection o) {
    if (o.layers != layers || o.seqs != seqs || o.topk != topk || o.step != step) {
      return false;
    }
    if (!Arrays.equals(counts, o.counts) || !Arrays.equals(contextLen, o.contextLen)) {
      return false;
    }
    for (int l = 0; l < layers; l++) {
      for (int s = 0; s < seqs; s++) {
        int off = offset(l, s);
        int n = count(l, s);
        if (!Arrays.equals(indices, off, off + n, o.indices, off, off + n)) {
          return false;
        }
      }
    }
    return true;
  }
}
