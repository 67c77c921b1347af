package org.dsasim.mem.hbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.dsasim.core.event.Simulator;
import org.dsasim.core.time.Time;
import org.dsasim.mem.hbm.ControllerParams.PagePolicy;
import org.dsasim.mem.hbm.ControllerParams.RefreshMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command a controller issues, under random and adversarial traffic with refresh, is
 * checked against the HBM3 rules by {@link JedecLogChecker}, which is written independently of
 * the model's constraint table.
 */
class HbmTimingComplianceTest {
  private static final int REQUESTS = 6000;

  /** hbm3 cut down to 2 channels (4 pseudo-channels) so that the log is dense and small. */
  static HbmConfig small(String preset) {
    HbmConfig c = HbmConfig.preset(preset);
    HbmOrganization o = c.organization();
    return c.withOrganization(new HbmOrganization(1, 2, o.pseudoChannelsPerChannel(), o.sids(),
        o.bankGroups(), o.banksPerGroup(), o.rows(), o.columns(), o.widthBits(), o.burstLength(),
        o.beatsPerClock(), o.pinRateBitsPerSecond()));
  }

  /** 64 B blocks of the first four rows of every bank, with where they map. */
  private static final class Pool {
    final List<long[]> blocks = new ArrayList<>(); // {addr, pc, bank, row}

    Pool(HbmConfig cfg) {
      HbmOrganization o = cfg.organization();
      AddressMapping m = AddressMappings.create(cfg.controller().addressMapping(), o,
          cfg.controller().interleaveBytes());
      long span = 4L * o.pseudoChannels() * o.banksPerPseudoChannel() * o.rowBytes();
      for (long a = 0; a < span; a += 64) {
        blocks.add(new long[] {a, m.pseudoChannel(a), m.bank(a), m.row(a)});
      }
    }

    LongUnaryOperator randomFrom(long seed, Predicate<long[]> keep) {
      long[] chosen = blocks.stream().filter(keep).mapToLong(b -> b[0]).toArray();
      if (chosen.length == 0) {
        throw new IllegalStateException("empty pattern");
      }
      SplittableRandom rng = new SplittableRandom(seed);
      return n -> chosen[rng.nextInt(chosen.length)];
    }
  }

  /** Address pattern and how often a request is a write (every n-th). */
  private record Pattern(LongUnaryOperator addresses, long writeEvery) {}

  private static Pattern pattern(String name, HbmConfig cfg, long seed) {
    Pool pool = new Pool(cfg);
    HbmOrganization o = cfg.organization();
    return switch (name) {
      // anything in four rows per bank: hits, misses and conflicts mixed
      case "random" -> new Pattern(pool.randomFrom(seed, b -> true), 3);
      // two rows of two banks per pseudo-channel: nearly every access is a row conflict
      case "row-conflicts" -> new Pattern(pool.randomFrom(seed,
          b -> (b[2] == 0 || b[2] == o.banksPerPseudoChannel() - 1) && b[3] < 2), 3);
      // one bank group of one SID: tCCD_L and tRRD_L, not the short variants
      case "one-bank-group" -> new Pattern(pool.randomFrom(seed,
          b -> b[2] / o.banksPerGroup() == 0), 3);
      // one pseudo-channel: activation-window limited
      case "one-pseudo-channel" -> new Pattern(pool.randomFrom(seed, b -> b[1] == 0), 3);
      // every other request a write: read-write turnarounds everywhere
      case "read-write" -> new Pattern(pool.randomFrom(seed, b -> b[3] < 2), 2);
      default -> throw new IllegalArgumentException(name);
    };
  }

