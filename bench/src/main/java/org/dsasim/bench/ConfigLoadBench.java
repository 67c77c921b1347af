package org.dsasim.bench;

import java.util.concurrent.TimeUnit;
import org.dsasim.core.config.Config;
import org.dsasim.core.config.ConfigLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** Cost of resolving a configuration (once per run, or per sweep point). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConfigLoadBench {
  @Benchmark
  public Config standardLoadWithOverrides() {
    return ConfigLoader.standard().set("sim.seed=7").set("sim.stop.steps=16").load();
  }
}
