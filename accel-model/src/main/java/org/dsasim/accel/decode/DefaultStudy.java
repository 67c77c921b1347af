package org.dsasim.accel.decode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dsasim.core.config.ConfigLoader;

/**
 * The study {@code dsasim run} runs without options: H200, the paper's DSA setting (LLaMA-3.1-70B
 * with DSA, 20 layers per GPU, 4 KiB entries) at top-k 128, a batch of 2 sequences at 64K tokens
 * of context, selections from the {@code dsa} generator with the paper-fitted parameters
 * (configs/workloads/paper-fitted.yaml), without and with a 30 MiB token-LRU reservation.
 *
 * <p>Why these sizes: a token-LRU reservation keeps an entry until a reservation's worth of other
 * entries has been gathered, and the reuse of a DSA selection is mostly from one decode step to
 * the next (0.55 new per step, persistence 1.82 steps, look-back 3.29 steps). Between two uses of a
 * layer's token, every other layer and sequence gathers its own top-k, so a reservation smaller
 * than one step's gathers gets no hits at all. DeepSeek-V3.2 at top-2048 gathers 82 MB per
 * sequence per step over its 61 layers, more than the whole 60 MiB L2; here a step gathers
 * 20 x 128 x 4 KiB x 2 = 20 MiB, and 30 MiB (within the 37.5 MiB the H200 can set aside as
 * persisting L2) holds 1.5 steps of it.
 */
public final class DefaultStudy {
  /** The settings, above the built-in defaults and presets (hardware h200 is the default). */
  public static final Map<String, String> SETTINGS = settings();

  private DefaultStudy() {}

  private static Map<String, String> settings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("model", "llama-3.1-70b-dsa");
    m.put("model.topk", "128");
    m.put("decode.batch", "2");
    m.put("decode.context", "65536");
    m.put("decode.workload", "dsa");
    m.put("decode.workload_params", "paper-fitted");
    m.put("decode.compare_reservation", "30MiB");
    // a reservation of 1.5 steps is in its steady state after 2 steps; 4 leave a margin
    m.put("sim.warmup.steps", "4");
    m.put("sim.stop.steps", "8");
    return Collections.unmodifiableMap(m);
  }

  /** Adds the default study's settings to {@code loader}. */
  public static ConfigLoader apply(ConfigLoader loader) {
    SETTINGS.forEach((k, v) -> loader.set(k, v, "the default study"));
    return loader;
  }
}
