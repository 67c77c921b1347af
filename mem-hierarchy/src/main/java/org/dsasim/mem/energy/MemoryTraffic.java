package org.dsasim.mem.energy;

/**
 * What moved where during a run, the input of {@link EnergyModel}.
 *
 * @param llcReadBytes bytes read out of LLC data arrays
 * @param llcWriteBytes bytes written into them
 * @param interconnectBytes data bytes carried between compute units and slices
 * @param farBytes the part of {@code interconnectBytes} that crossed partitions
 * @param hbmReadBytes bytes read from HBM
 * @param hbmWriteBytes bytes written to HBM
 * @param hbmActivations row activations (from the HBM model; 0 when none is attached)
 */
public record MemoryTraffic(
    long llcReadBytes,
    long llcWriteBytes,
    long interconnectBytes,
    long farBytes,
    long hbmReadBytes,
    long hbmWriteBytes,
    long hbmActivations) {}
