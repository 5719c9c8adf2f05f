/**
 * Adapter files with frozen projections, bases and index buffers, and mixed dtypes, against real files.
 * Golden numbers: peft 0.21.0 + transformers 5.18.0 + torch 2.13 (the oracle's venv): the tiny LLaMA below built
 * with `AutoModelForCausalLM.from_config(config, dtype=<dtype>)`, `get_peft_model(model, config,
 * autocast_adapter_dtype=<autocast>)`, `save_pretrained`, then the file's size and its header (8 + the u64 at the
 * start; names, dtypes and shapes from the JSON). `sample` lists a few of the saved tensors with [dtype, shape].
 */
import { describe, expect, test } from "vitest";
import { findFormula } from "../../formulas/index.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { buildRow } from "../../src/report/build.js";
import { typedTensors } from "../../src/size/adapter-size.js";
import { rowAdapterSize } from "../../src/size/row-size.js";
import type { Dtype } from "../../src/size/safetensors-header.js";
import { savedTensors } from "../../src/size/saved-tensors.js";

/** q_proj 64 → 64, v_proj 64 → 32, down_proj 128 → 64; two layers */
const TINY = { model_type: "llama", hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 256, max_position_embeddings: 128, tie_word_embeddings: false };

interface Golden {
  readonly method: string;
  readonly options: Record<string, unknown>;
  readonly dtype: Dtype;
  readonly autocast: boolean;
  readonly tensors: number;
  readonly headerBytes: number;
  readonly fileBytes: number;
  readonly sample: Record<string, [string, number[]]>;
}

