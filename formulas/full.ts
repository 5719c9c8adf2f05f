/**
 * Full fine-tuning: every parameter of the model as instantiated for the task trains (tied tensors once).
 * The reference row every other method is compared with.
 */
import * as z from "zod/mini";
import { activeParams } from "../src/model/active.js";
import type { Inventory } from "../src/model/types.js";
import { numel, weightOf } from "../src/model/types.js";
import type { ParamBreakdown, Part } from "../src/breakdown.js";
import type { Formula } from "./types.js";

export const fullOptionsSchema = z.object({});

const KIND_LABEL = { embedding: "embeddings", linear: "linear layers", conv1d: "linear layers", norm: "norms", other: "other" } as const;

export function countFullParams(inv: Inventory): ParamBreakdown {
  const sums = new Map<string, { modules: number; count: number }>();
  for (const m of inv.modules) {
    const own = m.params.reduce((s, p) => s + (p.tiedTo === undefined ? numel(p.shape) : 0), 0);
    if (own === 0) continue;
    const label = KIND_LABEL[m.kind];
    const e = sums.get(label) ?? { modules: 0, count: 0 };
    // an entry of a compact inventory stands for weightOf(m) modules
    e.modules += weightOf(m);
    e.count += own * weightOf(m);
    sums.set(label, e);
  }
  const parts: Part[] = [...sums].map(([name, e]) => ({ name, ...e }));
  const trainable = parts.reduce((s, p) => s + p.count, 0);
  const active = activeParams(inv);
  return { trainable, allParams: trainable, parts, warnings: [], ...(active !== undefined ? { activeTrainable: active } : {}) };
}

export const full = {
  id: "full",
  title: "Full fine-tuning",
  paper: "-",
  peftType: null,
  expression: "every parameter of the model (tied tensors once)",
  schema: fullOptionsSchema,
  count: countFullParams,
  compact: () => true,
} as const satisfies Formula<typeof fullOptionsSchema>;
