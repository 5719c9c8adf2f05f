/**
 * LLaMA-Adapter V2 (Gao et al. 2023, arXiv:2304.15010; code: github.com/OpenGVLab/LLaMA-Adapter): on top of
 * LLaMA-Adapter's zero-initialised adaption prompts, V2 unlocks more of the frozen model — every Linear of every
 * layer gets a new output bias and an input scale (y = W(s ⊙ x) + b), and every norm trains in place.
 * - prompts: `adapter_len` tokens × hidden for each of the last `adapter_layer` layers (0 tokens: no prompts);
 * - gates: per head (V1 and the paper: `gate` [1, heads, 1, 1] per adapted layer), one per layer (PEFT's
 *   ADAPTION_PROMPT), or none;
 * - `w_bias`: out features per Linear; `w_scale`: in features per Linear; `w_norm`: every norm's parameters.
 * The paper's "14M on LLaMA-65B" is bias + scale + norms with no prompts: 13,811,712.
 */
import { modelParams } from "../../src/model/compact.js";
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import { PartSum } from "../../src/breakdown.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { featuresOf, groupName, moduleParams, type Inventory } from "../../src/model/types.js";
import { describe, nonNegInt, type Formula } from "../types.js";
import { allNorms, anatomyOf, layerLinearPaths, layersOf, moduleIndex } from "../../src/model/anatomy-paths.js";

export const llamaAdapterV2Schema = lazySchema(() => z.object({
  adapter_len: describe(z._default(nonNegInt, 10), "adaption prompt tokens per adapted layer (0: no prompts, no gates)"),
  adapter_layer: describe(z._default(nonNegInt, 30), "adapted layers, counted from the last (more than the model has: all)"),
  gate: describe(z._default(z.enum(["head", "layer", "none"]), "head"), "zero-init gates: one per head (the paper), one per layer (PEFT's adaption prompt), or none"),
  w_bias: describe(z._default(z.boolean(), true), "a new output bias on every Linear of every layer"),
  w_scale: describe(z._default(z.boolean(), true), "a new input scale on every Linear of every layer"),
  w_norm: describe(z._default(z.boolean(), true), "train every norm in place"),
}));
export type LlamaAdapterV2Options = z.output<typeof llamaAdapterV2Schema>;

export function countLlamaAdapterV2(inv: Inventory, o: LlamaAdapterV2Options): ParamBreakdown {
  const a = anatomyOf(inv, "llama-adapter-v2");
  const byName = moduleIndex(inv);
  const parts = new PartSum();
  let added = 0;
  const layers = layersOf(a);
  if (o.w_bias || o.w_scale)
    for (const { stack, index, layer } of layers)
      for (const rel of layerLinearPaths(layer)) {
        const m = byName.get(`${stack.layersPath}.${index}.${rel}`);
        if (!m) continue;
        const f = featuresOf(m);
        const name = groupName(m.name);
        if (o.w_bias) parts.add(`${name}.bias_v2`, f.outFeatures, 1, "adapter"), (added += f.outFeatures);
        if (o.w_scale) parts.add(`${name}.scale_v2`, f.inFeatures, 1, "adapter"), (added += f.inFeatures);
      }
  if (o.w_norm) for (const n of allNorms(inv, a)) parts.add(groupName(n.name), moduleParams(n), 1, "base");
  const attention = layers.filter((l) => l.layer.selfAttention);
  if (o.adapter_len > 0 && o.adapter_layer > 0) {
    if (attention.length === 0) throw new InputError("UNSUPPORTED_MODEL", `llama-adapter-v2: ${inv.modelType} has no attention layers to prompt`, "set adapter_len=0 to count bias, scale and norm unlocking only");
    const adapted = attention.slice(-Math.min(o.adapter_layer, attention.length));
    const prompt = adapted.length * o.adapter_len * a.hiddenSize;
    parts.add("adaption_prompt", prompt, adapted.length, "prompt");
    added += prompt;
    const gates = o.gate === "none" ? 0 : o.gate === "layer" ? adapted.length : adapted.reduce((s, l) => s + l.layer.selfAttention!.heads, 0);
    if (gates > 0) parts.add("adaption_gate", gates, adapted.length, "prompt"), (added += gates);
  }
  const list = parts.list();
  const trainable = list.reduce((s, p) => s + p.count, 0);
  if (trainable === 0) throw new InputError("NOTHING_TRAINED", "llama-adapter-v2: every option is off, nothing would train", "enable w_bias, w_scale, w_norm or prompts");
  return { trainable, allParams: modelParams(inv) + added, parts: list, warnings: [] };
}

export const llamaAdapterV2 = {
  id: "llama-adapter-v2",
  title: "LLaMA-Adapter V2",
  paper: "arXiv:2304.15010",
  peftType: null,
  expression: "Σ_Linear (out + in) + Σ norms + adapter_layer·adapter_len·hidden + gates (heads or 1 per adapted layer)",
  schema: llamaAdapterV2Schema,
  count: countLlamaAdapterV2,
} as const satisfies Formula<typeof llamaAdapterV2Schema>;