// source: peft 0.21.0 + transformers 5.18.0 + torch 2.13, the TINY config above, save_pretrained (see the top)
const GOLDEN: readonly Golden[] = [
  { method: "lora", options: {"r": 4, "modules_to_save": ["lm_head"], "trainable_token_indices": [1, 2]}, dtype: "fp32", autocast: true, tensors: 10, headerBytes: 1272, fileBytes: 74488,
    sample: {"base_model.model.lm_head.weight": ["F32", [256, 64]], "base_model.model.model.embed_tokens.token_adapter.trainable_tokens_delta": ["F32", [2, 64]], "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight": ["F32", [4, 64]]} },
  { method: "lora", options: {"r": 4, "modules_to_save": ["lm_head"], "trainable_token_indices": [1, 2]}, dtype: "bf16", autocast: true, tensors: 10, headerBytes: 1248, fileBytes: 41696,
    sample: {"base_model.model.lm_head.weight": ["BF16", [256, 64]], "base_model.model.model.embed_tokens.token_adapter.trainable_tokens_delta": ["F32", [2, 64]], "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight": ["F32", [4, 64]]} },
  { method: "lora", options: {"r": 4, "modules_to_save": ["lm_head"], "trainable_token_indices": [1, 2]}, dtype: "bf16", autocast: false, tensors: 10, headerBytes: 1280, fileBytes: 37888,
    sample: {"base_model.model.lm_head.weight": ["BF16", [256, 64]], "base_model.model.model.embed_tokens.token_adapter.trainable_tokens_delta": ["BF16", [2, 64]], "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight": ["BF16", [4, 64]]} },
  { method: "delora", options: {}, dtype: "fp32", autocast: true, tensors: 16, headerBytes: 1960, fileBytes: 17336,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.delora_A": ["F32", [8, 64]], "base_model.model.model.layers.0.self_attn.q_proj.delora_B": ["F32", [64, 8]], "base_model.model.model.layers.0.self_attn.q_proj.delora_lambda": ["F32", [1]], "base_model.model.model.layers.0.self_attn.q_proj.delora_w_norm": ["F32", [64]]} },
  { method: "delora", options: {}, dtype: "bf16", autocast: true, tensors: 16, headerBytes: 1960, fileBytes: 17336,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.delora_A": ["F32", [8, 64]], "base_model.model.model.layers.0.self_attn.q_proj.delora_B": ["F32", [64, 8]], "base_model.model.model.layers.0.self_attn.q_proj.delora_lambda": ["F32", [1]], "base_model.model.model.layers.0.self_attn.q_proj.delora_w_norm": ["F32", [64]]} },
  { method: "delora", options: {}, dtype: "bf16", autocast: false, tensors: 16, headerBytes: 1968, fileBytes: 9656,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.delora_A": ["BF16", [8, 64]], "base_model.model.model.layers.0.self_attn.q_proj.delora_B": ["BF16", [64, 8]], "base_model.model.model.layers.0.self_attn.q_proj.delora_lambda": ["BF16", [1]], "base_model.model.model.layers.0.self_attn.q_proj.delora_w_norm": ["BF16", [64]]} },
  { method: "vera", options: {"r": 8}, dtype: "fp32", autocast: true, tensors: 10, headerBytes: 1144, fileBytes: 6136,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.vera_lambda_b": ["F32", [64]], "base_model.model.model.layers.0.self_attn.q_proj.vera_lambda_d": ["F32", [8]], "base_model.vera_A": ["F32", [8, 64]], "base_model.vera_B": ["F32", [64, 8]]} },
  { method: "vera", options: {"r": 8}, dtype: "bf16", autocast: true, tensors: 10, headerBytes: 1144, fileBytes: 6136,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.vera_lambda_b": ["F32", [64]], "base_model.model.model.layers.0.self_attn.q_proj.vera_lambda_d": ["F32", [8]], "base_model.vera_A": ["F32", [8, 64]], "base_model.vera_B": ["F32", [64, 8]]} },
  { method: "vera", options: {"r": 8}, dtype: "bf16", autocast: false, tensors: 10, headerBytes: 1152, fileBytes: 3648,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.vera_lambda_b": ["BF16", [64]], "base_model.model.model.layers.0.self_attn.q_proj.vera_lambda_d": ["BF16", [8]], "base_model.vera_A": ["BF16", [8, 64]], "base_model.vera_B": ["BF16", [64, 8]]} },
  { method: "pvera", options: {"r": 8}, dtype: "fp32", autocast: true, tensors: 10, headerBytes: 1160, fileBytes: 8328,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.pvera_lambda_b": ["F32", [64]], "base_model.model.model.layers.0.self_attn.q_proj.pvera_lambda_d": ["F32", [16]], "base_model.pvera_A": ["F32", [16, 64]], "base_model.pvera_B": ["F32", [64, 8]]} },
  { method: "pvera", options: {"r": 8}, dtype: "bf16", autocast: true, tensors: 10, headerBytes: 1160, fileBytes: 8328,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.pvera_lambda_b": ["F32", [64]], "base_model.model.model.layers.0.self_attn.q_proj.pvera_lambda_d": ["F32", [16]], "base_model.pvera_A": ["F32", [16, 64]], "base_model.pvera_B": ["F32", [64, 8]]} },
  { method: "pvera", options: {"r": 8}, dtype: "bf16", autocast: false, tensors: 10, headerBytes: 1168, fileBytes: 4752,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.pvera_lambda_b": ["BF16", [64]], "base_model.model.model.layers.0.self_attn.q_proj.pvera_lambda_d": ["BF16", [16]], "base_model.pvera_A": ["BF16", [16, 64]], "base_model.pvera_B": ["BF16", [64, 8]]} },
  { method: "pvera", options: {"r": 8, "save_projection": false}, dtype: "fp32", autocast: true, tensors: 8, headerBytes: 1000, fileBytes: 2024,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.pvera_lambda_b": ["F32", [64]], "base_model.model.model.layers.0.self_attn.q_proj.pvera_lambda_d": ["F32", [16]]} },
  { method: "pvera", options: {"r": 8, "target_modules": ["q_proj", "v_proj", "down_proj"]}, dtype: "fp32", autocast: true, tensors: 14, headerBytes: 1640, fileBytes: 13544,
    sample: {"base_model.model.model.layers.0.mlp.down_proj.pvera_lambda_b": ["F32", [64]], "base_model.model.model.layers.0.mlp.down_proj.pvera_lambda_d": ["F32", [16]], "base_model.pvera_A": ["F32", [16, 128]], "base_model.pvera_B": ["F32", [64, 8]]} },
  { method: "vblora", options: {"vector_length": 16, "num_vectors": 32, "r": 4}, dtype: "fp32", autocast: true, tensors: 9, headerBytes: 1152, fileBytes: 17536,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_A": ["F32", [4, 4, 32]], "base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_B": ["F32", [4, 4, 32]], "base_model.vblora_vector_bank": ["F32", [32, 16]]} },
  { method: "vblora", options: {"vector_length": 16, "num_vectors": 32, "r": 4, "save_only_topk_weights": true}, dtype: "fp32", autocast: true, tensors: 17, headerBytes: 2328, fileBytes: 5048,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_A_topk_indices": ["U8", [4, 4, 2]], "base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_A_topk_weights": ["F32", [4, 4, 1]], "base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_B_topk_indices": ["U8", [4, 4, 2]], "base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_B_topk_weights": ["F32", [4, 4, 1]]} },
  { method: "vblora", options: {"vector_length": 16, "num_vectors": 32, "r": 4, "save_only_topk_weights": true}, dtype: "bf16", autocast: true, tensors: 17, headerBytes: 2328, fileBytes: 5048,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_A_topk_indices": ["U8", [4, 4, 2]], "base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_A_topk_weights": ["F32", [4, 4, 1]], "base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_B_topk_indices": ["U8", [4, 4, 2]], "base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_B_topk_weights": ["F32", [4, 4, 1]]} },
  { method: "vblora", options: {"vector_length": 16, "num_vectors": 32, "r": 4, "save_only_topk_weights": true}, dtype: "bf16", autocast: false, tensors: 17, headerBytes: 2336, fileBytes: 3808,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_A_topk_indices": ["U8", [4, 4, 2]], "base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_A_topk_weights": ["BF16", [4, 4, 1]], "base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_B_topk_indices": ["U8", [4, 4, 2]], "base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_B_topk_weights": ["BF16", [4, 4, 1]]} },
  { method: "vblora", options: {"vector_length": 16, "num_vectors": 300, "r": 4, "save_only_topk_weights": true}, dtype: "fp32", autocast: true, tensors: 17, headerBytes: 2352, fileBytes: 22448,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_A_topk_indices": ["I16", [4, 4, 2]], "base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_A_topk_weights": ["F32", [4, 4, 1]], "base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_B_topk_indices": ["I16", [4, 4, 2]], "base_model.model.model.layers.0.self_attn.q_proj.vblora_logits_B_topk_weights": ["F32", [4, 4, 1]]} },
  { method: "randlora", options: {"r": 8}, dtype: "fp32", autocast: true, tensors: 18, headerBytes: 2208, fileBytes: 100256,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.randlora_A": ["F32", [8, 1, 64]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_B": ["F32", [64, 8, 8]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_gamma": ["F32", [8, 64]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_lambda": ["F32", [8, 8]]} },
  { method: "randlora", options: {"r": 8}, dtype: "bf16", autocast: true, tensors: 18, headerBytes: 2208, fileBytes: 100256,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.randlora_A": ["F32", [8, 1, 64]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_B": ["F32", [64, 8, 8]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_gamma": ["F32", [8, 64]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_lambda": ["F32", [8, 8]]} },
  { method: "randlora", options: {"r": 8}, dtype: "bf16", autocast: false, tensors: 18, headerBytes: 2224, fileBytes: 51248,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.randlora_A": ["BF16", [8, 1, 64]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_B": ["BF16", [64, 8, 8]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_gamma": ["BF16", [8, 64]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_lambda": ["BF16", [8, 8]]} },
  { method: "randlora", options: {"r": 8, "save_projection": false}, dtype: "fp32", autocast: true, tensors: 8, headerBytes: 1032, fileBytes: 6920,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.randlora_gamma": ["F32", [8, 64]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_lambda": ["F32", [8, 8]]} },
  { method: "randlora", options: {"r": 8, "sparse": true}, dtype: "fp32", autocast: true, tensors: 18, headerBytes: 2208, fileBytes: 100256,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.randlora_A": ["F32", [8, 1, 64]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_B": ["F32", [64, 8, 8]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_gamma": ["F32", [8, 64]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_lambda": ["F32", [8, 8]]} },
  { method: "randlora", options: {"r": 8, "target_modules": ["q_proj", "v_proj", "down_proj"]}, dtype: "fp32", autocast: true, tensors: 26, headerBytes: 3224, fileBytes: 257432,
    sample: {"base_model.model.model.layers.0.mlp.down_proj.randlora_A": ["F32", [8, 1, 64]], "base_model.model.model.layers.0.mlp.down_proj.randlora_B": ["F32", [128, 8, 8]], "base_model.model.model.layers.0.mlp.down_proj.randlora_gamma": ["F32", [8, 64]], "base_model.model.model.layers.0.mlp.down_proj.randlora_lambda": ["F32", [8, 8]]} },
  { method: "randlora", options: {"r": 8, "target_modules": ["q_proj", "v_proj", "down_proj"]}, dtype: "bf16", autocast: true, tensors: 26, headerBytes: 3224, fileBytes: 257432,
    sample: {"base_model.model.model.layers.0.mlp.down_proj.randlora_A": ["F32", [8, 1, 64]], "base_model.model.model.layers.0.mlp.down_proj.randlora_B": ["F32", [128, 8, 8]], "base_model.model.model.layers.0.mlp.down_proj.randlora_gamma": ["F32", [8, 64]], "base_model.model.model.layers.0.mlp.down_proj.randlora_lambda": ["F32", [8, 8]]} },
  { method: "randlora", options: {"r": 8, "target_modules": ["q_proj", "v_proj", "down_proj"]}, dtype: "bf16", autocast: false, tensors: 26, headerBytes: 3224, fileBytes: 130328,
    sample: {"base_model.model.model.layers.0.mlp.down_proj.randlora_A": ["BF16", [8, 1, 64]], "base_model.model.model.layers.0.mlp.down_proj.randlora_B": ["BF16", [128, 8, 8]], "base_model.model.model.layers.0.mlp.down_proj.randlora_gamma": ["BF16", [8, 64]], "base_model.model.model.layers.0.mlp.down_proj.randlora_lambda": ["BF16", [8, 8]]} },
  { method: "randlora", options: {"r": 8, "projection_prng_key": 7}, dtype: "fp32", autocast: true, tensors: 18, headerBytes: 2208, fileBytes: 100256,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.randlora_A": ["F32", [8, 1, 64]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_B": ["F32", [64, 8, 8]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_gamma": ["F32", [8, 64]], "base_model.model.model.layers.0.self_attn.q_proj.randlora_lambda": ["F32", [8, 8]]} },
  { method: "tinylora", options: {}, dtype: "fp32", autocast: true, tensors: 16, headerBytes: 1816, fileBytes: 10520,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.tinylora_A": ["F32", [2, 64]], "base_model.model.model.layers.0.self_attn.q_proj.tinylora_B": ["F32", [64, 2]], "base_model.model.model.layers.0.self_attn.q_proj.tinylora_P": ["F32", [64, 2, 2]], "base_model.tinylora_v.0": ["F32", [64]]} },
  { method: "tinylora", options: {}, dtype: "bf16", autocast: true, tensors: 16, headerBytes: 1816, fileBytes: 10520,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.tinylora_A": ["F32", [2, 64]], "base_model.model.model.layers.0.self_attn.q_proj.tinylora_B": ["F32", [64, 2]], "base_model.model.model.layers.0.self_attn.q_proj.tinylora_P": ["F32", [64, 2, 2]], "base_model.tinylora_v.0": ["F32", [64]]} },
  { method: "tinylora", options: {}, dtype: "bf16", autocast: false, tensors: 16, headerBytes: 1832, fileBytes: 6184,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.tinylora_A": ["BF16", [2, 64]], "base_model.model.model.layers.0.self_attn.q_proj.tinylora_B": ["BF16", [64, 2]], "base_model.model.model.layers.0.self_attn.q_proj.tinylora_P": ["BF16", [64, 2, 2]], "base_model.tinylora_v.0": ["BF16", [64]]} },
  { method: "tinylora", options: {"save_projection": false}, dtype: "fp32", autocast: true, tensors: 12, headerBytes: 1328, fileBytes: 5936,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.tinylora_A": ["F32", [2, 64]], "base_model.model.model.layers.0.self_attn.q_proj.tinylora_B": ["F32", [64, 2]], "base_model.tinylora_v.0": ["F32", [64]], "base_model.tinylora_v.1": ["F32", [64]]} },
  { method: "tinylora", options: {"weight_tying": 1}, dtype: "fp32", autocast: true, tensors: 13, headerBytes: 1568, fileBytes: 9504,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.tinylora_A": ["F32", [2, 64]], "base_model.model.model.layers.0.self_attn.q_proj.tinylora_B": ["F32", [64, 2]], "base_model.model.model.layers.0.self_attn.q_proj.tinylora_P": ["F32", [64, 2, 2]], "base_model.tinylora_v.0": ["F32", [64]]} },
  { method: "tinylora", options: {"target_modules": ["q_proj", "v_proj", "down_proj"], "r": 4, "u": 8}, dtype: "fp32", autocast: true, tensors: 24, headerBytes: 2704, fileBytes: 19280,
    sample: {"base_model.model.model.layers.0.mlp.down_proj.tinylora_A": ["F32", [4, 128]], "base_model.model.model.layers.0.mlp.down_proj.tinylora_B": ["F32", [64, 4]], "base_model.model.model.layers.0.mlp.down_proj.tinylora_P": ["F32", [8, 4, 4]], "base_model.tinylora_v.0": ["F32", [8]]} },
  { method: "tinylora", options: {"target_modules": ["q_proj", "v_proj", "down_proj"], "r": 4, "u": 8}, dtype: "bf16", autocast: true, tensors: 24, headerBytes: 2704, fileBytes: 19280,
    sample: {"base_model.model.model.layers.0.mlp.down_proj.tinylora_A": ["F32", [4, 128]], "base_model.model.model.layers.0.mlp.down_proj.tinylora_B": ["F32", [64, 4]], "base_model.model.model.layers.0.mlp.down_proj.tinylora_P": ["F32", [8, 4, 4]], "base_model.tinylora_v.0": ["F32", [8]]} },
  { method: "tinylora", options: {"target_modules": ["q_proj", "v_proj", "down_proj"], "r": 4, "u": 8}, dtype: "bf16", autocast: false, tensors: 24, headerBytes: 2704, fileBytes: 10992,
    sample: {"base_model.model.model.layers.0.mlp.down_proj.tinylora_A": ["BF16", [4, 128]], "base_model.model.model.layers.0.mlp.down_proj.tinylora_B": ["BF16", [64, 4]], "base_model.model.model.layers.0.mlp.down_proj.tinylora_P": ["BF16", [8, 4, 4]], "base_model.tinylora_v.0": ["BF16", [8]]} },
  { method: "frod", options: {}, dtype: "fp32", autocast: true, tensors: 14, headerBytes: 1648, fileBytes: 37392,
    sample: {"base_model.frod_V.self_attn_q_proj": ["F32", [64, 64]], "base_model.frod_V.self_attn_v_proj": ["F32", [64, 64]], "base_model.frod_s_indices.self_attn_q_proj": ["I64", [2, 40]], "base_model.frod_s_indices.self_attn_v_proj": ["I64", [2, 40]]} },
  { method: "frod", options: {}, dtype: "bf16", autocast: true, tensors: 14, headerBytes: 1632, fileBytes: 20992,
    sample: {"base_model.frod_V.self_attn_q_proj": ["BF16", [64, 64]], "base_model.frod_V.self_attn_v_proj": ["BF16", [64, 64]], "base_model.frod_s_indices.self_attn_q_proj": ["I64", [2, 40]], "base_model.frod_s_indices.self_attn_v_proj": ["I64", [2, 40]]} },
  { method: "frod", options: {}, dtype: "bf16", autocast: false, tensors: 14, headerBytes: 1656, fileBytes: 20184,
    sample: {"base_model.frod_V.self_attn_q_proj": ["BF16", [64, 64]], "base_model.frod_V.self_attn_v_proj": ["BF16", [64, 64]], "base_model.frod_s_indices.self_attn_q_proj": ["I64", [2, 40]], "base_model.frod_s_indices.self_attn_v_proj": ["I64", [2, 40]]} },
  { method: "frod", options: {"save_projection": false}, dtype: "fp32", autocast: true, tensors: 8, headerBytes: 1032, fileBytes: 2696,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.frod_lambda_l": ["F32", [64]], "base_model.model.model.layers.0.self_attn.q_proj.frod_lambda_s_values": ["F32", [40]]} },
  { method: "frod", options: {"target_modules": ["q_proj", "v_proj", "down_proj"]}, dtype: "fp32", autocast: true, tensors: 21, headerBytes: 2464, fileBytes: 108696,
    sample: {"base_model.frod_V.mlp_down_proj": ["F32", [128, 128]], "base_model.frod_V.self_attn_q_proj": ["F32", [64, 64]], "base_model.frod_V.self_attn_v_proj": ["F32", [64, 64]], "base_model.frod_s_indices.mlp_down_proj": ["I64", [2, 163]]} },
  { method: "frod", options: {"sparse_rate": 0.05}, dtype: "fp32", autocast: true, tensors: 14, headerBytes: 1656, fileBytes: 45272,
    sample: {"base_model.frod_V.self_attn_q_proj": ["F32", [64, 64]], "base_model.frod_V.self_attn_v_proj": ["F32", [64, 64]], "base_model.frod_s_indices.self_attn_q_proj": ["I64", [2, 204]], "base_model.frod_s_indices.self_attn_v_proj": ["I64", [2, 204]]} },
  { method: "shira", options: {"r": 4}, dtype: "fp32", autocast: true, tensors: 8, headerBytes: 1024, fileBytes: 22528,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.shira_indices": ["I32", [2, 512]], "base_model.model.model.layers.0.self_attn.q_proj.shira_weight": ["F32", [512]]} },
  { method: "shira", options: {"r": 4}, dtype: "bf16", autocast: true, tensors: 8, headerBytes: 1024, fileBytes: 22528,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.shira_indices": ["I32", [2, 512]], "base_model.model.model.layers.0.self_attn.q_proj.shira_weight": ["F32", [512]]} },
  { method: "shira", options: {"r": 4}, dtype: "bf16", autocast: false, tensors: 8, headerBytes: 1032, fileBytes: 18952,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.shira_indices": ["I32", [2, 512]], "base_model.model.model.layers.0.self_attn.q_proj.shira_weight": ["BF16", [512]]} },
  { method: "supertuning", options: {}, dtype: "fp32", autocast: true, tensors: 8, headerBytes: 1040, fileBytes: 2000,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.supertuning_indices": ["I32", [40]], "base_model.model.model.layers.0.self_attn.q_proj.supertuning_values": ["F32", [40]]} },
  { method: "supertuning", options: {}, dtype: "bf16", autocast: true, tensors: 8, headerBytes: 1040, fileBytes: 2000,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.supertuning_indices": ["I32", [40]], "base_model.model.model.layers.0.self_attn.q_proj.supertuning_values": ["F32", [40]]} },
  { method: "supertuning", options: {}, dtype: "bf16", autocast: false, tensors: 8, headerBytes: 1040, fileBytes: 1760,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.supertuning_indices": ["I32", [40]], "base_model.model.model.layers.0.self_attn.q_proj.supertuning_values": ["BF16", [40]]} },
  { method: "ln-tuning", options: {}, dtype: "fp32", autocast: true, tensors: 5, headerBytes: 680, fileBytes: 1960,
    sample: {"base_model.model.model.layers.0.input_layernorm.ln_tuning_layers.weight": ["F32", [64]], "base_model.model.model.norm.ln_tuning_layers.weight": ["F32", [64]]} },
  { method: "ln-tuning", options: {}, dtype: "bf16", autocast: true, tensors: 5, headerBytes: 688, fileBytes: 1328,
    sample: {"base_model.model.model.layers.0.input_layernorm.ln_tuning_layers.weight": ["BF16", [64]], "base_model.model.model.norm.ln_tuning_layers.weight": ["BF16", [64]]} },
  { method: "ln-tuning", options: {}, dtype: "bf16", autocast: false, tensors: 5, headerBytes: 688, fileBytes: 1328,
    sample: {"base_model.model.model.layers.0.input_layernorm.ln_tuning_layers.weight": ["BF16", [64]], "base_model.model.model.norm.ln_tuning_layers.weight": ["BF16", [64]]} },
  { method: "prompt-tuning", options: {"num_virtual_tokens": 4}, dtype: "fp32", autocast: true, tensors: 1, headerBytes: 120, fileBytes: 1144,
    sample: {"prompt_embeddings": ["F32", [4, 64]]} },
  { method: "prompt-tuning", options: {"num_virtual_tokens": 4}, dtype: "bf16", autocast: true, tensors: 1, headerBytes: 120, fileBytes: 1144,
    sample: {"prompt_embeddings": ["F32", [4, 64]]} },
  { method: "prompt-tuning", options: {"num_virtual_tokens": 4}, dtype: "bf16", autocast: false, tensors: 1, headerBytes: 120, fileBytes: 1144,
    sample: {"prompt_embeddings": ["F32", [4, 64]]} },
  { method: "p-tuning", options: {"num_virtual_tokens": 4}, dtype: "fp32", autocast: true, tensors: 1, headerBytes: 120, fileBytes: 1144,
    sample: {"prompt_embeddings": ["F32", [4, 64]]} },
  { method: "adaption-prompt", options: {"adapter_len": 4, "adapter_layers": 2}, dtype: "fp32", autocast: true, tensors: 4, headerBytes: 504, fileBytes: 2560,
    sample: {"base_model.model.model.layers.0.self_attn.adaption_gate": ["F32", [1]], "base_model.model.model.layers.0.self_attn.adaption_prompt": ["F32", [1, 4, 64]]} },
  { method: "adaption-prompt", options: {"adapter_len": 4, "adapter_layers": 2}, dtype: "bf16", autocast: true, tensors: 4, headerBytes: 504, fileBytes: 1532,
    sample: {"base_model.model.model.layers.0.self_attn.adaption_gate": ["BF16", [1]], "base_model.model.model.layers.0.self_attn.adaption_prompt": ["BF16", [1, 4, 64]]} },
  { method: "adaption-prompt", options: {"adapter_len": 4, "adapter_layers": 2}, dtype: "bf16", autocast: false, tensors: 4, headerBytes: 504, fileBytes: 1532,
    sample: {"base_model.model.model.layers.0.self_attn.adaption_gate": ["BF16", [1]], "base_model.model.model.layers.0.self_attn.adaption_prompt": ["BF16", [1, 4, 64]]} },
  { method: "glora", options: {}, dtype: "fp32", autocast: true, tensors: 28, headerBytes: 3456, fileBytes: 34688,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.glora_A.Xd": ["F32", [64, 8]], "base_model.model.model.layers.0.self_attn.q_proj.glora_A.Xu": ["F32", [8, 64]], "base_model.model.model.layers.0.self_attn.q_proj.glora_C.zeros": ["F32", [64, 1]]} },
  { method: "glora", options: {}, dtype: "bf16", autocast: true, tensors: 28, headerBytes: 3480, fileBytes: 33432,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.glora_A.Xd": ["F32", [64, 8]], "base_model.model.model.layers.0.self_attn.q_proj.glora_A.Xu": ["F32", [8, 64]], "base_model.model.model.layers.0.self_attn.q_proj.glora_C.zeros": ["BF16", [64, 1]]} },
  { method: "glora", options: {}, dtype: "bf16", autocast: false, tensors: 28, headerBytes: 3472, fileBytes: 19088,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.glora_A.Xd": ["BF16", [64, 8]], "base_model.model.model.layers.0.self_attn.q_proj.glora_A.Xu": ["BF16", [8, 64]], "base_model.model.model.layers.0.self_attn.q_proj.glora_C.zeros": ["BF16", [64, 1]]} },
  { method: "lily", options: {}, dtype: "fp32", autocast: true, tensors: 12, headerBytes: 1568, fileBytes: 84512,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.lily_A.weight": ["F32", [32, 64]]} },
  { method: "lily", options: {}, dtype: "bf16", autocast: true, tensors: 12, headerBytes: 1568, fileBytes: 84512,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.lily_A.weight": ["F32", [32, 64]]} },
  { method: "lily", options: {}, dtype: "bf16", autocast: false, tensors: 12, headerBytes: 1576, fileBytes: 43048,
    sample: {"base_model.model.model.layers.0.self_attn.q_proj.lily_A.weight": ["BF16", [32, 64]]} },
  { method: "shadow", options: {}, dtype: "fp32", autocast: true, tensors: 30, headerBytes: 3880, fileBytes: 177832,
    sample: {"base_model.model.model.layers.0.shadow_down.default.weight": ["F32", [8, 64]], "base_model.model.model.layers.0.shadow_update_gate.default.0.bias": ["F32", [8]], "base_model.shadow_backbone.default.norm.weight": ["F32", [64]]} },
  { method: "shadow", options: {}, dtype: "bf16", autocast: true, tensors: 30, headerBytes: 3880, fileBytes: 103720,
    sample: {"base_model.model.model.layers.0.shadow_down.default.weight": ["F32", [8, 64]], "base_model.model.model.layers.0.shadow_update_gate.default.0.bias": ["F32", [8]], "base_model.shadow_backbone.default.norm.weight": ["BF16", [64]]} },
  { method: "shadow", options: {}, dtype: "bf16", autocast: false, tensors: 30, headerBytes: 3880, fileBytes: 103720,
    sample: {"base_model.model.model.layers.0.shadow_down.default.weight": ["F32", [8, 64]], "base_model.model.model.layers.0.shadow_update_gate.default.0.bias": ["F32", [8]], "base_model.shadow_backbone.default.norm.weight": ["BF16", [64]]} },
  { method: "cartridge", options: {"num_virtual_tokens": 4}, dtype: "fp32", autocast: true, tensors: 1, headerBytes: 120, fileBytes: 2168,
    sample: {"prompt_embeddings": ["F32", [4, 128]]} },
  { method: "cartridge", options: {"num_virtual_tokens": 4}, dtype: "bf16", autocast: true, tensors: 1, headerBytes: 120, fileBytes: 2168,
    sample: {"prompt_embeddings": ["F32", [4, 128]]} },
  { method: "cartridge", options: {"num_virtual_tokens": 4}, dtype: "bf16", autocast: false, tensors: 1, headerBytes: 120, fileBytes: 2168,
    sample: {"prompt_embeddings": ["F32", [4, 128]]} },
];

const inv = buildInventory(TINY, { task: "CAUSAL_LM" });
/** methods whose saved names peftcount infers (headerExact: false): their data bytes and dtypes are checked */
const HEADER_INFERRED = new Set(["ln-tuning", "adaption-prompt", "shadow"]);

describe("adapter_model.safetensors with frozen tensors and mixed dtypes, as PEFT 0.21.0 writes it", () => {
  test.each(GOLDEN.map((g) => [`${g.method} ${JSON.stringify(g.options)} ${g.dtype}${g.autocast ? "" : " no-autocast"}`, g] as const))("%s", (_, g) => {
    const formula = findFormula(g.method)!;
    const row = buildRow(inv, { formula, options: g.options });
    const size = rowAdapterSize(inv, formula, row, g.dtype, undefined, { autocastAdapterDtype: g.autocast });
    if (HEADER_INFERRED.has(g.method)) {
      expect(size).toMatchObject({ dataBytes: g.fileBytes - g.headerBytes, headerExact: false, complete: true });
      return;
    }
    expect(size).toMatchObject({ tensors: g.tensors, headerBytes: g.headerBytes, bytes: g.fileBytes, headerExact: true, complete: true });
    const typed = new Map(typedTensors(savedTensors({ inv, peftType: formula.peftType }, row), g.dtype, { autocastAdapterDtype: g.autocast }).map((t) => [t.name, [t.dtype, t.shape]]));
    for (const [name, expected] of Object.entries(g.sample)) expect(typed.get(name), name).toEqual(expected);
  });

  test("on llama-3.2-1b loaded in bf16, each method with PEFT's defaults (RandLoRA's file: 571 MB for 2.27M trainable)", () => {
    // source: peft 0.21.0 + transformers 5.18.0 + torch 2.13, shared/reference/configs/llama-3.2-1b.json built with
    // from_config(dtype=torch.bfloat16), get_peft_model(model, <Method>Config()) (autocast_adapter_dtype=True), save_pretrained
    const llama = buildInventory(findPreset("llama-3.2-1b")!.config, { task: "CAUSAL_LM" });
    const real = { randlora: [571_393_240, 17_624, 130], pvera: [6_529_160, 8_328, 66], tinylora: [907_840, 14_912, 128], frod: [23_759_488, 9_216, 70] } as const;
    for (const [method, [bytes, headerBytes, tensors]] of Object.entries(real)) {
      const formula = findFormula(method)!;
      expect(rowAdapterSize(llama, formula, buildRow(llama, { formula, options: {} }), "bf16"), method).toMatchObject({ bytes, headerBytes, tensors, headerExact: true, complete: true });
    }
  });

  test("the adapter dtype: fp32 under autocast whatever the load dtype, else the load dtype", () => {
    const formula = findFormula("lora")!;
    const row = buildRow(inv, { formula, options: { r: 4 } });
    expect(rowAdapterSize(inv, formula, row, "bf16")).toMatchObject({ dtype: "bf16", adapterDtype: "fp32", autocastAdapterDtype: true });
    expect(rowAdapterSize(inv, formula, row, "fp16", undefined, { autocastAdapterDtype: false })).toMatchObject({ dtype: "fp16", adapterDtype: "fp16", autocastAdapterDtype: false });
  });

  test("methods whose frozen tensors are not sized yet say so", () => {
    for (const method of ["adamss"]) {
      const formula = findFormula(method)!;
      expect(rowAdapterSize(inv, formula, buildRow(inv, { formula, options: {} }), "fp32").complete, method).toBe(false);
    }
  });
});
