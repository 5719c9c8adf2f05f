/**
 * AdapterHub `ia3` (IA3Config: LoRAConfig with composition_mode "scale", r = 1, intermediate_lora on,
 * attn_matrices k, v, init_weights "ia3"; adapters src/adapters/configuration/adapter_config.py). Per
 * wrapped module one scaling vector lora_B of the output width (methods/lora.py IA3); counted by
 * src/adapters/lora.ts.
 */
import { lazySchema } from "../lazy-schema.js";
import { countLoraFamily } from "../../src/adapters/lora.js";
import type { AdapterHubMethod, AdapterHubNamedConfig } from "../../src/adapters/types.js";
import { loraConfigSchema } from "./lora.js";

const IA3_DEFAULTS = { intermediate_lora: true, r: 1, alpha: 1, attn_matrices: ["k", "v"], composition_mode: "scale", init_weights: "ia3" } as const;
const schema = lazySchema(() => loraConfigSchema({ ...IA3_DEFAULTS, attn_matrices: [...IA3_DEFAULTS.attn_matrices] }));

export const adaptersIa3: AdapterHubMethod<typeof schema> = {
  id: "adapters:ia3",
  architecture: "lora",
  title: "(IA)^3 (AdapterHub)",
  paper: "https://arxiv.org/abs/2205.05638",
  expression: "Σ wrapped out  [merged q/k/v: out/3·n]  + gates",
  schema,
  count: (inv, o, ctx) => countLoraFamily(inv, o, ctx, "adapters:ia3"),
};

/** IA3Config over the lora method (its architecture is "lora"; the saved config says composition_mode "scale") */
export const IA3_CONFIG: AdapterHubNamedConfig = { name: "ia3", className: "IA3Config", architecture: "lora", defaults: IA3_DEFAULTS, expression: adaptersIa3.expression, title: "(IA)^3: scaling vectors on k, v and the intermediate projection", paper: "https://arxiv.org/abs/2205.05638" };
