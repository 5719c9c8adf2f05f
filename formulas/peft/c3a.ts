/**
 * C3A (Chen et al. 2024): each wrapped Linear's update is a grid of circulant blocks, each defined by one
 * length-b kernel: `c3a_kernel` = (d_out / b) × (d_in / b) × b = d_in·d_out / b per module, b dividing both
 * widths. b per module: the first `block_size_pattern` key K with `.*\.K$` matching the module name (dict
 * order), else the full module name as a key, else `block_size`. The config has no `exclude_modules`.
 * Same in peft 0.17.1 to 0.21.0.
 * @see peft src/peft/tuners/c3a/layer.py `C3ALayer.update_layer`, model.py `_create_and_replace`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory, type ParamModule } from "../../src/model/types.js";
import { C3A_TARGETS } from "../../src/peft/default-targets.js";
import { fourierPatternValue } from "../../src/peft/pattern-keys.js";
import { checkLayerKeys, LAYERS_PATTERN, LAYERS_TO_TRANSFORM, MODULES_TO_SAVE, TARGET_MODULES, TASK_TYPE } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

const blockSize = z.int().check(z.positive());

export const c3aOptionsSchema = lazySchema(() => z.object({
  block_size: describe(z._default(blockSize, 256), "circulant block size b; must divide every targeted layer's input and output widths"),
  block_size_pattern: describe(z._default(z.nullable(z.record(z.string(), blockSize)), {}), "block size per module-name pattern"),
  init_weights: describe(z._default(z.nullable(z.union([z.boolean(), z.enum(["gaussian", "kaiming_uniform", "xavier_uniform"])])), "xavier_uniform"), "kernel initialisation (no effect on the count)"),
  bias: describe(z._default(z.enum(["none", "all", "c3a_only"]), "none"), "which biases train: none, all, c3a_only (those of wrapped layers)"),
  // C3AConfig has no exclude_modules (PEFT ignores one in an adapter_config.json)
  target_modules: TARGET_MODULES,
  layers_to_transform: LAYERS_TO_TRANSFORM,
  layers_pattern: LAYERS_PATTERN,
  modules_to_save: MODULES_TO_SAVE,
  task_type: TASK_TYPE,
}));
export type C3aOptions = z.output<typeof c3aOptionsSchema>;

export function countC3a(inv: Inventory, o: C3aOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  checkLayerKeys("c3a", o, ctx);
  const perModule = (m: ParamModule, add: (param: string, count: number) => void) => {
    const b = fourierPatternValue(o.block_size_pattern, m.name, "block_size_pattern") ?? o.block_size;
    for (const [side, width] of [["input", featuresOf(m).inFeatures], ["output", featuresOf(m).outFeatures]] as const)
      if (width % b !== 0)
        throw new InputError("OPTION_OUT_OF_RANGE", `c3a: block size ${b} does not divide the ${side} width ${width} of ${m.name} (PEFT refuses it)`, "choose a block_size (or block_size_pattern entry) dividing both widths of every targeted layer");
    add("c3a_kernel", (featuresOf(m).outFeatures / b) * featuresOf(m).inFeatures);
  };
  return wrapModules(inv, o, { method: "c3a", defaults: C3A_TARGETS, wrappable: ["linear"], perModule }, ctx);
}

export const c3a = {
  id: "c3a",
  title: "C3A",
  paper: "arXiv:2407.19342",
  peftType: "C3A",
  expression: "Σ_targets d_in · d_out / b  (b = block_size, per-module block_size_pattern)",
  schema: c3aOptionsSchema,
  count: countC3a,
  compact: indexFree,
} as const satisfies Formula<typeof c3aOptionsSchema>;
