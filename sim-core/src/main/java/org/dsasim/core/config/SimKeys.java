package org.dsasim.core.config;

/**
 * The keys of the simulation as a whole: the preset selectors, the global seed, warm-up, stop
 * conditions and statistics sampling. Other modules declare their own keys the same way, in their
 * own {@link ConfigSchemaProvider}.
 */
public final class SimKeys implements ConfigSchemaProvider {
  /** Hardware preset: LLC, HBM, interconnect and compute-unit parameters of one machine. */
  public static final ConfigKey<String> HARDWARE =
      ConfigKey.preset("hardware")
          .defaultValue("h200")
          .meaning("hardware preset: configs/hardware/NAME.yaml");

  /** Model preset: layers, top-k, KV entry sizes of one model. */
  public static final ConfigKey<String> MODEL =
      ConfigKey.preset("model")
          .defaultValue("deepseek-v3.2")
          .meaning("model preset: configs/model/NAME.yaml");

  /** Workload preset: how decode steps and their top-k selections are produced. */
  public static final ConfigKey<String> WORKLOAD =
      ConfigKey.preset("workload")
          .defaultValue("paper-fitted")
          .meaning("workload preset: configs/workload/NAME.yaml");

  public static final ConfigKey<Long> SEED =
      ConfigKey.longInteger("sim.seed")
          .defaultValue("1")
          .meaning(
              "global seed; each component derives its own random stream from it and its name");

  public static final ConfigKey<Integer> WARMUP_STEPS =
      ConfigKey.integer("sim.warmup.steps")
          .defaultValue("0")
          .atLeast("0")
          .meaning("decode steps simulated before the statistics are reset");

  public static final ConfigKey<Long> WARMUP_TIME =
      ConfigKey.duration("sim.warmup.time")
          .positive()
          .meaning("simulated time before the statistics are reset (instead of warm-up steps)");

  public static final ConfigKey<Integer> STOP_STEPS =
      ConfigKey.integer("sim.stop.steps")
          .defaultValue("8")
          .atLeast("1")
          .meaning("decode steps measured after the warm-up");

  public static final ConfigKey<Long> STOP_TIME =
      ConfigKey.duration("sim.stop.time")
          .positive()
          .meaning("stop after this much measured simulated time, even if steps remain");

  public static final ConfigKey<Long> STOP_EVENTS =
      ConfigKey.longInteger("sim.stop.events")
          .positive()
          .meaning("stop after this many events (a guard against runaway simulations)");

  public static final ConfigKey<Integer> STATS_INTERVAL_STEPS =
      ConfigKey.integer("sim.stats.interval-steps")
          .defaultValue("1")
          .atLeast("0")
          .meaning("decode steps per row of the statistics time series; 0 for no time series");

  @Override
  public void contribute(ConfigSchema.Builder schema) {
    schema.add(
        HARDWARE,
        MODEL,
        WORKLOAD,
        SEED,
        WARMUP_STEPS,
        WARMUP_TIME,
        STOP_STEPS,
        STOP_TIME,
        STOP_EVENTS,
        STATS_INTERVAL_STEPS);
    schema.check(
        cfg -> {
          if (cfg.isSet(WARMUP_TIME) && cfg.get(WARMUP_STEPS) > 0) {
            throw cfg.inconsistent(
                "give the warm-up in steps or as a time, not both", WARMUP_STEPS, WARMUP_TIME);
          }
        });
    schema.check(
        cfg -> {
          if (cfg.get(STATS_INTERVAL_STEPS) > cfg.get(STOP_STEPS)) {
            throw cfg.inconsistent(
                "the statistics interval is longer than the measured run, so the time series"
                    + " would have no row",
                STATS_INTERVAL_STEPS,
                STOP_STEPS);
          }
        });
  }
}
