package org.dsasim.app.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.dsasim.accel.config.AccelKeys;
import org.dsasim.accel.decode.ModelSpec;
import org.dsasim.app.run.DecodeRun;
import org.dsasim.app.run.TraceReplay;
import org.dsasim.core.UserInputException;
import org.dsasim.core.config.Config;
import org.dsasim.core.config.SimKeys;
import org.dsasim.core.io.AtomicFiles;
import org.dsasim.mem.token.PolicySpec;
import org.dsasim.mem.token.ReplayResult;
import org.dsasim.workloads.trace.TraceSource;

/**
 * Replays sweep points through token-granular cache policies ({@code runner: replay}), as
 * {@code dsasim replay} does ({@link TraceReplay}): no timing, hits and misses.
 *
 * <p>A point is a policy ({@value #POLICY_KEY}: a registered policy with its parameters, or
 * {@code none}) at a capacity ({@value #CAPACITY_KEY}: token entries or a size), on the workload
 * its configuration gives (resolved as a decode point's, {@link PointConfigs}): the first {@code
 * sim.warmup.steps + sim.stop.steps} steps of {@code decode.workload}, the steps a decode point of
 * the same settings simulates, every selection cut to {@code model.topk}. Every step counts, the
 * cold first one included.
 *
 * <p>Points that differ only in policy and capacity share their workload: the first of them to
 * run replays it once for all of them (one pass, {@link org.dsasim.mem.token.TokenReplay}), and
 * the others take their counts from that pass. A point's counts are the same whichever points
 * run, in which order or beside which others.
 */
public final class ReplayPointRunnerFactory implements PointRunnerFactory {
  /** The point setting that names the policy. */
  public static final String POLICY_KEY = "replay.policy";
  /** The point setting that gives the capacity. */
  public static final String CAPACITY_KEY = "replay.capacity";

  static final Set<String> KEYS = Set.of(POLICY_KEY, CAPACITY_KEY);

  @Override
  public SweepRunner.PointRunner create(SweepSpec spec) {
    if (!spec.runner().equals(SweepSpec.REPLAY)) {
      throw new IllegalArgumentException("not a replay spec: " + spec.source());
    }
    Set<String> variables = PointConfigs.variables(spec, KEYS);
    for (Map.Entry<String, String> d : spec.derive().entrySet()) {
      for (String operand : Derivation.operands(d.getValue())) {
        if (KEYS.contains(operand)) {
          throw new UserInputException("sweep spec " + spec.source() + ": derive." + d.getKey()
              + " uses " + operand + ", which only selects the replayed policy and size; a"
              + " derived key must not depend on it");
        }
      }
    }
    Map<String, List<SweepPoint>> groups = new LinkedHashMap<>();
    Map<String, String> groupOf = new HashMap<>();
    for (SweepPoint p : spec.points()) {
      Map<String, String> settings = PointConfigs.settings(spec, p);
      String where = "sweep spec " + spec.source() + ", point " + p.id();
      for (String key : List.of(POLICY_KEY, CAPACITY_KEY)) {
        if (!settings.containsKey(key)) {
          throw new UserInputException(where + ": no " + key + " (give it in base:, an axis or"
              + " the point)");
        }
      }
      try {
        TraceReplay.parsePolicy(settings.get(POLICY_KEY));
        TraceReplay.checkCapacity(settings.get(CAPACITY_KEY), CAPACITY_KEY);
      } catch (UserInputException e) {
        throw new UserInputException(where + ": " + e.getMessage());
      }
      Map<String, String> workload = new TreeMap<>(settings);
      workload.keySet().removeAll(KEYS);
      String key = workload.toString();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
      groupOf.put(p.id(), key);
    }
    Replays replays = new Replays(spec, variables, groups);
    return (point, dir) -> {
      Counted counted = replays.of(groupOf.get(point.id())).counted(point);
      writeFiles(counted, spec.outputs(), dir);
      return counted.metrics();
    };
  }

  private static void writeFiles(Counted c, List<String> outputs, Path dir) {
    if (outputs.contains("config")) {
      DecodeRun.writeConfig(c.config(), dir);
    }
    if (outputs.contains("summary")) {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("runner", SweepSpec.REPLAY);
      summary.put("workload", c.config().get(AccelKeys.WORKLOAD_SOURCE));
      summary.put("policy", c.result().policy());
      summary.putAll(c.metrics());
      AtomicFiles.writeString(dir.resolve(DecodeRun.SUMMARY_FILE),
          DecodeRun.toJson(summary) + "\n");
    }
  }

