package org.dsasim.app.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.dsasim.core.config.Config;
import org.junit.jupiter.api.Test;

/**
 * Every ready-made study in configs/studies/ parses, expands to the product of its axes, and
 * every one of its points resolves to a valid configuration (keys, values and derived keys),
 * so a study cannot rot unnoticed. smoke.yaml itself runs in SweepCommandTest.
 */
class StudiesTest {
  static final Path STUDIES = Path.of(System.getProperty("dsasim.repo.root"), "configs", "studies");

  @Test
  void everyStudyParsesExpandsAndResolvesAtEveryPoint() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(STUDIES)) {
      files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.stream().map(f -> f.getFileName().toString()).toList().containsAll(List.of(
        "smoke.yaml", "llc-reservation-deepseek-h200.yaml", "batch-scaling.yaml",
        "where-reservation-pays.yaml", "paper-roofline.yaml", "policy-comparison.yaml",
        "reservation-policies.yaml")),
        files.toString());
    for (Path f : files) {
      SweepSpec spec = SweepSpec.load(f);
      new SpecPointRunnerFactory().create(spec); // the runner's own checks, before any point runs
      Set<String> variables = PointConfigs.variables(spec, runnerKeys(spec));
      List<SweepPoint> points = spec.points();
      assertTrue(!points.isEmpty(), f.toString());
      for (SweepPoint p : points) {
        Config c = PointConfigs.config(spec, p, variables);
        p.overrides().forEach((k, v) -> {
          if (!variables.contains(k)) {
            assertTrue(c.values().containsKey(k), f + " " + p.id() + ": " + k);
          }
        });
      }
    }
  }

  private static Set<String> runnerKeys(SweepSpec spec) {
    return spec.runner().equals(SweepSpec.REPLAY) ? ReplayPointRunnerFactory.KEYS : Set.of();
  }

  @Test
  void derivedKeysReachTheConfiguration() {
    SweepSpec pays = SweepSpec.load(STUDIES.resolve("where-reservation-pays.yaml"));
    Set<String> variables = PointConfigs.variables(pays, Set.of());
    assertEquals(Set.of("hbm_to_llc_latency_ratio", "reservation_ratio"), variables);
    List<SweepPoint> points = pays.points();
    assertEquals(3 * 3 * 2 * 2 * 3, points.size());
    // the last point: ratio 8, batch 16, top-k 2048, fused, 0.9 of the LLC reserved
    SweepPoint last = points.get(points.size() - 1);
    assertEquals("8", last.overrides().get("hbm_to_llc_latency_ratio"));
    Config c = PointConfigs.config(pays, last, variables);
    long llc = c.get(org.dsasim.accel.config.AccelKeys.LLC_CAPACITY);
    assertEquals((long) (llc * 0.9), (long) c.get(org.dsasim.accel.config.AccelKeys.LLC_RESERVATION),
        1.0);
    // HBM load-to-use = 8 x the near hit latency of the preset (146 ns on an H200)
    assertEquals("1.168us", c.values().get("fastmem.hbm.load_to_use"));
    assertEquals(16, (int) c.get(org.dsasim.accel.config.AccelKeys.BATCH));
  }
}
