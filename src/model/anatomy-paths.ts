/**
 * What the literature methods read from a model's anatomy: the Linear projections of every layer (attention q/k/v/o
 * or fused, feed-forward in/out) and every norm, as full paths. Declared by the families (src/model/anatomy.ts),
 * never guessed from names; a model without an anatomy, or whose layers are not attention + FFN, is refused.
 */
import { InputError } from "../errors.js";
import type { Anatomy, LayerAnatomy, StackAnatomy } from "./anatomy.js";
import type { Inventory, ParamModule } from "./types.js";

/** The anatomy, or a clear refusal for a model type whose family does not declare one. */
export function anatomyOf(inv: Inventory, method: string): Anatomy {
  if (inv.anatomy) return inv.anatomy;
  throw new InputError(
    "NO_ANATOMY",
    `${method}: this method places its modules by the model's anatomy (attention, feed-forward, norms), which model_type "${inv.modelType}" does not declare`,
    "use a model type listed by `peftcount models`",
  );
}

/** Relative paths of a layer's Linear projections: attention (self, cross) then feed-forward. */
export function layerLinearPaths(l: LayerAnatomy): string[] {
  const out: string[] = [];
  for (const a of [l.selfAttention, l.crossAttention]) {
    if (!a) continue;
    for (const p of [a.q, a.k, a.v, a.qkv, a.kv]) if (p !== undefined) out.push(p);
    out.push(a.o);
  }
  if (l.ffn) out.push(...l.ffn.in, l.ffn.out);
  return out;
}

export interface LayerRef {
  readonly stack: StackAnatomy;
  readonly index: number;
  readonly layer: LayerAnatomy;
}

export function layersOf(a: Anatomy): LayerRef[] {
  return a.stacks.flatMap((stack) => stack.layers.map((layer, index) => ({ stack, index, layer })));
}

/** The modules of an inventory by full path. */
export function moduleIndex(inv: Inventory): Map<string, ParamModule> {
  return new Map(inv.modules.map((m) => [m.name, m]));
}

/** Every norm module: per layer, final norms, and model-level norms. */
export function allNorms(inv: Inventory, a: Anatomy): ParamModule[] {
  const byName = moduleIndex(inv);
  const names = [
    ...layersOf(a).flatMap(({ stack, index, layer }) => layer.norms.map((n) => `${stack.layersPath}.${index}.${n}`)),
    ...a.stacks.flatMap((s) => (s.finalNorm ? [s.finalNorm] : [])),
    ...(a.norms ?? []),
  ];
  return [...new Set(names)].map((n) => byName.get(n)).filter((m): m is ParamModule => m !== undefined);
}