  /** One point's counts and what they mean per decode step. */
  private record Counted(Config config, ReplayResult result, long steps, int entryBytes) {
    Map<String, Object> metrics() {
      Map<String, Object> m = new LinkedHashMap<>();
      long hbmBytes = result.fetchedEntries() * entryBytes;
      double perStep = steps == 0 ? 0 : (double) hbmBytes / steps;
      double hbmBandwidth = config.get(AccelKeys.HBM_PEAK) * config.get(AccelKeys.HBM_EFFICIENCY);
      m.put("capacity_tokens", result.capacityTokens());
      m.put("capacity_bytes", (long) result.capacityTokens() * entryBytes);
      m.put("steps", steps);
      m.put("accesses", result.accesses());
      m.put("hits", result.hits());
      m.put("misses", result.misses());
      m.put("hit_rate", result.hitRate());
      m.put("fetched_entries", result.fetchedEntries());
      m.put("hbm_bytes", hbmBytes);
      m.put("hbm_bytes_per_step", perStep);
      m.put("kv_hbm_us_per_step", perStep / hbmBandwidth * 1e6);
      return m;
    }
  }

  /** The replay of each workload, made once by the first of its points to run. */
  private static final class Replays {
    private final SweepSpec spec;
    private final Set<String> variables;
    private final Map<String, List<SweepPoint>> groups;
    private final ConcurrentHashMap<String, FutureTask<Group>> done = new ConcurrentHashMap<>();

    Replays(SweepSpec spec, Set<String> variables, Map<String, List<SweepPoint>> groups) {
      this.spec = spec;
      this.variables = variables;
      this.groups = groups;
    }

    Group of(String key) throws IOException {
      FutureTask<Group> task = new FutureTask<>(() -> replay(groups.get(key)));
      FutureTask<Group> first = done.putIfAbsent(key, task);
      if (first == null) {
        task.run();
        first = task;
      }
      try {
        return first.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while another point replays the workload");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IllegalStateException(e.getCause());
      }
    }

    /** Replays the workload of {@code members} once, counting every member's policy and size. */
    private Group replay(List<SweepPoint> members) throws IOException {
      Config cfg = PointConfigs.config(spec, members.get(0), variables);
      ModelSpec model = ModelSpec.from(cfg);
      int steps = cfg.get(SimKeys.WARMUP_STEPS) + cfg.get(SimKeys.STOP_STEPS);
      String workload = cfg.get(AccelKeys.WORKLOAD_SOURCE);
      try (TraceSource source = DecodeRun.openWorkload(cfg, model)) {
        TraceReplay replay = new TraceReplay(source, workload, steps, model.topk());
        int entryBytes = replay.space().entryBytes();
        List<PolicySpec> policies = new ArrayList<>();
        List<Integer> capacities = new ArrayList<>();
        Map<String, Integer> requestOf = new HashMap<>();
        Map<String, String> errors = new HashMap<>();
        for (SweepPoint p : members) {
          Map<String, String> s = PointConfigs.settings(spec, p);
          try {
            int capacity = TraceReplay.parseCapacity(s.get(CAPACITY_KEY), entryBytes, CAPACITY_KEY);
            PolicySpec policy = TraceReplay.parsePolicy(s.get(POLICY_KEY));
            requestOf.put(p.id(), policies.size());
            policies.add(policy);
            capacities.add(capacity);
          } catch (UserInputException e) {
            errors.put(p.id(), "sweep spec " + spec.source() + ", point " + p.id() + ": "
                + e.getMessage());
          }
        }
        List<ReplayResult> results = replay.run(policies, capacities);
        if (replay.steps() < steps) {
          throw new UserInputException("the workload '" + workload + "' ran out of steps after "
              + replay.steps() + " steps; " + steps + " are needed (warm-up + measured)");
        }
        return new Group(cfg, results, requestOf, errors, replay.steps(), entryBytes);
      }
    }
  }

  /** The counts of every point of one workload. */
  private record Group(Config config, List<ReplayResult> results, Map<String, Integer> requestOf,
      Map<String, String> errors, long steps, int entryBytes) {
    Counted counted(SweepPoint p) {
      String error = errors.get(p.id());
      if (error != null) {
        throw new UserInputException(error);
      }
      return new Counted(config, results.get(requestOf.get(p.id())), steps, entryBytes);
    }
  }
}
