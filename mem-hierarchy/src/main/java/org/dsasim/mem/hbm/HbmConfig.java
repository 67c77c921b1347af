package org.dsasim.mem.hbm;

import java.nio.file.Path;
import java.util.List;

/**
 * A complete HBM device description: organisation, timing and controller behaviour. Presets live
 * in {@code configs/memory/<name>.yaml} (packaged with the simulator); {@link #preset} loads one by
 * name and {@link #load} loads any file in the same format. Every combination is checked on
 * construction: the timing resolves, the mapping and scheduler exist, and the queues can hold
 * the largest request.
 *
 * @param name preset name
 * @param description one line for reports
 * @param organization the device's structure and data rate
 * @param timingSpec the timing parameters as configured (times or cycles)
 * @param controller the per-pseudo-channel controller's behaviour
 */
public record HbmConfig(
    String name,
    String description,
    HbmOrganization organization,
    HbmTimingSpec timingSpec,
    ControllerParams controller) {

  /** The presets shipped in {@code configs/memory/}. */
  public static final List<String> PRESETS =
      List.of("b200", "h100", "h200", "hbm3", "hbm3e", "mi300x");

  public HbmConfig {
    if (organization == null || timingSpec == null || controller == null) {
      throw new IllegalArgumentException("organization, timing and controller must all be given");
    }
    timingSpec.resolve(organization);
    AddressMapping mapping = AddressMappings.create(controller.addressMapping(), organization,
        controller.interleaveBytes());
    Schedulers.create(controller.scheduler());
    int largest = mapping.contiguousBytes() / organization.accessBytes();
    if (controller.readQueue() < largest || controller.writeQueue() < largest) {
      throw new IllegalArgumentException("read_queue and write_queue (" + controller.readQueue()
          + ", " + controller.writeQueue() + " bursts) must hold the largest request: one "
          + mapping.contiguousBytes() + " B block of " + controller.addressMapping() + " is "
          + largest + " bursts");
    }
  }

  /** Loads the preset {@code configs/memory/<name>.yaml} shipped with the simulator. */
  public static HbmConfig preset(String name) {
    return HbmConfigBinding.preset(name);
  }

  /**
   * The {@code hierarchy} section of preset {@code name} (LLC and interconnect keys, bound by the
   * memory-hierarchy builder) as dotted keys; empty if the preset describes the HBM alone.
   */
  public static java.util.Map<String, String> hierarchyKeys(String name) {
    return HbmConfigBinding.hierarchyKeys(name);
  }

  /** Loads a device description from a YAML file (which may extend a preset). */
  public static HbmConfig load(Path file) {
    return HbmConfigBinding.load(file);
  }

  /** The timing in cycles of the command clock. */
  public HbmTiming timing() {
    return timingSpec.resolve(organization);
  }

  /** Peak data bandwidth in bytes per second, from the organisation. */
  public double peakBytesPerSecond() {
    return organization.peakBytesPerSecond();
  }

  public HbmConfig withController(ControllerParams c) {
    return new HbmConfig(name, description, organization, timingSpec, c);
  }

  public HbmConfig withOrganization(HbmOrganization o) {
    return new HbmConfig(name, description, o, timingSpec, controller);
  }

  public HbmConfig withTimingSpec(HbmTimingSpec t) {
    return new HbmConfig(name, description, organization, t, controller);
  }
}
