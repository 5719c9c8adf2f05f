/**
 * GLoRA (generalized LoRA): W' = W0 + W0 ⊙ A + B and b' = b0 + b0 ⊙ D + E + W0·C, each of A..E
 * parameterised as `lora` (Xd·Xu), `vector`, `constant` (one scalar) or `none` (a buffer of zeros).
 * Per wrapped Linear (out × in) (peft src/peft/tuners/glora/layer.py `GloraLayer.update_layer`):
 * - A and B (config_A_B): lora r·(out + in) each, vector out each, constant 1 each;
 * - C (config_C), only when the layer has a bias: lora r·(in + 1), vector in;
 * - D and E (config_D_E), only when the layer has a bias: vector out each, constant 1 each.
 * Only plain torch `nn.Linear` layers are wrapped (subclasses, Conv1D and embeddings are refused, as PEFT
 * checks `type(layer) is nn.Linear`). GloraConfig has no exclude_modules / layers_to_transform.
 * In PEFT since 0.20.0.
 */
import { indexFree } from "../../src/peft/index-free.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory } from "../../src/model/types.js";
import { taskSchema } from "../../src/model/tasks.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { GLORA_TARGETS } from "../../src/peft/default-targets.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, nonNegInt, stringOrList, type EvalContext, type Formula } from "../types.js";

export const gloraOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(nonNegInt, 8), "rank of the `lora` paths"),
  config_A_B: describe(z._default(z.enum(["lora", "vector", "constant", "none"]), "lora"), "A and B (weight scale and shift): lora, vector, constant or none"),
  config_C: describe(z._default(z.enum(["lora", "vector", "none"]), "lora"), "C (weight-to-bias coupling), on layers with a bias: lora, vector or none"),
  config_D_E: describe(z._default(z.enum(["vector", "constant", "none"]), "constant"), "D and E (bias scale and shift), on layers with a bias: vector, constant or none"),
  target_modules: describe(z._default(z.nullable(stringOrList), null), 'module names (exact or suffix), a regex string, or "all-linear"; null: PEFT\'s default for the model_type'),
  bias: describe(z._default(z.enum(["none", "all", "glora_only"]), "none"), "which biases train: none, all, glora_only"),
  init_weights: describe(z._default(z.boolean(), true), "initialisation (no effect on the count)"),
  modules_to_save: describe(z._default(z.nullable(z.array(z.string())), null), "modules trained fully, as a copy"),
  task_type: describe(z._default(z.nullable(taskSchema), null), "PEFT task type: SEQ_CLS / TOKEN_CLS / QUESTION_ANS also train the head"),
}));
export type GloraOptions = z.output<typeof gloraOptionsSchema>;

/** Parameters of one A / B path of an out × in layer. */
function weightPath(kind: GloraOptions["config_A_B"], r: number, out: number, fin: number): number {
  return kind === "lora" ? r * (out + fin) : kind === "vector" ? out : kind === "constant" ? 1 : 0;
}

export function countGlora(inv: Inventory, o: GloraOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  return wrapModules(inv, o, {
    method: "glora",
    defaults: GLORA_TARGETS,
    wrappable: ["linear"],
    check(wrapped) {
      const odd = wrapped.find((m) => m.className !== "Linear");
      if (odd)
        throw new InputError("UNSUPPORTED_TARGET", `glora: target "${odd.name}" is a ${odd.className}, not a plain torch.nn.Linear, which GLoRA cannot wrap (PEFT refuses it)`, "target plain Linear layers only");
    },
    perModule(m, add) {
      const out = featuresOf(m).outFeatures;
      const fin = featuresOf(m).inFeatures;
      const ab = weightPath(o.config_A_B, o.r, out, fin);
      if (ab > 0) {
        add("glora_A", ab);
        add("glora_B", ab);
      }
      if (!m.params.some((p) => p.name === "bias")) return;
      const c = o.config_C === "lora" ? o.r * (fin + 1) : o.config_C === "vector" ? fin : 0;
      if (c > 0) add("glora_C", c);
      const de = o.config_D_E === "vector" ? out : o.config_D_E === "constant" ? 1 : 0;
      if (de > 0) {
        add("glora_D", de);
        add("glora_E", de);
      }
    },
  }, ctx);
}

export const glora = {
  id: "glora",
  title: "GLoRA",
  paper: "arXiv:2306.07967",
  peftType: "GLORA",
  expression: "Σ_targets 2·[r·(d_in + d_out) | d_out | 1 | 0]  + with a bias: [r·(d_in + 1) | d_in | 0] + 2·[d_out | 1 | 0]",
  schema: gloraOptionsSchema,
  peftVersions: { since: "0.20.0" },
  count: countGlora,
  compact: indexFree,
} as const satisfies Formula<typeof gloraOptionsSchema>;