  static Stream<Arguments> scenarios() {
    List<Arguments> s = new ArrayList<>();
    for (String p : List.of("random", "row-conflicts", "one-bank-group", "one-pseudo-channel",
        "read-write")) {
      s.add(Arguments.of(p, "frfcfs", PagePolicy.OPEN, RefreshMode.PER_BANK, "hbm3"));
      s.add(Arguments.of(p, "frfcfs", PagePolicy.CLOSED, RefreshMode.ALL_BANK, "hbm3"));
    }
    s.add(Arguments.of("random", "fcfs", PagePolicy.OPEN, RefreshMode.ALL_BANK, "hbm3"));
    s.add(Arguments.of("read-write", "fcfs", PagePolicy.CLOSED, RefreshMode.PER_BANK, "hbm3"));
    s.add(Arguments.of("random", "frfcfs", PagePolicy.OPEN, RefreshMode.PER_BANK, "h200"));
    s.add(Arguments.of("row-conflicts", "frfcfs", PagePolicy.OPEN, RefreshMode.ALL_BANK, "hbm3e"));
    return s.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} {3} {4}")
  @MethodSource("scenarios")
  void everyIssuedCommandRespectsEveryTimingRule(String name, String scheduler, PagePolicy page,
      RefreshMode refresh, String preset) {
    HbmConfig base = small(preset);
    HbmConfig cfg = base.withController(base.controller().withScheduler(scheduler)
        .withPagePolicy(page).withRefresh(refresh));
    Pattern p = pattern(name, cfg, 42);
    Traffic t = new Traffic(cfg);
    CommandLog log = new CommandLog();
    t.hbm.setCommandObserver(log);
    for (int r = 0; r < 8; r++) {
      t.add(p.addresses(), 64, REQUESTS / 8, 16, p.writeEvery());
    }
    t.run(Time.MS);
    // keep the device running idle until several refresh intervals have passed
    long refi = cfg.timing().clock().ticks(cfg.timing().get(TimingParam.REFI));
    t.sim.run(Simulator.StopAt.time(Math.max(t.sim.now(), 4 * refi)));
    t.hbm.catchUpRefresh(); // an idle controller issues its refreshes when asked

    JedecLogChecker checker = new JedecLogChecker(cfg.organization(), cfg.timing());
    checker.check(log, t.sim.now(), switch (refresh) {
      case NONE -> JedecLogChecker.RefreshExpectation.NONE;
      case ALL_BANK -> JedecLogChecker.RefreshExpectation.ALL_BANK;
      case PER_BANK -> JedecLogChecker.RefreshExpectation.PER_BANK;
    });
    assertTrue(checker.violations.isEmpty(), String.join("\n", checker.violations));
    assertTrue(checker.pairsChecked > 10 * log.size / 2, "the pairwise check saw few pairs");

    HbmStats s = t.hbm.stats();
    long reads = REQUESTS - REQUESTS / p.writeEvery();
    assertEquals(reads * 2, s.readBursts(), "two bursts per 64 B read");
    assertEquals(s.readBursts(), log.count(HbmCommand.RD));
    assertEquals(s.writeBursts(), log.count(HbmCommand.WR));
    assertEquals(s.activates(), log.count(HbmCommand.ACT));
    assertTrue(log.count(HbmCommand.REFA) + log.count(HbmCommand.REFB) > 0, "no refresh seen");
  }

  /** The checker itself catches violations: feed it hand-made logs that break single rules. */
  @Test
  void checkerRejectsViolations() {
    HbmConfig cfg = small("hbm3");
    HbmTiming t = cfg.timing();
    long tck = t.clock().ticks(1);
    int rcd = t.get(TimingParam.RCD_RD);
    int faw = t.get(TimingParam.FAW);

    CommandLog tooEarlyRead = new CommandLog();
    tooEarlyRead.onCommand(0, 0, 0, 0, 0, 0, 5, -1, HbmCommand.ACT);
    tooEarlyRead.onCommand((rcd - 1) * tck, 0, 0, 0, 0, 0, 5, 0, HbmCommand.RD);
    assertViolation(cfg, tooEarlyRead, "needs " + rcd);

    CommandLog wrongRow = new CommandLog();
    wrongRow.onCommand(0, 0, 0, 0, 0, 0, 5, -1, HbmCommand.ACT);
    wrongRow.onCommand(100 * tck, 0, 0, 0, 0, 0, 6, 0, HbmCommand.RD);
    assertViolation(cfg, wrongRow, "not open");

    CommandLog fiveActs = new CommandLog();
    for (int i = 0; i < 5; i++) {
      // different bank groups, tRRD_S apart: legal pairwise, but five inside tFAW
      fiveActs.onCommand(i * (faw / 4 - 1) * tck, 0, 0, i / 4, i % 4, 0, 1, -1, HbmCommand.ACT);
    }
    assertViolation(cfg, fiveActs, "tFAW");

    CommandLog sameCycle = new CommandLog();
    sameCycle.onCommand(0, 0, 0, 0, 0, 0, 1, -1, HbmCommand.ACT);
    sameCycle.onCommand(tck, 0, 0, 0, 1, 0, 1, -1, HbmCommand.PRE);
    assertViolation(cfg, sameCycle, "PREpb of a closed bank");
  }

  private static void assertViolation(HbmConfig cfg, CommandLog log, String expected) {
    JedecLogChecker checker = new JedecLogChecker(cfg.organization(), cfg.timing());
    checker.check(log, log.time[log.size - 1], JedecLogChecker.RefreshExpectation.NONE);
    assertTrue(checker.violations.stream().anyMatch(v -> v.contains(expected)),
        "expected a violation mentioning '" + expected + "', got " + checker.violations);
  }
}
