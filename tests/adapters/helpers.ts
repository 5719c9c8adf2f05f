/** Shared set-up of the AdapterHub tests: presets built on the transformers release AdapterHub runs on. */
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
