/**
 * MoE "active" parameters: what one token passes through. Routed experts count top-k / experts
 * (every expert of a layer has the same shape, so the share is exact); shared experts, routers,
 * attention, embeddings and heads count fully.
 */
import { numel, totalParams, type Inventory } from "./types.js";

export function activeShare(routed: number, experts: { readonly perToken: number; readonly total: number }): number {
  // exact when every expert is adapted alike; otherwise the nearest whole parameter (an expected value)
  return Math.round((routed * experts.perToken) / experts.total);
}

/** Parameters used per token; undefined for dense models. */
export function activeParams(inv: Inventory): number | undefined {
  const e = inv.experts;
  if (!e) return undefined;
  let routed = 0;
  for (const m of inv.modules) if (e.pattern.test(m.name)) for (const p of m.params) if (p.tiedTo === undefined) routed += numel(p.shape);
  return totalParams(inv.modules) - routed + activeShare(routed, e);
}
