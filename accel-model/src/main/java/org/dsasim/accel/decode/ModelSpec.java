package org.dsasim.accel.decode;

import org.dsasim.accel.config.Settings;
import org.dsasim.core.UserInputException;

/**
 * The shape of a DSA model as decode sees it: per layer, the bytes and FLOPs of the indexer, the
 * sparse attention over the selected tokens, and the weights, on one GPU of a deployment with
 * tensor- and expert-parallel degrees.
 *
 * <p>Attention is either MLA (DeepSeek: a compressed latent of {@code kvLoraRank} plus a rotary
 * part per token, attended in absorbed form by all heads) or GQA (LLaMA: {@code kvHeads} keys and
 * values of {@code headDim} per token).
 */
public record ModelSpec(
    String name,
    boolean mla,
    int layers,
    int layersPerGpu,
    int denseLayers,
    int dim,
    int heads,
    int kvHeads,
    int headDim,
    int qLoraRank,
    int kvLoraRank,
    int qkNopeHeadDim,
    int qkRopeHeadDim,
    int vHeadDim,
    int indexHeads,
    int indexHeadDim,
    int topk,
    int entryBytes,
    int indexKeyBytes,
    int pageTokens,
    int weightBytes,
    int denseInterDim,
    int experts,
    int activeExperts,
    int sharedExperts,
    int moeInterDim,
    int tensorParallel,
    int expertParallel) {

  public ModelSpec {
    if (layers < 1 || layersPerGpu < 1 || layersPerGpu > layers || topk < 1 || entryBytes < 1
        || heads < 1 || dim < 1 || tensorParallel < 1 || expertParallel < 1
        || denseLayers < 0 || denseLayers > layers) {
      throw new UserInputException("model '" + name + "': layers, layers_per_gpu (<= layers), "
          + "topk, entry_bytes, heads, dim and the parallel degrees must be positive");
    }
  }

  /** Reads the model keys (a {@code configs/models/*.yaml} preset, under {@code model.}). */
  public static ModelSpec from(Settings s, String prefix) {
    String p = prefix.isEmpty() ? "" : prefix + ".";
    String attention = s.string(p + "attention");
    boolean mla = switch (attention) {
      case "mla" -> true;
      case "gqa" -> false;
      default -> throw s.bad(p + "attention", "mla or gqa");
    };
    int layers = s.integer(p + "layers");
    return new ModelSpec(
        s.string(p + "name"),
        mla,
        layers,
        s.integer(p + "layers_per_gpu", layers),
        s.integer(p + "dense_layers", layers),
        s.integer(p + "dim"),
        s.integer(p + "heads"),
        s.integer(p + "kv_heads", 1),
        s.integer(p + "head_dim", 128),
        s.integer(p + "q_lora_rank", 0),
        s.integer(p + "kv_lora_rank", 0),
        s.integer(p + "qk_nope_head_dim", 0),
        s.integer(p + "qk_rope_head_dim", 0),
        s.integer(p + "v_head_dim", 0),
        s.integer(p + "index_heads"),
        s.integer(p + "index_head_dim"),
        s.integer(p + "topk"),
        s.integer(p + "entry_bytes"),
        s.integer(p + "index_key_bytes"),
        s.integer(p + "page_tokens", 64),
        s.integer(p + "weight_bytes"),
        s.integer(p + "dense_inter_dim", s.integer(p + "ffn_dim", 0)),
        s.integer(p + "experts", 0),
        s.integer(p + "active_experts", 0),
        s.integer(p + "shared_experts", 0),
        s.integer(p + "moe_inter_dim", 0),
        s.integer(p + "tensor_parallel", 1),
        s.integer(p + "expert_parallel", 1));
  }

  /** Indexer FLOPs per cached token per decode token (one query against one key). */
  public double indexerFlopsPerKey() {
    return 2.0 * indexHeads * indexHeadDim;
  }

  /** Attention FLOPs per selected token per decode token, on this GPU (heads split by TP). */
  public double attentionFlopsPerToken() {
    double h = (double) heads / tensorParallel;
    if (mla) {
      // absorbed MLA: scores over latent + rope, then the value-weighted latent sum
      return 2.0 * h * (kvLoraRank + qkRopeHeadDim) + 2.0 * h * kvLoraRank;
    }
    return 4.0 * h * headDim;
  }

  /** Attention projection parameters of one layer (all GPUs together). */
  public double attentionParams() {
    if (mla) {
      double qHead = qkNopeHeadDim + qkRopeHeadDim;
      return (double) dim * qLoraRank + (double) qLoraRank * heads * qHead
          + (double) dim * (kvLoraRank + qkRopeHeadDim)
          + (double) kvLoraRank * heads * (qkNopeHeadDim + vHeadDim)
          + (double) heads * vHeadDim * dim;
    }
    return 2.0 * dim * heads * headDim + 2.0 * dim * kvHeads * headDim;
  }

  /** Indexer projection parameters of one layer (query from the compressed query, key, weights). */
  public double indexerParams() {
    double qIn = qLoraRank > 0 ? qLoraRank : dim;
    return qIn * indexHeads * indexHeadDim + (double) dim * indexHeadDim + (double) dim * indexHeads;
  }

  /** Whether layer {@code l} (0-based) has a dense FFN (DeepSeek's first layers) or MoE. */
  public boolean denseLayer(int l) {
    return experts == 0 || l < denseLayers;
  }

  public double expertParams() {
    return 3.0 * dim * moeInterDim;
  }

  public double denseFfnParams() {
    return 3.0 * dim * denseInterDim;
  }

  /** Distinct routed experts the {@code batch} tokens of a step activate (uniform routing). */
  public double expertsTouched(int batch) {
    if (experts == 0) {
      return 0;
    }
    return experts * (1 - Math.pow(1 - (double) activeExperts / experts, batch));
  }

  /** Weight bytes one GPU streams for layer {@code l} at batch {@code batch}. */
  public double weightBytes(int l, int batch) {
    double attn = (attentionParams() + indexerParams()) / tensorParallel;
    double ffn = denseLayer(l)
        ? denseFfnParams() / tensorParallel
        : sharedExperts * expertParams() / tensorParallel
            + expertsTouched(batch) * expertParams() / expertParallel;
    return (attn + ffn) * weightBytes;
  }

  /** Matrix FLOPs of the weights of layer {@code l} for {@code batch} tokens on one GPU. */
  public double weightFlops(int l, int batch) {
    double attn = (attentionParams() + indexerParams()) / tensorParallel;
    double ffn = denseLayer(l)
        ? denseFfnParams() / tensorParallel
        : (sharedExperts * expertParams()) / tensorParallel
            + (double) activeExperts * expertParams() / expertParallel;
    return 2.0 * batch * (attn + ffn);
  }
}
