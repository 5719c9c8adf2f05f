/**
 * Uni-LoRA: every entry of every wrapped layer's LoRA factors (A: r × d_in, B: d_out × r) is read, through a
 * fixed index and scale, from one shared trainable vector theta_d. So the whole adapter trains exactly
 * `theta_d_length` parameters, created once, however many layers are wrapped and whatever `r` (which sizes
 * the index buffers only; those, like the scales, are buffers: `save_indices` decides whether they are
 * saved, not what counts). Linear and Conv1D only. New in peft 0.20.
 * @see arXiv:2506.00799 (Uni-LoRA) · peft src/peft/tuners/unilora/model.py `_init_unilora_theta_d`, layer.py `update_layer`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { wrapModules } from "../../src/peft/tuner.js";
import { InputError } from "../../src/errors.js";
import type { Inventory } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/peft/apply.js";
import { UNILORA_TARGETS } from "../../src/peft/default-targets.js";
import { biasOption, fanInFanOutOption, TARGETING_KEYS } from "../../src/peft/targeting-options.js";
import { describe, type EvalContext, type Formula } from "../types.js";

const positive = z.int().check(z.positive());

export const uniloraOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(positive, 4), "rank of the virtual LoRA factors (no effect on the count)"),
  theta_d_length: describe(z._default(positive, 256), "length of the one shared trainable vector: the whole count"),
  ...TARGETING_KEYS,
  bias: biasOption("unilora"),
  fan_in_fan_out: fanInFanOutOption,
  proj_seed: describe(z._default(z.int(), 42), "seed of the index assignment (no effect on the count)"),
  unilora_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count)"),
  init_theta_d_bound: describe(z._default(z.number().check(z.positive()), 0.02), "uniform init bound of theta_d (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "initialisation (no effect on the count)"),
  save_indices: describe(z._default(z.boolean(), false), "store the index / scale buffers in the adapter file (no effect on the count)"),
}));
export type UniloraOptions = z.output<typeof uniloraOptionsSchema>;

export function countUniloraParams(inv: Inventory, o: UniloraOptions, ctx: EvalContext): ParamBreakdown {
  // UniLoraConfig.__post_init__: layer selection needs a list of names, not a regex
  if (typeof o.target_modules === "string" && (o.layers_to_transform !== null || o.layers_pattern !== null))
    throw new InputError("CONFLICTING_OPTIONS", `unilora: ${o.layers_to_transform !== null ? "layers_to_transform" : "layers_pattern"} cannot be used when target_modules is a string (PEFT refuses this config)`, "give target_modules as a list of names, or drop the layer selection");
  return wrapModules(
    inv,
    o,
    {
      method: "unilora",
      defaults: UNILORA_TARGETS,
      wrappable: ["linear", "conv1d"],
      perModule() {},
      shared: () => [{ name: "unilora_theta_d", count: o.theta_d_length }],
    },
    ctx,
  );
}

export const unilora = {
  id: "unilora",
  title: "Uni-LoRA",
  paper: "arXiv:2506.00799",
  peftType: "UNILORA",
  expression: "theta_d_length (one shared vector; indices and scales are buffers)",
  schema: uniloraOptionsSchema,
  peftVersions: { since: "0.20.0" },
  count: countUniloraParams,
  compact: indexFree,
} as const satisfies Formula<typeof uniloraOptionsSchema>;
