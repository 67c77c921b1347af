package org.dsasim.mem.hbm;

import java.util.List;
import org.dsasim.core.registry.Registry;

/**
 * The registry of address mappings, by name. Names list the address fields from the most to the
 * least significant, as in Ramulator: Ro row, Ba bank (with SID above it), Bg bank group, Co
 * column, Ch channel (over all stacks), Pc pseudo-channel. Below all of them lies the byte offset
 * within one access granule.
 *
 * <ul>
 *   <li>{@code RoBaCoBgChPc}: bandwidth-oriented. The lowest column bits form an interleave chunk
 *       ({@code interleave} bytes, 256 B by default) just above the granule offset; consecutive
 *       chunks go to consecutive pseudo-channels, then channels, then bank groups, so a
 *       sequential stream spreads over every pseudo-channel and alternates bank groups within
 *       each (tCCD_S instead of tCCD_L), and returns to the same open rows for the remaining
 *       column bits. Layout, low to high: offset | column low | Pc | Ch | Bg | column high |
 *       bank | SID | row.
 *   <li>{@code RoBaCoBgChPcXor}: the same fields, then permutation-based interleaving: bank group
 *       and bank are XOR-ed with the low row bits, and the pseudo-channel index is rotated by a
 *       hash of all bits above it (a rotation keeps the mapping a bijection for pseudo-channel
 *       counts that are not powers of two, such as 5 or 6 stacks). Power-of-two strides then no
 *       longer pile onto one pseudo-channel or bank. Needs power-of-two bank groups and banks.
 *   <li>{@code RoChBaCo}: naive. A whole row is contiguous, then bank group, bank and SID, then
 *       the pseudo-channel and channel, then the row. A sequential stream stays in one
 *       pseudo-channel for {@code rowBytes x banks} bytes (32 KiB for HBM3), so it sees one
 *       pseudo-channel's bandwidth at a time.
 * </ul>
 */
public final class AddressMappings {
  private AddressMappings() {}

  /** Builds a mapping for a device; {@code interleaveBytes} is used by the chunked mappings. */
  @FunctionalInterface
  public interface Factory {
    AddressMapping create(HbmOrganization org, int interleaveBytes);
  }

  private static final Registry<Factory> REGISTRY = new Registry<>("address mapping");

  static {
    register("RoBaCoBgChPc", (org, chunk) -> FieldMapping.interleaved("RoBaCoBgChPc", org, chunk,
        false));
    register("RoBaCoBgChPcXor", (org, chunk) -> FieldMapping.interleaved("RoBaCoBgChPcXor", org,
        chunk, true));
    register("RoChBaCo", (org, chunk) -> FieldMapping.rowContiguous("RoChBaCo", org));
  }

  /** Adds a mapping under {@code name}; later lookups by that name build it. */
  public static void register(String name, Factory factory) {
    REGISTRY.register(name, factory);
  }

  /** The registered names, in registration order. */
  public static List<String> names() {
    return REGISTRY.names();
  }

  /** The mapping called {@code name} for {@code org}. */
  public static AddressMapping create(String name, HbmOrganization org, int interleaveBytes) {
    return REGISTRY.get(name).create(org, interleaveBytes);
  }
}
