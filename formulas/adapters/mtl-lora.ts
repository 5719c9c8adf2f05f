/**
 * AdapterHub `mtl_lora` (MTLLoRAConfig: LoRAConfig + n_up_projection, task_specific_matrix_type,
 * weights_sharpness; adapters src/adapters/methods/lora.py MTLLoRA, since 1.2.0). Placed like LoRA
 * (src/adapters/lora.ts); per wrapped module lora_A r·in, n_up_projection lora_B out·r, the task-specific
 * singular values r and the projection weights n_up_projection (+ a gate with use_gating). Counted for one
 * adapter as `train_adapter` leaves it; sharing across tasks (`share_parameters`) is not modelled.
 * AdapterHub's plugin interfaces (Qwen2) list "lora", not "mtl_lora", so `supports_adapter` refuses it.
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { countLoraFamily } from "../../src/adapters/lora.js";
import { hasMtlLora } from "../../src/adapters/method-releases.js";
import { isInterfaceModel } from "../../src/adapters/support.js";
import type { AdapterHubMethod, AdapterHubNamedConfig } from "../../src/adapters/types.js";
import { InputError } from "../../src/errors.js";
import { formatVersion } from "../../src/versions.js";
import { describe } from "../types.js";
import { loraConfigSchema } from "./lora.js";

const schema = lazySchema(() => z.extend(loraConfigSchema({ intermediate_lora: false, r: 8, alpha: 8, attn_matrices: ["q", "v"], composition_mode: "add", init_weights: "lora" }), {
  n_up_projection: describe(z._default(z.int().check(z.positive()), 1), "up projections (lora_B copies) per module"),
  task_specific_matrix_type: describe(z._default(z.enum(["singular_values", "linear"]), "singular_values"), "task-specific matrix (linear fails in AdapterHub)"),
  weights_sharpness: describe(z._default(z.number(), 0.05), "softmax sharpness of the projection weights (no effect on the count)"),
}));

export const adaptersMtlLora: AdapterHubMethod<typeof schema> = {
  id: "adapters:mtl_lora",
  architecture: "mtl_lora",
  title: "MTL-LoRA (AdapterHub)",
  paper: "https://arxiv.org/abs/2410.09437",
  expression: "Σ wrapped r·in + k·out·r + r + k  (k = n_up_projection)",
  schema,
  count(inv, o, ctx) {
    if (!hasMtlLora(ctx.adapters))
      throw new InputError("METHOD_NOT_IN_RELEASE", `adapters:mtl_lora: adapters ${formatVersion(ctx.adapters)} has no MTL-LoRA (added in 1.2.0)`, "pass --adapters-version 1.2.0");
    if (isInterfaceModel(inv.modelType, ctx))
      throw new InputError("UNSUPPORTED_METHOD", `adapters:mtl_lora: AdapterHub's plugin interface for ${inv.modelType} lists "lora", not "mtl_lora" (add_adapter raises "Adapter config or type ... is not supported by this model")`, "use adapters:lora on this model");
    const { n_up_projection, task_specific_matrix_type } = o;
    return countLoraFamily(inv, { ...o, mtl: { n_up_projection, task_specific_matrix_type } }, ctx, "adapters:mtl_lora");
  },
};

export const MTL_LORA_CONFIG: AdapterHubNamedConfig = { name: "mtl_lora", className: "MTLLoRAConfig", architecture: "mtl_lora", title: "MTL-LoRA: LoRA with task-specific singular values and several up projections", paper: "https://arxiv.org/abs/2410.09437" };
