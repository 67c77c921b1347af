package org.dsasim.accel.decode;

import org.dsasim.accel.config.AccelKeys;
import org.dsasim.core.config.Config;
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

  /** Reads the {@code model.*} keys. */
  public static ModelSpec from(Config c) {
    return new ModelSpec(
        c.get(AccelKeys.MODEL_NAME),
        c.get(AccelKeys.MODEL_ATTENTION).equals("mla"),
        c.get(AccelKeys.MODEL_LAYERS),
        c.get(AccelKeys.MODEL_LAYERS_PER_GPU),
        c.get(AccelKeys.MODEL_DENSE_LAYERS),
        c.get(AccelKeys.MODEL_DIM),
        c.get(AccelKeys.MODEL_HEADS),
        c.get(AccelKeys.MODEL_KV_HEADS),
        c.get(AccelKeys.MODEL_HEAD_DIM),
        c.get(AccelKeys.MODEL_Q_LORA),
        c.get(AccelKeys.MODEL_KV_LORA),
        c.get(AccelKeys.MODEL_QK_NOPE),
        c.get(AccelKeys.MODEL_QK_ROPE),
        c.get(AccelKeys.MODEL_V_HEAD),
        c.get(AccelKeys.MODEL_INDEX_HEADS),
        c.get(AccelKeys.MODEL_INDEX_DIM),
        c.get(AccelKeys.MODEL_TOPK),
        (int) (long) c.get(AccelKeys.MODEL_ENTRY_BYTES),
        (int) (long) c.get(AccelKeys.MODEL_INDEX_KEY_BYTES),
        c.get(AccelKeys.MODEL_WEIGHT_BYTES),
        c.get(AccelKeys.MODEL_DENSE_INTER),
        c.get(AccelKeys.MODEL_EXPERTS),
        c.get(AccelKeys.MODEL_ACTIVE_EXPERTS),
        c.get(AccelKeys.MODEL_SHARED_EXPERTS),
        c.get(AccelKeys.MODEL_MOE_INTER),
        c.get(AccelKeys.MODEL_TP),
        c.get(AccelKeys.MODEL_EP));
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
