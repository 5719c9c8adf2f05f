/**
 * Mixture of LoRA experts, as LoRAMoE (Dou et al. 2023, arXiv:2312.09979) and MixLoRA (Li et al. 2024,
 * arXiv:2404.15159) build it: every targeted Linear gets N LoRA experts (A: r × in, B: out × r each) instead of
 * one, and a router picks the top k of them per token (k = N: LoRAMoE's dense soft routing).
 * - `router="per-module"` (LoRAMoE): one router Linear(in → N, no bias) per adapted Linear;
 * - `router="per-layer"` (MixLoRA): one router Linear(hidden → N, no bias) per decoder layer holding targets,
 *   shared by the layer's adapted projections.
 *   total  = Σ_targets N·r·(in + out) + routers        active per token = Σ_targets k·r·(in + out) + routers
 * Neither method ships in PEFT: targeting follows PEFT's LoRA rules (target_modules, exclude_modules,
 * layers_to_transform, modules_to_save) so the same config reaches the same modules; the base weights stay frozen.
 * On a MoE base model, `activeTrainableParams` counts this adapter's own routing only (every base module once).
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { featuresOf, type Inventory, type ParamModule } from "../../src/model/types.js";
import { LORA_TARGETS } from "../../src/peft/default-targets.js";
import { FULL_TARGETING } from "../../src/peft/targeting-schema.js";
import { wrapModules } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

const positive = z.int().check(z.positive());

export const moeLoraOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(positive, 8), "rank of each LoRA expert"),
  num_experts: describe(z._default(positive, 4), "N, LoRA experts per adapted Linear"),
  top_k: describe(z._default(z.nullable(positive), 2), "k, experts a token uses (null: all N, LoRAMoE's soft routing)"),
  router: describe(z._default(z.enum(["per-module", "per-layer"]), "per-module"), "per-module: a router per adapted Linear (LoRAMoE); per-layer: one per decoder layer (MixLoRA)"),
  ...FULL_TARGETING,
}));
export type MoeLoraOptions = z.output<typeof moeLoraOptionsSchema>;

/** The decoder layer a module sits in (`model.layers.7`), or undefined outside the layer stack. */
function layerOf(inv: Inventory, name: string): string | undefined {
  const p = inv.layersPath;
  if (!p || !name.startsWith(`${p}.`)) return undefined;
  const i = name.slice(p.length + 1).split(".")[0]!;
  return /^\d+$/.test(i) ? `${p}.${i}` : undefined;
}

export function countMoeLora(inv: Inventory, o: MoeLoraOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  const k = o.top_k ?? o.num_experts;
  if (k > o.num_experts) throw new InputError("INVALID_OPTION", `moe-lora: top_k (${k}) exceeds num_experts (${o.num_experts})`, "route each token to at most num_experts LoRA experts");
  let inactive = 0;
  const perLayer = o.router === "per-layer";
  const r = wrapModules(
    inv,
    o,
    {
      method: "moe-lora",
      defaults: LORA_TARGETS,
      wrappable: ["linear", "conv1d"],
      perModule: (m, add) => {
        const f = featuresOf(m);
        add("lora_A (experts)", o.num_experts * o.r * f.inFeatures);
        add("lora_B (experts)", o.num_experts * o.r * f.outFeatures);
        if (!perLayer) add("router", f.inFeatures * o.num_experts);
      },
      check: (wrapped: readonly ParamModule[]) => {
        inactive = 0;
        for (const m of wrapped) {
          const f = featuresOf(m);
          inactive += (o.num_experts - k) * o.r * (f.inFeatures + f.outFeatures);
        }
        if (perLayer && wrapped.some((m) => layerOf(inv, m.name) === undefined))
          throw new InputError("INVALID_OPTION", `moe-lora: router="per-layer" needs every target inside the layer stack (${wrapped.find((m) => layerOf(inv, m.name) === undefined)!.name} is not)`, 'use router="per-module", or leave the head out of target_modules');
      },
      shared: (wrapped) => {
        if (!perLayer) return [];
        const layers = new Set(wrapped.map((m) => layerOf(inv, m.name)));
        return [{ name: `moe_lora_router (${layers.size} layers × Linear(${inv.dims.hiddenSize} → ${o.num_experts}))`, count: layers.size * inv.dims.hiddenSize * o.num_experts }];
      },
    },
    ctx,
  );
  return { ...r, activeTrainable: r.trainable - inactive };
}

export const moeLora = {
  id: "moe-lora",
  title: "MoE of LoRA experts (LoRAMoE / MixLoRA)",
  paper: "arXiv:2312.09979",
  peftType: null,
  expression: "Σ_targets N·r·(in + out) + routers (per module: in·N; per layer: hidden·N); active: k of N",
  schema: moeLoraOptionsSchema,
  count: countMoeLora,
} as const satisfies Formula<typeof moeLoraOptionsSchema>;
