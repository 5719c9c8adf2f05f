/**
 * OpenELM presets (Apple, remote code). The configs are the `OpenELM_CONFIGS` entries of the repos'
 * configuration_openelm.py (the published config.json files hold the same values, with the multipliers already
 * spread per layer); the counts are what modeling_openelm.py instantiates from them, e.g. OpenELM-270M's 271,527,168
 * (the model card's "270M").
 */
import type { Preset } from "./types.js";

const CODE = "configuration_openelm.py OpenELM_CONFIGS and modeling_openelm.py of the apple/OpenELM-* Hub repos (remote code), instantiated";

function openelm(id: string, repo: string, layers: number, dim: number, headDim: number, params: number, headline: string): Preset {
  return {
    id,
    aliases: [repo, `${repo}-Instruct`],
    config: {
      architectures: ["OpenELMForCausalLM"], model_type: "openelm", vocab_size: 32000, max_context_length: 2048, num_transformer_layers: layers,
      model_dim: dim, head_dim: headDim, num_gqa_groups: 4, normalize_qk_projections: true, share_input_output_layers: true,
      ffn_multipliers: [0.5, 4.0], qkv_multipliers: [0.5, 1.0], ffn_with_glu: true, ffn_dim_divisor: 256,
    },
    publishedParams: params,
    source: `${CODE}; the model card's headline is ${headline}`,
    configSource: `https://huggingface.co/${repo}/blob/main/configuration_openelm.py (OpenELM_CONFIGS)`,
  };
}

export const OPENELM_PRESETS: readonly Preset[] = [
  openelm("openelm-270m", "apple/OpenELM-270M", 16, 1280, 64, 271_527_168, "270M"),
  openelm("openelm-450m", "apple/OpenELM-450M", 20, 1536, 64, 457_179_136, "450M"),
  openelm("openelm-1.1b", "apple/OpenELM-1_1B", 28, 2048, 64, 1_079_891_456, "1.1B"),
  openelm("openelm-3b", "apple/OpenELM-3B", 36, 3072, 128, 3_036_647_424, "3B"),
];
