/** Shape edits shared by the transforms: resize a Linear / Conv1D, rescale a per-width vector, group digits. */
import { InputError } from "../../errors.js";
import type { LinearModule, ParamModule } from "../types.js";
import { totalParams } from "../types.js";
import type { Inventory } from "../types.js";

/** A Linear (weight [out, in]) or Conv1D (weight [in, out]) with new features; bias [out]. */
export function resizeLinear(m: ParamModule, inFeatures: number, outFeatures: number, transform: string): LinearModule {
  if (m.kind !== "linear" && m.kind !== "conv1d")
    throw new InputError("UNSUPPORTED_TRANSFORM", `${transform}: ${m.name} (${m.className}) is not a Linear layer`, `apply ${transform} before transforms that replace projections`);
  const oldWeight = m.kind === "conv1d" ? [m.inFeatures, m.outFeatures] : [m.outFeatures, m.inFeatures];
  const params = m.params.map((p) => {
    if (p.name === "weight" && p.shape.length === 2 && p.shape[0] === oldWeight[0] && p.shape[1] === oldWeight[1])
      return { ...p, shape: m.kind === "conv1d" ? [inFeatures, outFeatures] : [outFeatures, inFeatures] };
    if (p.name === "bias" && p.shape.length === 1 && p.shape[0] === m.outFeatures) return { ...p, shape: [outFeatures] };
    throw new InputError("UNSUPPORTED_TRANSFORM", `${transform}: cannot resize ${m.name}.${p.name} [${p.shape.join(", ")}]`, "this module's parameters do not follow its features");
  });
  return { ...m, inFeatures, outFeatures, params };
}

/** Every 1-D parameter of width `from` becomes width `to` (per-width norms such as OLMo-2's q_norm). */
export function resizeVectors(m: ParamModule, widths: ReadonlyMap<number, number>): ParamModule {
  let changed = false;
  const params = m.params.map((p) => {
    const to = p.shape.length === 1 ? widths.get(p.shape[0]!) : undefined;
    if (to === undefined || to === p.shape[0]) return p;
    changed = true;
    return { ...p, shape: [to] };
  });
  return changed ? { ...m, params } : m;
}

/** 1234567 → "1,234,567" (fixed, locale-free: the model layer cannot use the renderer's formatter) */
export function digits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** [0,1,2,5,7,8] → "0-2, 5, 7-8" */
export function rangesText(indices: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length; ) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j]! + 1) j++;
    parts.push(i === j ? `${indices[i]}` : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return parts.join(", ");
}

/** "a → b parameters" of a transformed inventory against the original. */
export function totalsText(before: Inventory, after: readonly ParamModule[]): string {
  return `${digits(totalParams(before.modules))} → ${digits(totalParams(after))} parameters`;
}

/** The inventory with some modules replaced (same order), the others kept as they are. */
export function replaceModules(inv: Inventory, edits: ReadonlyMap<string, ParamModule>): ParamModule[] {
  return inv.modules.map((m) => edits.get(m.name) ?? m);
}
