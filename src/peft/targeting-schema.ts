/**
 * The option keys PEFT's module-wrapping configs share (`target_modules`, `exclude_modules`,
 * `layers_to_transform`, `layers_pattern`, `modules_to_save`, `task_type`), as zod pieces with PEFT's
 * names and defaults, and the checks their `__post_init__` makes. A config picks the keys it has:
 * SHiRA, BEFT, OSF and Super-Tuning have no exclude / layer keys, so an adapter_config.json holding them
 * leaves them unread, as PEFT does.
 */
import * as z from "zod/mini";
import { taskSchema } from "../model/tasks.js";
import type { Versions } from "../versions.js";
import { refuseLayersPatternAlone, refuseLayersWithRegexTargets } from "./layer-checks.js";

/** Same registry as formulas' `describe` (src/peft may not import formulas): `peftcount schema` shows it. */
export function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  return (schema.clone() as z.ZodMiniType).register(z.globalRegistry, { description }) as unknown as T;
}

const names = z.union([z.string(), z.array(z.string())]);
const layerIndex = z.int().check(z.nonnegative());

export const TARGET_MODULES = described(z._default(z.nullable(names), null), 'module names (exact or suffix), a regex string, or "all-linear"; null: PEFT\'s default for the model_type');
export const EXCLUDE_MODULES = described(z._default(z.nullable(names), null), "names (suffix) or a regex string never to wrap");
export const LAYERS_TO_TRANSFORM = described(z._default(z.nullable(z.union([layerIndex, z.array(layerIndex)])), null), "layer indices to adapt");
export const LAYERS_PATTERN = described(z._default(z.nullable(names), null), "name of the layer list, for layers_to_transform");
export const MODULES_TO_SAVE = described(z._default(z.nullable(z.array(z.string())), null), "modules trained fully, as a copy");
export const TASK_TYPE = described(z._default(z.nullable(taskSchema), null), "PEFT task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head");

/** The keys of configs that have all of them (FourierFT, WaveFT, DeFT, ...). */
export const FULL_TARGETING = {
  target_modules: TARGET_MODULES,
  exclude_modules: EXCLUDE_MODULES,
  layers_to_transform: LAYERS_TO_TRANSFORM,
  layers_pattern: LAYERS_PATTERN,
  modules_to_save: MODULES_TO_SAVE,
  task_type: TASK_TYPE,
};

/** The keys of configs that only name targets and saved modules (SHiRA, BEFT, OSF, Super-Tuning). */
export const BASIC_TARGETING = {
  target_modules: TARGET_MODULES,
  modules_to_save: MODULES_TO_SAVE,
  task_type: TASK_TYPE,
};

export interface LayerKeys {
  readonly target_modules: string | readonly string[] | null;
  readonly layers_to_transform?: number | readonly number[] | null;
  readonly layers_pattern?: string | readonly string[] | null;
}

/**
 * PEFT's `__post_init__` refusals about the layer keys (layer-checks.ts): with a regex `target_modules` neither
 * `layers_to_transform` nor `layers_pattern` may be set (`regexToo`: the configs that check it), and
 * `layers_pattern` needs `layers_to_transform`.
 */
export function checkLayerKeys(method: string, o: LayerKeys, ctx: Versions, regexToo = true): void {
  if (regexToo) refuseLayersWithRegexTargets(method, o, true);
  refuseLayersPatternAlone(method, o, ctx);
}
