/**
 * LoRA's newer variants through LoRA's own keys (src/peft/lora-variants.ts): KaSA, MonteCLoRA, BD-LoRA, MiCA,
 * aLoRA, VeLoRA, Arrow; beyond the golden vectors m5-lora-kasa-*, m5-lora-monteclora-*, m5-lora-bdlora-*.
 * Numbers: oracle, peft 0.21.0 + transformers 5.18.0 ("materialized": built on meta, then given real CPU tensors,
 * because MonteCLoRA defers its sampler and KaSA its SVD check on meta tensors).
 */
import { describe, expect, test } from "vitest";
import { lora } from "../../formulas/peft/lora.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import type { RawConfig } from "../../src/model/config.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import type { Task } from "../../src/model/tasks.js";
import { totalParams } from "../../src/model/types.js";
import { parseVersion } from "../../src/versions.js";
import { errorOf } from "../model/helpers.js";

const preset = (name: string) => findPreset(name)!.config;
/** the small configs of the oracle cases: the reference config with these keys overridden */
const TINY_LLAMA = { ...preset("llama-3.2-1b"), hidden_size: 64, intermediate_size: 96, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 1000, head_dim: 16 };
const TINY_GPT2 = { ...preset("gpt2"), n_embd: 64, n_layer: 2, n_head: 4, vocab_size: 1000, n_positions: 128 };
const CONFIGS: Record<string, RawConfig> = {
  "llama-3.2-1b": preset("llama-3.2-1b"),
  "qwen2.5-0.5b": preset("qwen2.5-0.5b"),
  gpt2: preset("gpt2"),
  "bert-base-uncased": preset("bert-base-uncased"),
  "tiny-llama": TINY_LLAMA,
  "tiny-gpt2": TINY_GPT2,
};
const at = (peft: string) => ({ peft: parseVersion(peft, "peft"), transformers: parseVersion("5.18.0", "transformers") });

function countOn(model: string, options: Record<string, unknown>, opts: { task?: Task; peft?: string } = {}) {
  const inv = buildInventory(CONFIGS[model]!, { task: opts.task ?? "CAUSAL_LM" });
  const b = evaluate(lora, inv, options, at(opts.peft ?? "0.21.0")).breakdown;
  expect(b.parts.reduce((s, p) => s + p.count, 0)).toBe(b.trainable);
  return { trainable: b.trainable, all: b.allParams, base: totalParams(inv.modules), parts: Object.fromEntries(b.parts.map((p) => [p.name, p.count])), warnings: b.warnings };
}

