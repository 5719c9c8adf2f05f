/**
 * The option keys that module-wrapping PEFT configs share (PEFT's own names and defaults), as zod/mini pieces
 * a formula spreads into its schema, and the refusal PEFT's configs apply to them at construction time.
 * Each config class declares only some of them (VeRA has no `exclude_modules`, Lily no `bias`): a formula
 * takes exactly the keys its PEFT config has, so an adapter_config.json parses as PEFT reads it.
 */
import * as z from "zod/mini";
import { EXCLUDE_MODULES, LAYERS_PATTERN, LAYERS_TO_TRANSFORM, MODULES_TO_SAVE, TARGET_MODULES, TASK_TYPE } from "./targeting-schema.js";

export { refuseLayersPatternAlone } from "./layer-checks.js";

function describe<T extends z.ZodMiniType>(schema: T, description: string): T {
  return (schema.clone() as z.ZodMiniType).register(z.globalRegistry, { description }) as unknown as T;
}

export const targetModulesOption = TARGET_MODULES;
export const excludeModulesOption = EXCLUDE_MODULES;
export const layersToTransformOption = LAYERS_TO_TRANSFORM;
export const layersPatternOption = LAYERS_PATTERN;
export const modulesToSaveOption = MODULES_TO_SAVE;
export const taskTypeOption = TASK_TYPE;
export const fanInFanOutOption = describe(z._default(z.boolean(), false), "Conv1D weight layout (no effect on the count)");

/** `bias`: "none", "all" (every parameter named bias) or "<prefix>_only" (biases of the wrapped modules). */
export function biasOption(prefix: string) {
  const values: [string, ...string[]] = ["none", "all", `${prefix}_only`];
  return describe(z._default(z.enum(values), "none"), `which biases train: none, all, ${prefix}_only (those of the wrapped modules)`);
}

/** The keys every config of the shared-tensor family has: where to wrap and what else trains. */
export const TARGETING_KEYS = {
  target_modules: targetModulesOption,
  layers_to_transform: layersToTransformOption,
  layers_pattern: layersPatternOption,
  modules_to_save: modulesToSaveOption,
  task_type: taskTypeOption,
};
