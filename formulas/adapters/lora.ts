/**
 * AdapterHub `lora` (LoRAConfig, adapters src/adapters/configuration/adapter_config.py) and the schema its
 * variants share ((IA)^3: ./ia3.ts; VeRA / DoRA / DVoRA are LoRAConfig with vera_d / vera_b / use_dora set).
 * The count and placement live in src/adapters/lora.ts.
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { countLoraFamily } from "../../src/adapters/lora.js";
import type { AdapterHubMethod, AdapterHubNamedConfig } from "../../src/adapters/types.js";
import { describe, nonNegInt } from "../types.js";

/** LoRAConfig's keys; `d` are the subclass's defaults (LoRAConfig's or IA3Config's). */
export function loraConfigSchema(d: { intermediate_lora: boolean; r: number; alpha: number; attn_matrices: string[]; composition_mode: "add" | "scale"; init_weights: string }) {
  return z.object({
    selfattn_lora: describe(z._default(z.boolean(), true), "wrap the q / k / v projections named in attn_matrices (self- and cross-attention)"),
    intermediate_lora: describe(z._default(z.boolean(), d.intermediate_lora), "wrap the FFN projection into the intermediate width (Llama / Mistral: down_proj)"),
    output_lora: describe(z._default(z.boolean(), false), "wrap the FFN projection back to the hidden width (Llama / Mistral: up_proj)"),
    leave_out: describe(z._default(z.array(nonNegInt), []), "layer ids (encoder first, then decoder) that get nothing"),
    r: describe(z._default(z.int().check(z.positive()), d.r), "rank (must be 1 with composition_mode scale)"),
    alpha: describe(z._default(z.number(), d.alpha), "scaling numerator (no effect on the count)"),
    dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0), "dropout (no effect on the count; must be 0 with scale)"),
    attn_matrices: describe(z._default(z.array(z.string()), d.attn_matrices), 'attention matrices to wrap: "q", "k", "v"'),
    composition_mode: describe(z._default(z.enum(["add", "scale"]), d.composition_mode), 'add: LoRA A·B; scale: (IA)^3 vector'),
    init_weights: describe(z._default(z.string(), d.init_weights), 'lora | bert | ia3 | vera (values only)'),
    init_weights_seed: describe(z._default(z.nullable(z.int()), null), "seed (no effect on the count)"),
    use_gating: describe(z._default(z.boolean(), false), "a gate Linear(in, heads) per wrapped module (UniPELT)"),
    use_dora: describe(z._default(z.boolean(), false), "DoRA (adapters ≥ 1.2.0): a magnitude vector (out) per wrapped module"),
    vera_d: describe(z._default(z.nullable(z.number()), null), "VeRA (adapters ≥ 1.2.0): train diag vera_D (r²) and vera_B (out²), freeze one shared A / B"),
    vera_b: describe(z._default(z.nullable(z.number()), null), "VeRA initial value of vera_B (setting either makes it VeRA)"),
    dtype: describe(z._default(z.nullable(z.string()), null), "torch dtype of the adapter tensors (no effect on the count)"),
  });
}

const schema = lazySchema(() => loraConfigSchema({ intermediate_lora: false, r: 8, alpha: 8, attn_matrices: ["q", "v"], composition_mode: "add", init_weights: "lora" }));

export const adaptersLora: AdapterHubMethod<typeof schema> = {
  id: "adapters:lora",
  architecture: "lora",
  title: "LoRA (AdapterHub)",
  paper: "https://arxiv.org/abs/2106.09685",
  expression: "Σ wrapped r·(in + out)  [merged q/k/v: r·n·in + out/3·n·r]  + gates",
  schema,
  count: (inv, o, ctx) => countLoraFamily(inv, o, ctx, "adapters:lora"),
};

const VERA = { vera_d: 0.1, vera_b: 0.0, init_weights: "vera" };
/** src/adapters/lora.ts: vera_D r·r and vera_B out·out per module, the shared A / B frozen */
const VERA_COUNT = "Σ wrapped r² + out²  + gates  (+ one frozen shared A r·in, B out·r of the first module: all params only)";

/** LoRAConfig and its subclasses VeraConfig, DoRAConfig, DvoRAConfig over the lora method ((IA)^3: ./ia3.ts) */
export const LORA_CONFIGS: readonly AdapterHubNamedConfig[] = [
  { name: "lora", className: "LoRAConfig", architecture: "lora", title: "LoRA on the attention q, v (AdapterHub)", paper: "https://arxiv.org/abs/2106.09685" },
  { name: "vera", className: "VeraConfig", architecture: "lora", defaults: VERA, expression: VERA_COUNT, title: "VeRA: trained diagonals over one frozen shared A / B (adapters ≥ 1.2.0)", paper: "https://arxiv.org/abs/2310.11454" },
  { name: "dora", className: "DoRAConfig", architecture: "lora", defaults: { use_dora: true }, expression: `${adaptersLora.expression} + Σ wrapped out (magnitude m)`, title: "DoRA: LoRA + a magnitude vector per module (adapters ≥ 1.2.0)", paper: "https://arxiv.org/abs/2402.09353" },
  { name: "dvora", className: "DvoRAConfig", architecture: "lora", defaults: { ...VERA, use_dora: true }, expression: `${VERA_COUNT} + Σ wrapped out (magnitude m)`, title: "DVoRA: VeRA + DoRA's magnitude (adapters ≥ 1.2.0)", paper: "https://arxiv.org/abs/2402.09353" },
];
