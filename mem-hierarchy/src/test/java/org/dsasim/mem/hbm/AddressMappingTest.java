package org.dsasim.mem.hbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressMappingTest {
  /** 3 stacks x 2 channels x 2 PCs (12, not a power of two), 2 SIDs, 4 x 4 banks, 6 rows. */
  private static final HbmOrganization SMALL =
      new HbmOrganization(3, 2, 2, 2, 4, 4, 6, 32, 32, 8, 4, 6.4e9);

  @Test
  void everyMappingIsABijectionOverTheWholeDevice() {
    for (String name : AddressMappings.names()) {
      AddressMapping m = AddressMappings.create(name, SMALL, 256);
      Set<Long> seen = new HashSet<>();
      long granules = SMALL.capacityBytes() / SMALL.accessBytes();
      for (long g = 0; g < granules; g++) {
        long a = g * SMALL.accessBytes();
        int pc = m.pseudoChannel(a);
        int bank = m.bank(a);
        int row = m.row(a);
        int col = m.column(a);
        assertTrue(pc >= 0 && pc < SMALL.pseudoChannels(), name + " pc " + pc);
        assertTrue(bank >= 0 && bank < SMALL.banksPerPseudoChannel(), name + " bank " + bank);
        assertTrue(row >= 0 && row < SMALL.rows(), name + " row " + row);
        assertTrue(col >= 0 && col < SMALL.columns(), name + " column " + col);
        long key = ((((long) pc * SMALL.banksPerPseudoChannel() + bank) * SMALL.rows() + row)
            * SMALL.columns()) + col;
        assertTrue(seen.add(key), name + ": two granules map to the same place, at " + a);
      }
      assertEquals(granules, seen.size());
    }
  }

  @Test
  void addressesBeyondTheCapacityWrapAround() {
    for (String name : AddressMappings.names()) {
      AddressMapping m = AddressMappings.create(name, SMALL, 256);
      long a = 12_345 * 32L;
      long b = a + 3 * SMALL.capacityBytes();
      assertEquals(m.pseudoChannel(a), m.pseudoChannel(b), name);
      assertEquals(m.bank(a), m.bank(b), name);
      assertEquals(m.row(a), m.row(b), name);
      assertEquals(m.column(a), m.column(b), name);
    }
  }

  @Test
  void blocksOfContiguousBytesStayInOneRow() {
    for (String name : AddressMappings.names()) {
      AddressMapping m = AddressMappings.create(name, SMALL, 512);
      int block = m.contiguousBytes();
      for (long base = 0; base < 64L * block; base += block) {
        for (int off = 32; off < block; off += 32) {
          assertEquals(m.pseudoChannel(base), m.pseudoChannel(base + off), name);
          assertEquals(m.bank(base), m.bank(base + off), name);
          assertEquals(m.row(base), m.row(base + off), name);
          assertEquals(m.column(base) + off / 32, m.column(base + off), name);
        }
      }
    }
  }

  /** The documented layout, low to high: offset | col low | Pc | Ch | Bg | col high | bank | SID | row. */
  @Test
  void interleavedLayoutIsAsDocumented() {
    AddressMapping m = AddressMappings.create("RoBaCoBgChPc", SMALL, 256);
    assertEquals(256, m.contiguousBytes());
    int pcs = SMALL.pseudoChannels();
    for (long a = 0; a < SMALL.capacityBytes(); a += 32 * 7) {
      long chunk = a / 256;
      long pcAndChannel = chunk % pcs;
      long bg = chunk / pcs % 4;
      long colHigh = chunk / pcs / 4 % 4;
      long bank = chunk / pcs / 16 % 4;
      long sid = chunk / pcs / 64 % 2;
      long row = chunk / pcs / 128;
      assertEquals(pcAndChannel, m.pseudoChannel(a), "pc of " + a);
      assertEquals((sid * 4 + bg) * 4 + bank, m.bank(a), "bank of " + a);
      assertEquals(row, m.row(a), "row of " + a);
      assertEquals(colHigh * 8 + a % 256 / 32, m.column(a), "column of " + a);
    }
  }

  @Test
  void consecutiveChunksAlternateBankGroupsWithinAPseudoChannel() {
    AddressMapping m = AddressMappings.create("RoBaCoBgChPc", SMALL, 256);
    int pcs = SMALL.pseudoChannels();
    int banksPerSid = SMALL.bankGroups() * SMALL.banksPerGroup();
    for (int k = 0; k < 8; k++) {
      long a = (long) k * pcs * 256; // the k-th chunk to pseudo-channel 0
      assertEquals(0, m.pseudoChannel(a));
      assertEquals(k % 4, m.bank(a) % banksPerSid / SMALL.banksPerGroup(), "bank group");
    }
  }

  @Test
  void naiveMappingKeepsWholeBanksOfRowsInOnePseudoChannel() {
    AddressMapping m = AddressMappings.create("RoChBaCo", SMALL, 256);
    assertEquals(SMALL.rowBytes(), m.contiguousBytes());
    long perPc = (long) SMALL.rowBytes() * SMALL.banksPerPseudoChannel();
    for (long a = 0; a < 4 * perPc; a += 64) {
      assertEquals(a / perPc % SMALL.pseudoChannels(), m.pseudoChannel(a));
    }
  }

  @Test
  void hashedMappingBalancesEveryRoundOfChunksAndSpreadsStrides() {
    HbmOrganization hbm3 = HbmConfig.preset("hbm3").organization();
    AddressMapping plain = AddressMappings.create("RoBaCoBgChPc", hbm3, 256);
    AddressMapping hashed = AddressMappings.create("RoBaCoBgChPcXor", hbm3, 256);
    int pcs = hbm3.pseudoChannels();
    // each aligned run of one chunk per pseudo-channel still covers every pseudo-channel once
    for (long round = 0; round < 200; round++) {
      Set<Integer> seen = new HashSet<>();
      for (int k = 0; k < pcs; k++) {
        seen.add(hashed.pseudoChannel((round * pcs + k) * 256));
      }
      assertEquals(pcs, seen.size(), "round " + round);
    }
    // a stride of one full round lands on one pseudo-channel without hashing, many with it
    long stride = 256L * pcs;
    Set<Integer> plainPcs = new HashSet<>();
    Set<Integer> hashedPcs = new HashSet<>();
    for (int i = 0; i < 256; i++) {
      plainPcs.add(plain.pseudoChannel(i * stride));
      hashedPcs.add(hashed.pseudoChannel(i * stride));
    }
    assertEquals(1, plainPcs.size());
    assertTrue(hashedPcs.size() > pcs / 2, "hashed stride reached " + hashedPcs.size());
    // a stride of one row of the device: one bank without hashing, spread with it
    long rowStride = (long) pcs * hbm3.banksPerPseudoChannel() * hbm3.rowBytes();
    Set<Integer> plainBanks = new HashSet<>();
    Set<Integer> hashedBanks = new HashSet<>();
    for (int i = 0; i < 64; i++) {
      plainBanks.add(plain.bank(i * rowStride));
      hashedBanks.add(hashed.pseudoChannel(i * rowStride) * 64 + hashed.bank(i * rowStride));
    }
    assertEquals(1, plainBanks.size());
    assertTrue(hashedBanks.size() > 16, "hashed row stride reached " + hashedBanks.size());
  }

  @Test
  void badInterleaveIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> AddressMappings.create("RoBaCoBgChPc", SMALL, 48));
    assertThrows(IllegalArgumentException.class,
        () -> AddressMappings.create("RoBaCoBgChPc", SMALL, 96 * 32));
    String m = assertThrows(IllegalArgumentException.class,
        () -> AddressMappings.create("RoRo", SMALL, 256)).getMessage();
    assertTrue(m.contains("RoRo") && m.contains("RoChBaCo"), m);
  }
}
