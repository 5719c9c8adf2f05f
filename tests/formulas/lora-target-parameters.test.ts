/**
 * LoRA's `target_parameters` (src/peft/target-parameters.ts) and PEFT's rewrite of transformers-4 MoE target names
 * on transformers 5 (src/peft/moe-target-names.ts), beyond the golden vectors fam-lora-*-tp-experts-*,
 * fam-lora-*-oldnames-*, r5-lora-mixtral-*. Numbers: oracle, peft 0.21.0 + transformers 5.18.0.
 */
import { describe, expect, test } from "vitest";
import { lora } from "../../formulas/peft/lora.js";
import { evaluate } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import type { RawConfig } from "../../src/model/config.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { totalParams } from "../../src/model/types.js";
import { parseVersion } from "../../src/versions.js";
import { errorOf } from "../model/helpers.js";

const preset = (name: string) => findPreset(name)!.config;
/** the small configs of the oracle cases: the reference config with these keys overridden */
const CONFIGS: Record<string, RawConfig> = {
  "mixtral-8x7b": preset("mixtral-8x7b"),
  "qwen3-30b-a3b": preset("qwen3-30b-a3b"),
  "llama-3.2-1b": preset("llama-3.2-1b"),
  // 2 layers, 4 experts of width 96 on hidden 64: gate_up_proj [4, 192, 64], down_proj [4, 64, 96], router weight [4, 64]
  "tiny-mixtral": { ...preset("mixtral-8x7b"), hidden_size: 64, intermediate_size: 96, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, num_local_experts: 4, num_experts_per_tok: 2, vocab_size: 1000 },
  // 3 layers, layer 0 dense (mlp_only_layers), 4 experts of width 48
  "tiny-qwen3-moe": { ...preset("qwen3-30b-a3b"), hidden_size: 64, intermediate_size: 160, moe_intermediate_size: 48, num_hidden_layers: 3, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16, num_experts: 4, num_experts_per_tok: 2, vocab_size: 1000, mlp_only_layers: [0] },
  "tiny-gpt2": { ...preset("gpt2"), n_embd: 64, n_layer: 2, n_head: 4, vocab_size: 1000, n_positions: 128 },
};
const versions = (peft: string, transformers = "5.18.0") => ({ peft: parseVersion(peft, "peft"), transformers: parseVersion(transformers, "transformers") });

function countOn(model: string, options: Record<string, unknown>, peft = "0.21.0", transformers = "5.18.0") {
  const ctx = versions(peft, transformers);
  const inv = buildInventory(CONFIGS[model]!, { task: "CAUSAL_LM", transformers: ctx.transformers });
  const b = evaluate(lora, inv, options, ctx).breakdown;
  expect(b.parts.reduce((s, p) => s + p.count, 0)).toBe(b.trainable);
  return { trainable: b.trainable, all: b.allParams, base: totalParams(inv.modules), parts: Object.fromEntries(b.parts.map((p) => [p.name, p.count])), warnings: b.warnings, active: b.activeTrainable };
}

