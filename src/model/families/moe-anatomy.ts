/**
 * How the mixture-of-experts families declare their anatomy (../anatomy.ts): each family says, per layer
 * index, which attention (or Mamba / linear-attention mixer), dense FFN or experts block the layer has, with
 * the relative paths it registers them under; these helpers make the pieces and attach the model-level parts
 * (embedding, final norm, the task head the head builder added: every module outside the backbone prefix).
 * Identical layers share one LayerAnatomy object (memoised by the caller's key).
 */
import type { AttentionAnatomy, ExpertsAnatomy, FeedForwardAnatomy, LayerAnatomy } from "../anatomy.js";
import type { Inventory } from "../types.js";

/** Attention with separate q / k / v / o projections under `block` (names inside the block). */
export function qkvoAttention(
  block: string,
  heads: number,
  kvHeads: number,
  headDim: number,
  names: readonly [string, string, string, string] = ["q_proj", "k_proj", "v_proj", "o_proj"],
): AttentionAnatomy {
  const [q, k, v, o] = names;
  return { block, q: `${block}.${q}`, k: `${block}.${k}`, v: `${block}.${v}`, o: `${block}.${o}`, heads, kvHeads, headDim };
}

/** A gated (SwiGLU) MLP under `block`: gate + up in, down out. */
export function gatedFfn(block: string, intermediateSize: number, names: readonly [string, string, string] = ["gate_proj", "up_proj", "down_proj"]): FeedForwardAnatomy {
  const [g, u, d] = names;
  return { block, in: [`${block}.${g}`, `${block}.${u}`], out: `${block}.${d}`, intermediateSize };
}

/** A MoE block: router, routed experts (fused module or per-expert modules under it), shared experts. */
export function expertsBlock(block: string, router: string, numExperts: number, perToken: number, shared?: readonly string[], routed = "experts"): ExpertsAnatomy {
  return {
    block,
    router: `${block}.${router}`,
    routed: `${block}.${routed}`,
    numExperts,
    perToken,
    ...(shared && shared.length > 0 ? { shared: shared.map((s) => `${block}.${s}`) } : {}),
  };
}

/** Memoises layer objects by a key, so identical layers share one object. */
export function layerCache(): (key: string, make: () => LayerAnatomy) => LayerAnatomy {
  const seen = new Map<string, LayerAnatomy>();
  return (key, make) => {
    let l = seen.get(key);
    if (!l) seen.set(key, (l = make()));
    return l;
  };
}

/**
 * The finished inventory with its anatomy: one decoder stack at `inv.layersPath`, `layer(i)` for each of
 * `dims.numHiddenLayers` layers, `finalNorm` relative to the backbone prefix (`norm`, `norm_f`).
 */
export function withDecoderAnatomy(inv: Inventory, layer: (i: number) => LayerAnatomy, finalNorm: string): Inventory {
  const layersPath = inv.layersPath!;
  const embed = inv.inputEmbeddings;
  const prefix = embed.includes(".") ? embed.slice(0, embed.lastIndexOf(".") + 1) : "";
  const head = prefix === "" ? [] : inv.modules.filter((m) => !m.name.startsWith(prefix)).map((m) => m.name);
  const norm = `${prefix}${finalNorm}`;
  return {
    ...inv,
    anatomy: {
      hiddenSize: inv.dims.hiddenSize,
      vocabSize: inv.dims.vocabSize,
      stacks: [
        {
          role: "decoder",
          layersPath,
          layers: Array.from({ length: inv.dims.numHiddenLayers }, (_, i) => layer(i)),
          ...(inv.modules.some((m) => m.name === norm) ? { finalNorm: norm } : {}),
        },
      ],
      embeddings: [embed],
      head,
    },
  };
}
