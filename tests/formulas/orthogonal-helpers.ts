/** Shared by the orthogonal-family tests (OFT, BOFT, HRA, MiSS, Bone, RoAd, PSOFT, C3A): count on a preset, pin the golden vectors. */
import { readFileSync } from "node:fs";
import type { Formula } from "../../formulas/types.js";
import { evaluate } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import type { Task } from "../../src/model/tasks.js";
import { totalParams } from "../../src/model/types.js";
import { parseVersion } from "../../src/versions.js";

export interface Counted {
  trainable: number;
  all: number;
  base: number;
  parts: Record<string, number>;
  warnings: readonly string[];
}

/** Count `formula` on a preset (optionally with config overrides), as PEFT `peft` (default: the newest release). */
export function countOn(formula: Formula, preset: string, options: Record<string, unknown>, at: { task?: Task; peft?: string; transformers?: string; overrides?: Record<string, unknown> } = {}): Counted {
  const config = { ...findPreset(preset)!.config, ...at.overrides };
  const ctx = { peft: parseVersion(at.peft ?? "0.21.0", "peft"), transformers: parseVersion(at.transformers ?? "5.18.0", "transformers") };
  const inv = buildInventory(config, { ...(at.task && { task: at.task }), transformers: ctx.transformers });
  const { breakdown } = evaluate(formula, inv, options, ctx);
  return { trainable: breakdown.trainable, all: breakdown.allParams, base: totalParams(inv.modules), parts: Object.fromEntries(breakdown.parts.map((p) => [p.name, p.count])), warnings: breakdown.warnings };
}

const load = (file: string) =>
  JSON.parse(readFileSync(new URL(`../golden/${file}`, import.meta.url), "utf8").replace(/(?<=[[,:]\s*)(-?Infinity|NaN)(?=\s*[\],}])/g, "null")) as { adapter: { peft_type?: string } }[];

/** How many golden vectors of this peft_type each era has: [peft 0.17.1 file, peft 0.21.0 file]. */
export function goldenVectors(peftType: string): [number, number] {
  return [load("vectors.json"), load("modern.json")].map((vs) => vs.filter((v) => v.adapter.peft_type === peftType).length) as [number, number];
}