describe("target_parameters: E·r·(d1 + d2) per 3-D parameter, r·(d0 + d1) per 2-D one", () => {
  test.each([
    // source: oracle, tiny-mixtral, {"r": 4, "target_modules": [], "target_parameters": ["gate.weight"]}: router [4, 64] → 4·(4 + 64) per layer
    ["tiny-mixtral", { r: 4, target_modules: [], target_parameters: ["gate.weight"] }, 544, 301_408],
    // source: oracle, tiny-mixtral, {"r": 4, "target_modules": [], "target_parameters": ["embed_tokens.weight"]}: [1000, 64]
    ["tiny-mixtral", { r: 4, target_modules: [], target_parameters: ["embed_tokens.weight"] }, 4_256, 305_120],
    // source: oracle, tiny-mixtral, {"r": 4, "target_modules": [], "target_parameters": ["model.layers.0.mlp.experts.down_proj"]}: one layer, 4·4·(64 + 96)
    ["tiny-mixtral", { r: 4, target_modules: [], target_parameters: ["model.layers.0.mlp.experts.down_proj"] }, 2_560, 303_424],
    // source: oracle, tiny-mixtral, {"r": 4, "target_modules": ["q_proj"], "target_parameters": ["mlp.experts.gate_up_proj"], "layers_to_transform": [0]}: the layers apply to modules only
    ["tiny-mixtral", { r: 4, target_modules: ["q_proj"], target_parameters: ["mlp.experts.gate_up_proj"], layers_to_transform: [0] }, 8_704, 309_568],
    // source: oracle, tiny-mixtral, {"r": 4, "target_modules": ["q_proj"], "target_parameters": ["mlp.experts.gate_up_proj"], "exclude_modules": ["experts"]}: nor does exclude_modules
    ["tiny-mixtral", { r: 4, target_modules: ["q_proj"], target_parameters: ["mlp.experts.gate_up_proj"], exclude_modules: ["experts"] }, 9_216, 310_080],
    // source: oracle, tiny-mixtral, {"r": 4, "target_modules": [], "target_parameters": ["gate_up_proj", "down_proj"], "rank_pattern": {"down_proj": 2}}: rank_pattern on the parameter key
    ["tiny-mixtral", { r: 4, target_modules: [], target_parameters: ["gate_up_proj", "down_proj"], rank_pattern: { down_proj: 2 } }, 10_752, 311_616],
    // source: oracle, tiny-mixtral, {"r": 4, "target_modules": ["q_proj"], "target_parameters": ["mlp.experts.gate_up_proj"], "modules_to_save": ["mlp"]}: the saved copy holds the wrapped experts
    ["tiny-mixtral", { r: 4, target_modules: ["q_proj"], target_parameters: ["mlp.experts.gate_up_proj"], modules_to_save: ["mlp"] }, 157_184, 466_240],
    // source: oracle, tiny-mixtral, {"r": 4, "target_modules": [], "target_parameters": ["gate_up_proj"], "trainable_token_indices": [1, 2]}
    ["tiny-mixtral", { r: 4, target_modules: [], target_parameters: ["gate_up_proj"], trainable_token_indices: [1, 2] }, 8_320, 309_184],
    // source: oracle, tiny-mixtral, {"r": 4, "target_modules": null, "target_parameters": ["mlp.experts.gate_up_proj"]}: PEFT's rewrite empties target_modules, so no default targets
    ["tiny-mixtral", { r: 4, target_modules: null, target_parameters: ["mlp.experts.gate_up_proj"] }, 8_192, 309_056],
    // source: oracle, llama-3.2-1b.json, {"r": 8, "target_modules": [], "target_parameters": ["mlp.down_proj.weight"]}: 16 · 8 · (2048 + 8192)
    ["llama-3.2-1b", { r: 8, target_modules: [], target_parameters: ["mlp.down_proj.weight"] }, 1_310_720, 1_237_125_120],
    // source: oracle, llama-3.2-1b.json, {"r": 8, "target_modules": null, "target_parameters": ["mlp.down_proj.weight"]}: llama's default (q_proj, v_proj) too
    ["llama-3.2-1b", { r: 8, target_modules: null, target_parameters: ["mlp.down_proj.weight"] }, 2_162_688, 1_237_977_088],
    // source: oracle, tiny-gpt2, {"r": 4, "target_modules": [], "target_parameters": ["mlp.c_fc.weight"]}: Conv1D weight [64, 256] as a bare 2-D parameter
    ["tiny-gpt2", { r: 4, target_modules: [], target_parameters: ["mlp.c_fc.weight"] }, 2_560, 174_848],
  ] as const)("%s %j", (model, options, trainable, all) => {
    expect(countOn(model, options)).toMatchObject({ trainable, all });
  });

  test("parts name the parameter; routed experts count in the active share (top-k of E)", () => {
    const r = countOn("tiny-mixtral", { r: 4, target_modules: [], target_parameters: ["mlp.experts.gate_up_proj"] });
    expect(r.parts).toEqual({ "model.layers.*.mlp.experts.gate_up_proj.lora_A": 2 * 4 * 4 * 64, "model.layers.*.mlp.experts.gate_up_proj.lora_B": 2 * 192 * 4 * 4 });
    expect(r.active).toBe(r.trainable / 2);
  });

  test("modules and parameters matching nothing: PEFT warns about the half that matched nothing, fails when both did", () => {
    // source: oracle, tiny-mixtral, target_modules ["q_proj"] + target_parameters ["nonexistent"]: "target_parameters=... were set but no parameter was matched"
    const r = countOn("tiny-mixtral", { r: 4, target_modules: ["q_proj"], target_parameters: ["nonexistent"] });
    expect(r.trainable).toBe(1_024);
    expect(r.warnings.join("\n")).toMatch(/target_parameters=\["nonexistent"\] matched no parameter/);
    expect(countOn("tiny-mixtral", { r: 4, target_modules: ["nonexistent"], target_parameters: ["gate.weight"] }).warnings.join("\n")).toMatch(/matched no module/);
    // source: oracle: "No `target_modules` passed but also no `target_parameters` found."
    expect(errorOf(() => countOn("tiny-mixtral", { r: 4, target_modules: [], target_parameters: ["nonexistent"] })).message).toMatch(/matches no parameter/);
  });
});

