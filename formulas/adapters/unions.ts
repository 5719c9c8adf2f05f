/**
 * AdapterHub's config unions (adapters src/adapters/configuration/adapter_config.py MAMConfig, UniPELTConfig):
 * Mix-and-Match = prefix tuning (bottleneck_size 800) + a parallel adapter; UniPELT = prefix tuning (10 tokens)
 * + a sequential adapter (rf 16) + LoRA (r 8, alpha 2), every component with use_gating=True.
 */
import type { AdapterHubNamedConfig } from "../../src/adapters/types.js";

export const UNION_CONFIGS: readonly AdapterHubNamedConfig[] = [
  {
    name: "mam",
    className: "MAMConfig",
    architecture: "union",
    components: [{ config: "prefix_tuning", overrides: { bottleneck_size: 800 } }, { config: "par_bn" }],
    title: "Mix-and-Match: prefix tuning (bottleneck 800) + parallel adapter",
    paper: "https://arxiv.org/abs/2110.04366",
  },
  {
    name: "unipelt",
    className: "UniPELTConfig",
    architecture: "union",
    components: [
      { config: "prefix_tuning", overrides: { prefix_length: 10, use_gating: true } },
      { config: "seq_bn", overrides: { reduction_factor: 16, use_gating: true } },
      { config: "lora", overrides: { r: 8, alpha: 2, use_gating: true } },
    ],
    title: "UniPELT: gated prefix tuning + sequential adapter + LoRA",
    paper: "https://arxiv.org/abs/2110.07577",
  },
];
