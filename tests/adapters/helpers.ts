/** Shared set-up of the AdapterHub tests: presets built on the transformers release AdapterHub runs on. */
import { readFileSync } from "node:fs";
import { resolveAdapterHub } from "../../src/adapters/resolve.js";
import { InputError } from "../../src/errors.js";
import { countAdapterHub, type AdapterHubCountOptions } from "../../src/adapters/count.js";
import { chooseAdapterHubContext } from "../../src/adapters/versions.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import type { Task } from "../../src/model/tasks.js";
import type { Inventory } from "../../src/model/types.js";

/** adapters 1.2.0 on transformers 4.57.6 */
export const HUB12 = chooseAdapterHubContext({});
/** adapters 1.0.0 on transformers 4.43.3 */
export const HUB10 = chooseAdapterHubContext({ adapters: "1.0.0" });

const cache = new Map<string, Inventory>();
export function hubInventory(preset: string, task?: Task, ctx = HUB12): Inventory {
  const key = `${preset}/${task}/${ctx.transformers.join(".")}`;
  let inv = cache.get(key);
  if (!inv) {
    inv = buildInventory(findPreset(preset)!.config, { task, transformers: ctx.transformers });
    cache.set(key, inv);
  }
  return inv;
}

/** trainable parameters after train_adapter() */
export function hubTrainable(preset: string, config: unknown, o: { task?: Task; ctx?: typeof HUB12 } & AdapterHubCountOptions = {}): number {
  const ctx = o.ctx ?? HUB12;
  return countAdapterHub(hubInventory(preset, o.task ?? "FEATURE_EXTRACTION", ctx), config, ctx, o).trainable;
}

/** a SeqBnConfig dict with overrides (AdapterHub key names) */
export const seqBn = (o: Record<string, unknown> = {}) => ({ mh_adapter: false, output_adapter: true, reduction_factor: 16, non_linearity: "relu", original_ln_before: true, ...o });

/** The AdapterHub golden vectors of both eras (adapters 1.2.0 main + transformers 4.57.6; adapters 1.0.0 + transformers 4.43.3). */
export interface HubVector {
  id: string;
  task: Task;
  versions?: { adapters?: string; transformers?: string };
  model: Record<string, unknown> & { model_type: string };
  adapter: Record<string, unknown>;
  expected: { trainableParams: number; allParams: number; baseParams: number };
}

const load = (file: string) => JSON.parse(readFileSync(new URL(file, import.meta.url), "utf8")) as HubVector[];

/** false when a config of the vector names a method peftcount does not count yet */
export function registered(v: HubVector): boolean {
  try {
    resolveAdapterHub(v.adapter);
    return true;
  } catch (e) {
    return !(e instanceof InputError && /not counted by peftcount yet/.test(e.message));
  }
}

export const ADAPTERHUB_ERAS = [
  ["adapters 1.2.0 + transformers 4.57.6", load("../golden/adapters.json")],
  ["adapters 1.0.0 + transformers 4.43.3", load("../golden/vectors.json").filter((v) => typeof v.adapter["peft_type"] !== "string")],
] as const;

