package org.dsasim.app.sweep;

/**
 * Makes the {@link SweepRunner.PointRunner} that simulates the points of a spec. Distributed
 * runners (Spark executors, cluster tasks) receive the factory's class name and build it on each
 * worker, so implementations need a public no-argument constructor.
 */
public interface PointRunnerFactory {
  SweepRunner.PointRunner create(SweepSpec spec);
}