describe("oracle numbers (peft 0.21.0 + transformers 5.18.0)", () => {
  test.each([
    // source: oracle, qwen2.5-0.5b.json, {"r": 8, "target_modules": "all-linear", "kasa_config": {}}: + lora_diag (r) per module
    ["qwen2.5-0.5b", { r: 8, target_modules: "all-linear", kasa_config: {} }, 4_400_448, 498_433_216],
    // source: oracle, tiny-llama (llama-3.2-1b.json, hidden 64, 2 layers, vocab 1000, head_dim 16), {"r": 4, "target_modules": ["q_proj", "v_proj"], "rank_pattern": {"v_proj": 2}, "kasa_config": {}}
    ["tiny-llama", { r: 4, target_modules: ["q_proj", "v_proj"], rank_pattern: { v_proj: 2 }, kasa_config: {} }, 1_420, 127_180],
    // source: oracle (materialized), gpt2.json, {"r": 8, "target_modules": ["c_attn"], "monteclora_config": {"num_samples": 4}}: + r + num_samples per module
    ["gpt2", { r: 8, target_modules: ["c_attn"], monteclora_config: { num_samples: 4 } }, 295_056, 124_734_864],
    // source: oracle (materialized), tiny-llama, {"r": 4, "target_modules": ["q_proj", "v_proj"], "rank_pattern": {"v_proj": 2}, "monteclora_config": {"num_samples": 3}}
    ["tiny-llama", { r: 4, target_modules: ["q_proj", "v_proj"], rank_pattern: { v_proj: 2 }, monteclora_config: { num_samples: 3 } }, 1_432, 127_192],
    // source: oracle, llama-3.2-1b.json, {"r": 16, "target_modules": "all-linear", "use_bdlora": {"target_modules_bd_a": ["o_proj", "down_proj"], "target_modules_bd_b": ["q_proj", "k_proj", "v_proj", "gate_proj", "up_proj"], "nblocks": 4}}
    ["llama-3.2-1b", { r: 16, target_modules: "all-linear", use_bdlora: { target_modules_bd_a: ["o_proj", "down_proj"], target_modules_bd_b: ["q_proj", "k_proj", "v_proj", "gate_proj", "up_proj"], nblocks: 4 } }, 5_570_560, 1_241_384_960],
    // source: oracle, tiny-llama, {"r": 4, "target_modules": ["q_proj", "k_proj"], "use_bdlora": {"target_modules_bd_a": ["q_proj"], "nblocks": 2, "match_strict": false}}: k_proj keeps plain LoRA
    ["tiny-llama", { r: 4, target_modules: ["q_proj", "k_proj"], use_bdlora: { target_modules_bd_a: ["q_proj"], nblocks: 2, match_strict: false } }, 1_536, 127_296],
    // source: oracle, tiny-llama, {"r": 4, "target_modules": ["q_proj", "o_proj"], "lora_bias": true, "use_bdlora": {"target_modules_bd_a": ["q_proj"], "target_modules_bd_b": ["o_proj"], "nblocks": 2}}: a block-diagonal lora_B has no bias
    ["tiny-llama", { r: 4, target_modules: ["q_proj", "o_proj"], lora_bias: true, use_bdlora: { target_modules_bd_a: ["q_proj"], target_modules_bd_b: ["o_proj"], nblocks: 2 } }, 1_664, 127_424],
    // source: oracle, llama-3.2-1b.json, {"r": 8, "target_modules": ["q_proj", "v_proj"], "alora_invocation_tokens": [128000]}: no parameter of its own
    ["llama-3.2-1b", { r: 8, target_modules: ["q_proj", "v_proj"], alora_invocation_tokens: [128000] }, 851_968, 1_236_666_368],
    // source: oracle, llama-3.2-1b.json, {"r": 8, "target_modules": ["q_proj", "v_proj"], "velora_config": {"num_groups": 64}}: its projection is a buffer
    ["llama-3.2-1b", { r: 8, target_modules: ["q_proj", "v_proj"], velora_config: { num_groups: 64 } }, 851_968, 1_236_666_368],
  ] as const)("%s %j", (model, options, trainable, all) => {
    expect(countOn(model, options)).toMatchObject({ trainable, all });
  });

  test("MiCA (init_lora_weights='mica') freezes lora_B: it exists (allParams) but does not train", () => {
    // source: oracle (materialized), bert-base-uncased.json FEATURE_EXTRACTION, {"r": 8, "target_modules": ["query", "value"], "init_lora_weights": "mica"}
    const r = countOn("bert-base-uncased", { r: 8, target_modules: ["query", "value"], init_lora_weights: "mica" }, { task: "FEATURE_EXTRACTION" });
    expect([r.trainable, r.all, r.base]).toEqual([147_456, 109_777_152, 109_482_240]);
    expect(Object.keys(r.parts)).toEqual(["encoder.layer.*.attention.self.query.lora_A", "encoder.layer.*.attention.self.value.lora_A"]);
  });

  test("the parts name the variant's tensors", () => {
    const r = countOn("tiny-llama", { r: 4, target_modules: ["q_proj"], kasa_config: {} });
    expect(r.parts["model.layers.*.self_attn.q_proj.lora_diag"]).toBe(2 * 4);
    const m = countOn("tiny-llama", { r: 4, target_modules: ["q_proj"], monteclora_config: { num_samples: 5 } });
    expect(m.parts["model.layers.*.self_attn.q_proj.lora_monteclora_sampler"]).toBe(2 * (4 + 5));
    // BD-LoRA nb=2 on q_proj (64 → 64): lora_A r × in/2
    const b = countOn("tiny-llama", { r: 4, target_modules: ["q_proj"], use_bdlora: { target_modules_bd_a: ["q_proj"], nblocks: 2 } });
    expect(b.parts).toEqual({ "model.layers.*.self_attn.q_proj.lora_A": 2 * 4 * 32, "model.layers.*.self_attn.q_proj.lora_B": 2 * 64 * 4 });
  });

  test("init methods, scaling and weight tying keep the count", () => {
    const plain = countOn("tiny-llama", { r: 4, target_modules: ["q_proj"] }).trainable;
    for (const extra of [{ init_lora_weights: "pissa" }, { init_lora_weights: "gaussian" }, { init_lora_weights: false }, { ensure_weight_tying: true }, { use_rslora: true, lora_alpha: 32 }, { alora_invocation_tokens: [] }])
      expect(countOn("tiny-llama", { r: 4, target_modules: ["q_proj"], ...extra }).trainable).toBe(plain);
  });
});

describe("releases: a variant key newer than the release is dropped, as PEFT's config loader does", () => {
  test.each([
    ["kasa_config", { kasa_config: {} }, "0.20.0"],
    ["monteclora_config", { monteclora_config: {} }, "0.19.0"],
    ["velora_config", { velora_config: {} }, "0.19.0"],
    ["use_bdlora", { use_bdlora: { target_modules_bd_a: ["q_proj"] } }, "0.18.0"],
    ["alora_invocation_tokens", { alora_invocation_tokens: [1] }, "0.17.1"],
  ] as const)("%s before it existed counts as plain LoRA, with a warning", (key, extra, peft) => {
    const plain = countOn("tiny-llama", { r: 4, target_modules: ["q_proj"] }, { peft });
    const r = countOn("tiny-llama", { r: 4, target_modules: ["q_proj"], ...extra }, { peft });
    expect(r.trainable).toBe(plain.trainable);
    expect(r.warnings.join("\n")).toMatch(new RegExp(`${key} is ignored by peft ${peft}`));
  });

  test("KaSA from 0.21, MiCA from 0.20 (before, 'mica' is an unknown initialisation: PEFT raises)", () => {
    expect(countOn("tiny-llama", { r: 4, target_modules: ["q_proj"], kasa_config: {} }, { peft: "0.21.0" }).trainable).toBe(2 * (4 * 128 + 4));
    expect(countOn("tiny-llama", { r: 4, target_modules: ["q_proj"], init_lora_weights: "mica" }, { peft: "0.20.0" }).trainable).toBe(2 * 4 * 64);
    expect(errorOf(() => countOn("tiny-llama", { r: 4, target_modules: ["q_proj"], init_lora_weights: "mica" }, { peft: "0.19.0" })).message).toMatch(/mica.*0\.20/);
  });
});

