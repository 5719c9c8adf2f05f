/**
 * Small helpers the family files use to declare their anatomy (../anatomy.ts) from the same variables
 * they build their modules with: a stack of identical layers, plain multi-head / grouped-query attention
 * with separate projections, and the names of the modules a head-building call registered.
 */
import type { AttentionAnatomy, LayerAnatomy, StackAnatomy } from "../anatomy.js";
import type { ModuleList } from "../builder.js";

/** A stack of `n` identical layers: one shared LayerAnatomy object, as anatomy.ts asks. */
export function uniformStack(role: StackAnatomy["role"], layersPath: string, n: number, layer: LayerAnatomy, finalNorm?: string): StackAnatomy {
  return { role, layersPath, layers: Array.from({ length: n }, () => layer), ...(finalNorm !== undefined ? { finalNorm } : {}) };
}

/**
 * Attention with separate q / k / v / o projections under `block` (layer-relative); `names` are the
 * projection names inside the block, q, k, v, o.
 */
export function separateAttention(block: string, names: readonly [string, string, string, string], heads: number, kvHeads: number, headDim: number): AttentionAnatomy {
  const [q, k, v, o] = names;
  return { block, q: `${block}.${q}`, k: `${block}.${k}`, v: `${block}.${v}`, o: `${block}.${o}`, heads, kvHeads, headDim };
}

/** Attention with one fused q/k/v projection under `block`. */
export function fusedAttention(block: string, qkv: string, o: string, heads: number, kvHeads: number, headDim: number): AttentionAnatomy {
  return { block, qkv: `${block}.${qkv}`, o: `${block}.${o}`, heads, kvHeads, headDim };
}

/** Runs `add` and returns the names of the modules it registered, in order (a task head's modules). */
export function namesAddedBy<T>(list: ModuleList, add: () => T): { result: T; names: string[] } {
  const before = list.modules.length;
  const result = add();
  return { result, names: list.modules.slice(before).map((m) => m.name) };
}
