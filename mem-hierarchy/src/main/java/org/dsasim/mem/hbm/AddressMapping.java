package org.dsasim.mem.hbm;

/**
 * Where a byte address lives: which pseudo-channel, bank, row and column. Implementations are
 * chosen by name through {@link AddressMappings}.
 *
 * <p>Every aligned block of {@link #contiguousBytes()} bytes maps to one pseudo-channel, one bank
 * and one row, on consecutive columns; a request must not cross such a block. Addresses beyond
 * the device's capacity wrap around (the row index is taken modulo the number of rows).
 */
public interface AddressMapping {
  /** The name it is registered under. */
  String name();

  /** Global pseudo-channel index: {@code channel * pseudoChannelsPerChannel + pc}. */
  int pseudoChannel(long addr);

  /** Bank within the pseudo-channel: {@code (sid * bankGroups + bankGroup) * banksPerGroup + bank}. */
  int bank(long addr);

  int row(long addr);

  /** Column (access granule) within the row. */
  int column(long addr);

  /** Size of the aligned blocks that map to one pseudo-channel, bank and row. */
  int contiguousBytes();
}
