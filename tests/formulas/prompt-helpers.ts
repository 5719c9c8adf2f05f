/** Shared by the prompt-learning formula tests: presets per task, both modelled eras, a count that reports what was added. */
import type { Formula } from "../../formulas/types.js";
import { evaluate } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import type { Task } from "../../src/model/tasks.js";
import { totalParams, type Inventory } from "../../src/model/types.js";
import { DEFAULT_VERSIONS, parseVersion, type Versions } from "../../src/versions.js";

/** peft 0.17.1 + transformers 4.43.3 (tests/golden/vectors.json) and the newest (modern.json). */
export const OLD: Versions = { peft: parseVersion("0.17.1", "peft"), transformers: parseVersion("4.43.3", "transformers") };
export const NEW: Versions = DEFAULT_VERSIONS;
export const at = (peft: string, transformers = "5.18.0"): Versions => ({ peft: parseVersion(peft, "peft"), transformers: parseVersion(transformers, "transformers") });

export function preset(id: string, task: Task = "CAUSAL_LM", ctx: Versions = NEW): Inventory {
  return buildInventory(findPreset(id)!.config, { task, transformers: ctx.transformers });
}

/** trainable, what the method added to the model (allParams − base), parts and warnings. */
export function run(formula: Formula, inv: Inventory, raw: Record<string, unknown>, ctx: Versions = NEW) {
  const { breakdown } = evaluate(formula, inv, raw, ctx);
  return { trainable: breakdown.trainable, added: breakdown.allParams - totalParams(inv.modules), parts: breakdown.parts, warnings: breakdown.warnings };
}

/** The parts by name (count only). */
export const partCounts = (parts: readonly { name: string; count: number }[]) => Object.fromEntries(parts.map((p) => [p.name, p.count]));
