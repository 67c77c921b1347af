package org.dsasim.app.sweep;

/**
 * The point runner a spec's {@code runner:} names: {@link DecodePointRunnerFactory} for {@code
 * decode} (the default), {@link ReplayPointRunnerFactory} for {@code replay}. What {@code dsasim
 * sweep} uses; distributed runners can name this class to run every kind of spec.
 */
public final class SpecPointRunnerFactory implements PointRunnerFactory {
  @Override
  public SweepRunner.PointRunner create(SweepSpec spec) {
    PointRunnerFactory factory = spec.runner().equals(SweepSpec.REPLAY)
        ? new ReplayPointRunnerFactory()
        : new DecodePointRunnerFactory();
    return factory.create(spec);
  }
}