describe("what PEFT refuses", () => {
  test.each([
    // source: oracle, gpt2.json (tiny), {"kasa_config": {}} on c_attn: "KaSA does not support fan_in_fan_out=True layers (e.g. Conv1D)"
    ["tiny-gpt2", { target_modules: ["c_attn"], kasa_config: {} }, /KaSA does not support fan_in_fan_out/],
    // source: oracle (materialized), tiny-llama k_proj 64 → 32 with r=32: "KaSA requires `r` (32) to be smaller than min(in_features, out_features)"
    ["tiny-llama", { r: 32, target_modules: ["k_proj"], kasa_config: {} }, /KaSA needs r \(32\) below min/],
    // source: oracle, tiny-llama: "Invalid or unsupported variant combination: ('kasa_config', 'use_dora')"
    ["tiny-llama", { target_modules: ["q_proj"], kasa_config: {}, use_dora: true }, /kasa_config \+ use_dora cannot be combined/],
    ["tiny-llama", { target_modules: ["q_proj"], init_lora_weights: "mica", use_dora: true }, /mica \+ use_dora/],
    // source: oracle, tiny-llama: "Invalid or unsupported variant combination: ('monteclora_config',)" on embed_tokens
    ["tiny-llama", { target_modules: ["embed_tokens"], monteclora_config: {} }, /monteclora_config cannot wrap an Embedding/],
    ["tiny-llama", { target_modules: ["embed_tokens", "q_proj"], kasa_config: {} }, /kasa_config cannot wrap an Embedding/],
    ["tiny-llama", { target_modules: ["embed_tokens"], alora_invocation_tokens: [1] }, /alora_invocation_tokens cannot wrap an Embedding/],
    // source: oracle, tiny-llama: "Target model.layers.0.self_attn.k_proj matches neither A nor B block-diagonal patterns."
    ["tiny-llama", { target_modules: ["q_proj", "k_proj"], use_bdlora: { target_modules_bd_a: ["q_proj"], nblocks: 2 } }, /k_proj: matches neither/],
    ["tiny-llama", { target_modules: ["q_proj"], use_bdlora: { target_modules_bd_a: ["q_proj"], target_modules_bd_b: ["self_attn"], nblocks: 2 } }, /matches both/],
    // source: oracle, tiny-llama, r=4, nblocks=3: "self.in_features=64 or self.out_features=4 not divisible by 3"
    ["tiny-llama", { r: 4, target_modules: ["q_proj"], use_bdlora: { target_modules_bd_a: ["q_proj"], nblocks: 3 } }, /does not divide into nblocks=3/],
    ["tiny-llama", { target_modules: ["q_proj"], use_bdlora: { target_modules_bd_a: ["q_proj"], target_modules_bd_b: ["q_proj"] } }, /in both target_modules_bd_a and target_modules_bd_b/],
    // source: oracle, gpt2 (tiny): "AttributeError: 'Conv1D' object has no attribute 'in_features'"
    ["tiny-gpt2", { target_modules: ["c_attn"], use_bdlora: { target_modules_bd_a: ["c_attn"], nblocks: 2 } }, /BD-LoRA needs an nn.Linear/],
    ["tiny-llama", { target_modules: ["q_proj"], arrow_config: { top_k: 3 } }, /arrow_config.*create_arrow_model/],
    ["tiny-llama", { target_modules: ["q_proj"], lora_bias: true, init_lora_weights: "pissa" }, /lora_bias=true works only with init_lora_weights true or false/],
    ["tiny-llama", { target_modules: ["q_proj"], lora_bias: true, use_dora: true }, /lora_bias=true is not supported with DoRA/],
  ] as const)("%s %j", (model, options, message) => {
    const e = errorOf(() => countOn(model, options));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(message);
  });

  test.each([
    [{ kasa_config: { beta: -1 } }],
    [{ monteclora_config: { num_samples: 0 } }],
    [{ monteclora_config: { dirichlet_prior: 0 } }],
    [{ use_bdlora: { nblocks: 0 } }],
    [{ use_bdlora: { target_modules_bd_a: "q_proj" } }],
    [{ init_lora_weights: 3 }],
    [{ alora_invocation_tokens: [-1] }],
  ])("bad option %j", (extra) => {
    expect(() => countOn("tiny-llama", { target_modules: ["q_proj"], ...extra })).toThrow(OptionsError);
  });
});
