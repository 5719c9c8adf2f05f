/**
 * PEANuT (arXiv:2410.01870): a small non-linear network of the frozen weight per wrapped Linear. It maps
 * the weight's d_out side down to r (`peanut_A`, r × d_out), through `depth` residual encoder and decoder
 * layers (r × r each), and back up (`peanut_B`, d_out × r), all without bias:
 * 2·r·d_out + 2·depth·r² per module — d_in does not enter. nn.Linear only; PEANuT has no bias option.
 * @see peft src/peft/tuners/peanut/layer.py `update_layer`, config.py `__post_init__`
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { PEANUT_TARGETS } from "../../src/peft/default-targets.js";
import { checkLayerKeys, FULL_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

/** transformers' ACT2FN keys (5.18), which PEANuT's config accepts. */
const ACTIVATIONS = ["gelu", "gelu_10", "gelu_accurate", "gelu_fast", "gelu_new", "gelu_python", "gelu_python_tanh", "gelu_pytorch_tanh", "hardswish", "laplace", "leaky_relu", "linear", "mish", "prelu", "quick_gelu", "relu", "relu2", "relu6", "sigmoid", "silu", "sqrtsoftplus", "swish", "tanh", "xielu"];

export const peanutOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(z.int().check(z.positive()), 32), "width of the adapter network"),
  depth: describe(z._default(nonNegInt, 0), "residual encoder/decoder layer pairs (r × r each)"),
  act_fn: describe(z._default(z.string(), "relu"), "activation, a key of transformers' ACT2FN (no effect on the count)"),
  scaling: describe(z._default(z.number(), 1), "scale of the delta weight (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "zero-initialise peanut_B (no effect on the count)"),
  ...FULL_TARGETING,
}));
export type PeanutOptions = z.output<typeof peanutOptionsSchema>;

export function countPeanut(inv: Inventory, o: PeanutOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  // PEANuT's __post_init__ checks only that layers_pattern comes with layers_to_transform
  checkLayerKeys("peanut", o, ctx, false);
  if (!ACTIVATIONS.includes(o.act_fn))
    throw new InputError("OPTION_OUT_OF_RANGE", `peanut: act_fn "${o.act_fn}" is not an activation transformers knows`, `use one of ${ACTIVATIONS.join(", ")}`);
  return wrapModules(
    inv,
    o,
    {
      method: "peanut",
      defaults: PEANUT_TARGETS,
      wrappable: ["linear"],
      perModule: (m, add) => {
        add("peanut_A", o.r * featuresOf(m).outFeatures);
        if (o.depth > 0) {
          add("peanut_encoders", o.depth * o.r * o.r);
          add("peanut_decoders", o.depth * o.r * o.r);
        }
        add("peanut_B", featuresOf(m).outFeatures * o.r);
      },
    },
    ctx,
  );
}

export const peanut = {
  id: "peanut",
  title: "PEANuT",
  paper: "arXiv:2410.01870",
  peftType: "PEANUT",
  expression: "Σ_targets 2·r·d_out + 2·depth·r²",
  schema: peanutOptionsSchema,
  peftVersions: { since: "0.19.0" },
  count: countPeanut,
  compact: indexFree,
} as const satisfies Formula<typeof peanutOptionsSchema>;
