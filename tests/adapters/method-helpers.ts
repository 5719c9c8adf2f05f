/**
 * Runs one AdapterHub method directly (schema, then count) on a preset model, for the method tests. The
 * numbers the tests compare with come from the AdapterHub vectors (../shared/vectors/adapters.json: adapters
 * 1.2.0 main 88f18eb + transformers 4.57.6; reference.json: adapters 1.0.0 + transformers 4.43.3).
 */
import type { AdapterHubContext, AdapterHubMethod, AdapterHubParts } from "../../src/adapters/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import type { Task } from "../../src/model/tasks.js";
import type { Inventory } from "../../src/model/types.js";
import { parseVersion } from "../../src/versions.js";

export const V12: AdapterHubContext = { adapters: parseVersion("1.2.0", "peft"), transformers: parseVersion("4.57.6", "transformers") };
export const V10: AdapterHubContext = { adapters: parseVersion("1.0.0", "peft"), transformers: parseVersion("4.43.3", "transformers") };

const TASKS: Record<string, Task> = { t5: "SEQ_2_SEQ_LM", mt5: "SEQ_2_SEQ_LM", bart: "SEQ_2_SEQ_LM", gpt2: "CAUSAL_LM", llama: "CAUSAL_LM", qwen2: "CAUSAL_LM", mistral: "CAUSAL_LM" };

export function presetInventory(preset: string, ctx: AdapterHubContext = V12, task?: Task): Inventory {
  const config = findPreset(preset)!.config as Record<string, unknown> & { model_type: string };
  return buildInventory(config, { task: task ?? TASKS[config.model_type] ?? "FEATURE_EXTRACTION", transformers: ctx.transformers });
}

export function run(method: AdapterHubMethod, preset: string | Inventory, options: Record<string, unknown> = {}, ctx: AdapterHubContext = V12): AdapterHubParts {
  const inv = typeof preset === "string" ? presetInventory(preset, ctx) : preset;
  return method.count(inv, method.schema.parse(options) as never, ctx);
}

export function total(p: AdapterHubParts): number {
  return p.parts.reduce((s, x) => s + x.count, 0);
}
