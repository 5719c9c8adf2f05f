/**
 * MoE "active" parameters: what one token passes through. Routed experts count top-k / experts
 * (every expert of a layer has the same shape, so the share is exact); shared experts, routers,
 * attention, norms, embeddings and heads count fully.
 *
 * Two conventions, because model cards differ: `withEmbedding` counts the input-embedding matrix (a token
 * reads one row of it, but the matrix is part of the model a token needs), `withoutEmbedding` leaves the
 * input embedding out and keeps the unembedding (`lm_head`); when the two are tied, the one matrix is the
 * unembedding and stays in both. gpt-oss's published "5.1B active" is the second convention; Mixtral's and
 * Qwen's "A3B"-style names the first.
 *
 * Adapter parameters per token (`activeTrainable`): the non-routed trainable parameters plus
 * routed-adapter × k / E. When every expert of a layer is adapted alike (fused 3-D experts, or the same
 * targets on every expert) that product is a whole number; when only some experts carry an adapter it is an
 * expected value over uniform routing, reported as the nearest whole parameter: counts are always integers.
 */
import { listedModules, modelParams } from "./compact.js";
import { numel, weightOf, type Inventory } from "./types.js";

export function activeShare(routed: number, experts: { readonly perToken: number; readonly total: number }): number {
  if (experts.total <= 0) return 0;
  // integer arithmetic first: exact when every expert is adapted alike; otherwise the nearest whole parameter
  const num = routed * experts.perToken;
  return Number.isSafeInteger(num) ? Math.round(num / experts.total) : Math.round((routed / experts.total) * experts.perToken);
}

/** Parameters of the routed experts (every expert, not the per-token share). */
export function routedParams(inv: Inventory): number {
  const e = inv.experts;
  if (!e) return 0;
  let routed = 0;
  // from the compact form when there is one (each entry × the copies it stands for)
  for (const m of listedModules(inv)) if (e.pattern.test(m.name)) for (const p of m.params) if (p.tiedTo === undefined) routed += numel(p.shape) * weightOf(m);
  return routed;
}

/** Parameters used per token, the input embedding included; undefined for dense models. */
export function activeParams(inv: Inventory): number | undefined {
  const e = inv.experts;
  if (!e) return undefined;
  const routed = routedParams(inv);
  return modelParams(inv) - routed + activeShare(routed, e);
}

/** Parameters of the input-embedding matrix that are not also the unembedding (tied): what the second convention leaves out. */
export function inputEmbeddingParams(inv: Inventory): number {
  // the compact form lists the same embedding and ties (never inside a repeated block: builder.ts)
  const modules = listedModules(inv);
  const emb = modules.find((m) => m.name === inv.inputEmbeddings);
  if (!emb) return 0;
  const owned = emb.params.filter((p) => p.tiedTo === undefined);
  const tiedToIt = modules.some((m) => m.params.some((p) => p.tiedTo !== undefined && owned.some((o) => p.tiedTo === `${emb.name}.${o.name}`)));
  if (tiedToIt) return 0;
  return owned.reduce((s, p) => s + numel(p.shape), 0);
}

/** Parameters used per token without the input-embedding lookup (unembedding kept); undefined for dense models. */
export function activeParamsWithoutEmbedding(inv: Inventory): number | undefined {
  const a = activeParams(inv);
  return a === undefined ? undefined : a - inputEmbeddingParams(inv);
}

/** One line stating the convention, for the output. */
export const ACTIVE_CONVENTION =
  "active = everything dense + routers + shared experts + top-k of the routed experts; shown with the input embedding and without it (the unembedding counts in both)";
