/**
 * Model transforms (`--transform "NAME key=value ..."`, repeatable): pure Inventory → Inventory steps applied,
 * in order, before any method counts; the result is a valid inventory (names, kinds, shapes, anatomy), so PEFT's
 * matching and every formula count on it as on a real model of those shapes.
 */
import { didYouMean } from "../../errors.js";
import type { Inventory } from "../types.js";
import { factorize } from "./factorize.js";
import { hash } from "./hash.js";
import { prune } from "./prune.js";
import { share } from "./share.js";
import { parseTransformSpec, TransformSpecError, type TransformSpec } from "./spec.js";
import type { TransformDef } from "./types.js";

export { parseTransformSpec, TransformSpecError, type TransformSpec } from "./spec.js";
export type { TransformDef, TransformOptionDoc } from "./types.js";

export const TRANSFORMS: readonly TransformDef[] = [prune, factorize, share, hash];

export function findTransform(name: string): TransformDef {
  const t = TRANSFORMS.find((x) => x.id === name);
  if (t) return t;
  const ids = TRANSFORMS.map((x) => x.id);
  throw new TransformSpecError("UNKNOWN_TRANSFORM", `unknown transform "${name}"`, `${didYouMean(name, ids)}transforms: ${ids.join(", ")} (see "peftcount transforms")`);
}

/** Applies the transforms in order; each records itself in `transforms` and its summary in `notes`. */
export function applyTransforms(inv: Inventory, specs: readonly (string | TransformSpec)[]): Inventory {
  let out = inv;
  for (const s of specs) {
    const spec = typeof s === "string" ? parseTransformSpec(s) : s;
    const { inv: next, summary } = findTransform(spec.name).apply(out, spec);
    out = { ...next, transforms: [...(out.transforms ?? []), { name: spec.name, text: spec.text, summary }], notes: [...(next.notes ?? []), summary] };
  }
  return out;
}

/** The `transforms --json` listing: every transform's metadata (no functions). */
export interface TransformListing {
  readonly id: string;
  readonly title: string;
  readonly paper: string;
  readonly expression: string;
  readonly exactness: string;
  readonly options: readonly { readonly key: string; readonly text: string; readonly default?: string }[];
}

export function transformListings(): TransformListing[] {
  return TRANSFORMS.map(({ id, title, paper, expression, exactness, options }) => ({ id, title, paper, expression, exactness, options: options.map((o) => ({ ...o })) }));
}