describe("target_parameters: what PEFT refuses (exit 1, PEFT's reason, the fix)", () => {
  test.each([
    // source: oracle, "lora.ParamWrapper does not work with lora_dropout != 0."
    ["tiny-mixtral", { target_modules: [], target_parameters: ["mlp.experts.gate_up_proj"], lora_dropout: 0.1 }, /lora_dropout=0.1 cannot be applied to a bare parameter/, /set lora_dropout=0/],
    ["tiny-mixtral", { target_modules: [], target_parameters: ["mlp.experts.gate_up_proj"], use_dora: true }, /use_dora=true/, /use_dora=false/],
    ["tiny-mixtral", { target_modules: [], target_parameters: ["mlp.experts.gate_up_proj"], lora_bias: true }, /lora_bias=true/, /lora_bias=false/],
    ["tiny-mixtral", { target_modules: ["q_proj"], target_parameters: ["mlp.experts.gate_up_proj"], kasa_config: {} }, /LoRA variants \(kasa_config\)/, /remove kasa_config/],
    ["tiny-mixtral", { target_modules: ["q_proj"], target_parameters: ["mlp.experts.gate_up_proj"], monteclora_config: {} }, /LoRA variants \(monteclora_config\)/, /remove/],
    // source: oracle, "Trying to wrap an `nn.Parameter` of layer 'model.layers.0.self_attn.q_proj' of type Linear, which is not a valid target."
    ["tiny-mixtral", { target_modules: ["q_proj"], target_parameters: ["q_proj.weight"] }, /which target_modules already wraps/, /not both/],
    // source: oracle, "lora.ParamWrapper was initialized with 1 dimensional Parameter, but only 2d and 3d are supported."
    ["tiny-mixtral", { target_modules: [], target_parameters: ["input_layernorm.weight"] }, /1-D parameter/, /2-D weights or 3-D/],
    // source: oracle, gpt2: wrapping Conv1D c_attn sets fan_in_fan_out, then "lora.ParamWrapper does not work with fan_in_fan_out."
    ["tiny-gpt2", { target_modules: ["c_attn"], target_parameters: ["mlp.c_fc.weight"] }, /fan_in_fan_out/, /fan_in_fan_out=false/],
    // source: oracle, "modules_to_save cannot be applied to modules of type <class 'peft.tuners.lora.layer.ParamWrapper'>"
    ["tiny-mixtral", { target_modules: ["gate", "q_proj"], modules_to_save: ["gate"] }, /modules_to_save cannot hold "model.layers.0.mlp.gate"/, /parent module/],
  ] as const)("%s %j", (model, options, message, hint) => {
    const e = errorOf(() => countOn(model, options)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(message);
    expect(e.hint).toMatch(hint);
  });
});

describe("peft ≥ 0.19 on transformers 5 rewrites transformers-4 MoE names into target_parameters", () => {
  test.each([
    // source: oracle, tiny-mixtral, {"r": 4, "target_modules": ["w1", "w2", "w3"]}: gate_up_proj at rank 8 (".*\\.gate_up_proj": 8), down_proj at 4
    ["tiny-mixtral", { r: 4, target_modules: ["w1", "w2", "w3"] }, 21_504],
    // source: oracle, {"r": 4, "target_modules": ["w2"]}: down_proj only, no rank change
    ["tiny-mixtral", { r: 4, target_modules: ["w2"] }, 5_120],
    // source: oracle, {"r": 4, "target_modules": ["experts.0.w1", "experts.0.w3"]}: a suffix maps, and adapts every expert of every layer
    ["tiny-mixtral", { r: 4, target_modules: ["experts.0.w1", "experts.0.w3"] }, 16_384],
    // source: oracle, {"rank_pattern": {"gate_up_proj": 2}}: the user's entries come first and win over the appended one
    ["tiny-mixtral", { r: 4, target_modules: ["w1", "w2", "w3"], rank_pattern: { gate_up_proj: 2 } }, 9_216],
    ["tiny-mixtral", { r: 4, target_modules: ["w1", "w2", "w3"], rank_pattern: { "experts.*": 2 } }, 6_656],
    // source: oracle, {"target_modules": "all-linear"}: attention + router + experts (gate_up at 2r)
    ["tiny-mixtral", { r: 4, target_modules: "all-linear" }, 25_632],
    ["tiny-mixtral", { r: 4, target_modules: "all-linear", exclude_modules: ["gate"] }, 25_632],
    // source: oracle, regexes: matched module / parameter leaf names, plus old expert names probed on the experts container
    ["tiny-mixtral", { r: 4, target_modules: ".*\\.(q_proj|w1|w3)" }, 17_408],
    ["tiny-mixtral", { r: 4, target_modules: ".*layers\\.0\\..*(w1|w3|gate)" }, 16_928],
    ["tiny-mixtral", { r: 4, target_modules: ".*k_proj" }, 768],
    // source: oracle, tiny-qwen3-moe (layer 0 dense): the dense MLP's gate/up/down_proj are no longer targeted either
    ["tiny-qwen3-moe", { r: 4, target_modules: ["gate_proj", "up_proj", "down_proj"] }, 13_824],
    ["tiny-qwen3-moe", { r: 4, target_modules: "all-linear" }, 19_744],
    ["tiny-qwen3-moe", { r: 4, target_modules: ".*\\.(gate_proj|up_proj)" }, 10_240],
    // source: oracle, mixtral-8x7b.json, {"r": 8, "target_modules": ".*\\.(q_proj|v_proj|w1|w3)"}
    ["mixtral-8x7b", { r: 8, target_modules: ".*\\.(q_proj|v_proj|w1|w3)" }, 137_625_600],
    // source: oracle, mixtral-8x7b.json, {"r": 8, "target_modules": ["w1", "w2", "w3"], "rank_pattern": {"down_proj": 4}}
    ["mixtral-8x7b", { r: 8, target_modules: ["w1", "w2", "w3"], rank_pattern: { down_proj: 4 } }, 153_092_096],
    // source: oracle, qwen3-30b-a3b.json, {"r": 8, "target_modules": "all-linear"}
    ["qwen3-30b-a3b", { r: 8, target_modules: "all-linear" }, 498_253_824],
  ] as const)("%s %j", (model, options, trainable) => {
    expect(countOn(model, options).trainable).toBe(trainable);
  });

  test("a fused pair needs both halves; target_modules=null no longer gets PEFT's default targets", () => {
    // source: oracle, "Cannot convert PEFT target(s) w1 without also targeting w3 because they are fused into gate_up_proj."
    expect(errorOf(() => countOn("tiny-mixtral", { target_modules: ["w1"] })).message).toMatch(/without also targeting w3.*gate_up_proj/);
    expect(errorOf(() => countOn("tiny-qwen3-moe", { target_modules: ["gate_proj", "q_proj"] })).message).toMatch(/without also targeting up_proj/);
    // source: oracle, {"r": 4} on tiny-mixtral / tiny-qwen3-moe: "No `target_modules` passed but also no `target_parameters` found."
    expect(errorOf(() => countOn("tiny-mixtral", { r: 4 })).message).toMatch(/target_modules is empty/);
    // the regex "q_proj" matches no module key: left alone, PEFT's not-found error
    expect(errorOf(() => countOn("tiny-mixtral", { r: 4, target_modules: "q_proj" })).message).toMatch(/matches no module/);
  });

  test("releases: lists from peft 0.19 (#3083), strings from 0.20 (#3232); never on transformers 4 or the per-expert layout", () => {
    const w = { r: 4, target_modules: ["w1", "w2", "w3"] };
    expect(countOn("tiny-mixtral", w, "0.19.0").trainable).toBe(21_504);
    expect(errorOf(() => countOn("tiny-mixtral", w, "0.18.0")).message).toMatch(/matches no module/);
    expect(countOn("tiny-mixtral", { r: 4, target_modules: "all-linear" }, "0.20.0").trainable).toBe(25_632);
    expect(errorOf(() => countOn("tiny-mixtral", { r: 4, target_modules: "all-linear" }, "0.19.0")).message).toMatch(/characters.*0\.20/);
    // transformers 4: one Linear per expert, w1/w2/w3 stay modules: 2 layers · 4 experts · 3 · r·(64 + 96) (arithmetic)
    expect(countOn("tiny-mixtral", w, "0.21.0", "4.43.3").trainable).toBe(2 * 4 * 3 * 4 * 160);
  });
});
