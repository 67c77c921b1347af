package org.dsasim.workloads.analyze;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Carries the analyzer's key numbers to {@link ReuseProfiler}s in batches of whole steps, each
 * profiler on a thread of its own (when the machine has more than one processor) or all inline.
 *
 * <p>The stack distances cost more than all the other metrics together, and they need nothing of
 * the analyzer but the sequence of key numbers, so other threads take them over: the analyzer
 * fills one batch while the profilers read earlier ones. A fixed set of batches circulates: a
 * filled batch goes to every profiler's queue and back to the free queue once the last of them
 * has read it, so memory stays bounded (a few batches of at least one step) and nothing is
 * allocated per step. Each profiler reads the batches in the order they were filled, so the
 * results are exactly those of the inline mode.
 */
final class ReusePipeline implements AutoCloseable {
  /** Keys per batch to aim for: big enough that a handoff is rare, small enough for the caches. */
  private static final int BATCH_KEYS = 1 << 16;
  /** Batches in circulation: one filling, the others being read or waiting. */
  private static final int BATCHES = 4;
  static final String THREAD_NAME = "dsasim-reuse-profile";

  /** Key numbers of whole steps, and how many of them each (step, layer) holds. */
  static final class Batch {
    final int[] keys;
    final int[] runs;
    int size;
    int runCount;
    /** Profilers that have yet to read this batch. */
    final AtomicInteger unread = new AtomicInteger();

    private Batch(int keyCapacity, int runCapacity) {
      keys = new int[keyCapacity];
      runs = new int[runCapacity];
    }
  }

  private static final Batch END = new Batch(0, 0);

  private final List<ReuseProfiler> profilers;
  private final int layers;
  private final int stepKeys;
  /** One per profiler; empty when profiling inline. */
  private final Thread[] workers;
  private final BlockingQueue<Batch>[] filled;
  private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
  private volatile Throwable failure;
  private Batch current;
  private boolean finished;

  /**
   * @param stepKeys the most keys one step can hold (layers x sequences x k)
   * @param concurrent whether to run each profiler on a thread of its own
   */
  @SuppressWarnings("unchecked")
  ReusePipeline(List<ReuseProfiler> profilers, int layers, int stepKeys, boolean concurrent) {
    this.profilers = List.copyOf(profilers);
    this.layers = layers;
    this.stepKeys = stepKeys;
    int stepsPerBatch = Math.max(1, BATCH_KEYS / Math.max(1, stepKeys));
    int batches = concurrent ? BATCHES : 1;
    for (int i = 0; i < batches; i++) {
      free.add(new Batch(stepsPerBatch * stepKeys, stepsPerBatch * layers));
    }
    current = free.poll();
    int threads = concurrent ? this.profilers.size() : 0;
    workers = new Thread[threads];
    filled = new BlockingQueue[threads];
    for (int i = 0; i < threads; i++) {
      ReuseProfiler profiler = this.profilers.get(i);
      BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES + 1);
      filled[i] = queue;
      workers[i] = new Thread(() -> work(profiler, queue), THREAD_NAME);
      workers[i].setDaemon(true);
      workers[i].start();
    }
  }

  /** Whether other threads help on this machine. */
  static boolean concurrentByDefault() {
    return Runtime.getRuntime().availableProcessors() > 1;
  }

  /** The batch to append the next step to: it has room for a whole step. */
  Batch batchForStep() {
    if (current.keys.length - current.size < stepKeys
        || current.runs.length - current.runCount < layers) {
      handOff();
    }
    return current;
  }

  private void handOff() {
    if (workers.length == 0) {
      for (ReuseProfiler p : profilers) {
        p.accept(current.keys, current.runs, current.runCount);
      }
      recycle(current);
      return;
    }
    try {
      current.unread.set(workers.length);
      for (BlockingQueue<Batch> queue : filled) {
        queue.put(current);
      }
      current = free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing keys to the reuse profiler", e);
    }
  }

  private static void recycle(Batch b) {
    b.size = 0;
    b.runCount = 0;
  }

  private void work(ReuseProfiler profiler, BlockingQueue<Batch> queue) {
    try {
      for (Batch b = queue.take(); b != END; b = queue.take()) {
        if (failure == null) {
          try {
            profiler.accept(b.keys, b.runs, b.runCount);
          } catch (Throwable t) {
            failure = t; // from here on only recycle batches, so the analyzer never waits forever
          }
        }
        if (b.unread.decrementAndGet() == 0) {
          recycle(b);
          free.put(b);
        }
      }
    } catch (InterruptedException e) {
      // closed before the end of the trace: the results are not wanted
    }
  }

  /** Profiles what is left and waits for the workers; then the profilers' results are final. */
  void finish() {
    finished = true;
    handOff();
    if (workers.length == 0) {
      return;
    }
    try {
      for (int i = 0; i < workers.length; i++) {
        filled[i].put(END);
      }
      for (Thread w : workers) {
        w.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopWorkers();
      throw new IllegalStateException("interrupted while waiting for the reuse profiler", e);
    }
    Throwable t = failure;
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error err) {
      throw err;
    }
  }

  /** Stops the workers if the analysis ends early (after an error); nothing after finish. */
  @Override
  public void close() {
    if (!finished) {
      finished = true;
      stopWorkers();
    }
  }

  private void stopWorkers() {
    for (Thread w : workers) {
      w.interrupt();
    }
    for (Thread w : workers) {
      try {
        w.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
