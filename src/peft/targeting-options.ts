/**
 * The option keys that module-wrapping PEFT configs share (PEFT's own names and defaults), as zod/mini pieces
 * a formula spreads into its schema, and the refusal PEFT's configs apply to them at construction time.
 * Each config class declares only some of them (VeRA has no `exclude_modules`, Lily no `bias`): a formula
 * takes exactly the keys its PEFT config has, so an adapter_config.json parses as PEFT reads it.
 */
import * as z from "zod/mini";
import { InputError } from "../errors.js";
import { taskSchema } from "../model/tasks.js";
import { atLeast, type Versions } from "../versions.js";

const nonNegInt = z.int().check(z.nonnegative());
const stringOrList = z.union([z.string(), z.array(z.string())]);

function describe<T extends z.ZodMiniType>(schema: T, description: string): T {
  return (schema.clone() as z.ZodMiniType).register(z.globalRegistry, { description }) as unknown as T;
}

export const targetModulesOption = describe(
  z._default(z.nullable(stringOrList), null),
  'module names (exact or suffix), a regex string, or "all-linear"; null: PEFT\'s default for the model_type',
);
export const excludeModulesOption = describe(z._default(z.nullable(stringOrList), null), "names (suffix) or a regex string never to wrap");
export const layersToTransformOption = describe(z._default(z.nullable(z.union([nonNegInt, z.array(nonNegInt)])), null), "layer indices to adapt");
export const layersPatternOption = describe(z._default(z.nullable(stringOrList), null), "name of the layer list, for layers_to_transform");
export const modulesToSaveOption = describe(z._default(z.nullable(z.array(z.string())), null), "modules trained fully, as a copy");
export const taskTypeOption = describe(z._default(z.nullable(taskSchema), null), "PEFT task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head");
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

/**
 * PEFT configs refuse `layers_pattern` without `layers_to_transform` (`__post_init__` ValueError). Up to
 * peft 0.20 the test was `not layers_to_transform`, so 0 and [] were refused too; peft 0.21 (#3425, "Accept
 * layers_to_transform=0 together with layers_pattern") tests `is None`.
 */
export function refuseLayersPatternAlone(
  method: string,
  o: { readonly layers_pattern?: string | readonly string[] | null; readonly layers_to_transform?: number | readonly number[] | null },
  ctx: Versions,
): void {
  const pattern = o.layers_pattern;
  if (pattern === null || pattern === undefined || pattern.length === 0) return;
  const idx = o.layers_to_transform ?? null;
  const missing = atLeast(ctx.peft, "0.21.0") ? idx === null : idx === null || idx === 0 || (Array.isArray(idx) && idx.length === 0);
  if (missing)
    throw new InputError("CONFLICTING_OPTIONS", `${method}: layers_pattern is set but layers_to_transform is not (PEFT refuses this config)`, "give layers_to_transform the layer indices to adapt, or drop layers_pattern");
}
