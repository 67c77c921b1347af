package org.dsasim.mem.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dsasim.mem.llc.LlcEnergy;
import org.dsasim.mem.llc.LlcScheme;
import org.dsasim.mem.llc.LlcStats;
import org.dsasim.mem.llc.TrafficClass;
import org.dsasim.mem.testing.Rig;
import org.junit.jupiter.api.Test;

class EnergyModelTest {
  @Test
  void energyIsBitsTimesTheCostOfEachLevel() {
    EnergyParams e = new EnergyParams(0.25, 0.5, 1, 2, 4, 8, 1000);
    Map<String, Number> out = new LinkedHashMap<>();
    EnergyModel.report(e, new MemoryTraffic(10, 20, 30, 5, 40, 50, 3), "energy", out);
    assertEquals(80 * 0.25, out.get("energy.llc_read_pj"));
    assertEquals(160 * 0.5, out.get("energy.llc_write_pj"));
    assertEquals(240 * 1 + 40 * 2.0, out.get("energy.interconnect_pj"));
    assertEquals(320 * 4.0, out.get("energy.hbm_read_pj"));
    assertEquals(400 * 8.0, out.get("energy.hbm_write_pj"));
    assertEquals(3000.0, out.get("energy.hbm_activate_pj"));
    assertEquals(20 + 80 + 320 + 1280 + 3200 + 3000.0, out.get("energy.total_pj"));
  }

  @Test
  void llcTrafficMatchesWhatTheMemoryAndTheRequesterSaw() {
    Rig rig = Rig.simple(Rig.small(2, 4, 2), LlcScheme.none(), null, 1_000);
    long requested = 0;
    long written = 0;
    for (int i = 0; i < 200; i++) {
      rig.cu().read(i % 40 * 128L, 64, TrafficClass.WEIGHTS);
      rig.cu().write(i % 30 * 128L + 64, 32, TrafficClass.OTHER);
      requested += 64;
      written += 32;
    }
    rig.drain();
    MemoryTraffic t = LlcEnergy.traffic(rig.llc.stats(), rig.crossbar, 7);
    assertEquals(rig.memory.readBytes(), t.hbmReadBytes());
    assertEquals(rig.memory.writeBytes(), t.hbmWriteBytes());
    // writes that found every frame of their set locked by a fill went to memory uncached
    long writeThrough = rig.total(LlcStats.WRITE_THROUGH_BYTES);
    assertEquals(requested + rig.memory.writeBytes() - writeThrough, t.llcReadBytes());
    assertEquals(written - writeThrough + rig.memory.readBytes(), t.llcWriteBytes());
    assertEquals(requested + written, t.interconnectBytes());
    assertEquals(7, t.hbmActivations());
  }
}
