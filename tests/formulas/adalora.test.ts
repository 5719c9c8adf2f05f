/**
 * AdaLoRA: golden numbers, the peft 0.21 ranknum rule, PEFT's refusals, and options PEFT ignores.
 * Sources: tests/golden/vectors.json (peft 0.17.1 + transformers 4.43.3) and modern.json (peft 0.21.0 +
 * transformers 5.18.0), and the oracle (peft 0.21.0 + transformers 5.18.0) where marked.
 */
import { describe, expect, test } from "vitest";
import { adalora } from "../../formulas/peft/adalora.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { totalParams } from "../../src/model/types.js";
import { parseVersion } from "../../src/versions.js";
import { errorOf } from "../model/helpers.js";

const at = (peft: string) => ({ peft: parseVersion(peft, "peft"), transformers: parseVersion(peft === "0.17.1" ? "4.43.3" : "5.18.0", "transformers") });
const preset = (id: string, task: "CAUSAL_LM" | "SEQ_CLS" = "CAUSAL_LM") => buildInventory(findPreset(id)!.config, { task });
const llama = preset("llama-3.2-1b");
const base = { total_step: 1000, task_type: "CAUSAL_LM" } as const;

describe("golden counts", () => {
  // vectors adalora-gpt2 (0.17.1) and r5-adalora-gpt2 (0.21.0): c_attn 768→2304 ×12, init_r 12
  test("gpt2 c_attn: 12·(768 + 2304 + 1) per layer; ranknum (1 per layer) trains from peft 0.21", () => {
    const gpt2 = buildInventory(findPreset("gpt2")!.config, { task: "CAUSAL_LM", transformers: at("0.17.1").transformers });
    const raw = { ...base, target_modules: ["c_attn"], fan_in_fan_out: true };
    const old = evaluate(adalora, gpt2, raw, at("0.17.1")).breakdown;
    const now = evaluate(adalora, buildInventory(findPreset("gpt2")!.config, { task: "CAUSAL_LM" }), raw, at("0.21.0")).breakdown;
    expect(old.trainable).toBe(442_512);
    expect(now.trainable).toBe(442_524);
    expect(old.allParams).toBe(124_882_332);
    expect(now.allParams).toBe(124_882_332);
    expect(now.parts.find((p) => p.name.endsWith("ranknum"))?.count).toBe(12);
    expect(old.parts.some((p) => p.name.endsWith("ranknum"))).toBe(false);
  });

  // vector m5-adalora-default-llama-3.2-1b: default targets q_proj, v_proj
  test("llama-3.2-1b with PEFT's AdaLoRA default targets (q_proj, v_proj)", () => {
    const { breakdown } = evaluate(adalora, llama, base, at("0.21.0"));
    expect(breakdown.trainable).toBe(1_278_368);
    expect(breakdown.allParams).toBe(1_237_092_768);
  });

  // oracle: peft 0.21.0 + transformers 5.18.0, qwen2.5-0.5b, {"init_r": 6, "total_step": 10, "target_modules": ["q_proj", "down_proj"], "bias": "all", "modules_to_save": ["lm_head"]} (no task_type)
  test("bias=all and a tied lm_head in modules_to_save", () => {
    const qwen = preset("qwen2.5-0.5b");
    const { breakdown } = evaluate(adalora, qwen, { init_r: 6, total_step: 10, target_modules: ["q_proj", "down_proj"], bias: "all", modules_to_save: ["lm_head"] });
    expect(totalParams(qwen.modules)).toBe(494_032_768);
    expect(breakdown.trainable).toBe(137_250_128);
    expect(breakdown.allParams).toBe(631_255_248);
  });

  // oracle: peft 0.21.0, llama-3.2-1b, {"init_r": 6, "total_step": 10, "target_modules": ["q_proj"], "layers_to_transform": 0, "layers_pattern": "layers"}
  test("layers_to_transform=0 with layers_pattern: counted from peft 0.21 (#3425), refused before", () => {
    const raw = { init_r: 6, total_step: 10, target_modules: ["q_proj"], layers_to_transform: 0, layers_pattern: "layers" };
    const { breakdown } = evaluate(adalora, llama, raw);
    expect(breakdown.trainable).toBe(24_583);
    expect(breakdown.allParams).toBe(1_235_838_983);
    expect(errorOf(() => evaluate(adalora, llama, raw, at("0.20.0"))).code).toBe("CONFLICTING_OPTIONS");
  });

  test("init_r = 0 is allowed: only ranknum remains", () => {
    // oracle: peft 0.21.0, gpt2, {"init_r": 0, "target_modules": ["c_attn"], "total_step": 100}: trainable 12
    const gpt2 = preset("gpt2");
    expect(evaluate(adalora, gpt2, { init_r: 0, total_step: 100, target_modules: ["c_attn"] }).breakdown.trainable).toBe(12);
  });
});

describe("refusals (AdaLoraConfig / LoraConfig __post_init__, SVDLinear)", () => {
  const q = { target_modules: ["q_proj"] };
  test.each([
    ["total_step missing", { ...q }],
    ["total_step 0", { ...q, total_step: 0 }],
    ["use_dora", { ...q, total_step: 10, use_dora: true }],
    ["loftq_config", { ...q, total_step: 10, loftq_config: { loftq_bits: 4 } }],
    ["no budgeting phase", { ...q, total_step: 10, tinit: 5, tfinal: 5 }],
    ["layers_to_transform with all-linear", { total_step: 10, target_modules: "all-linear", layers_to_transform: [0] }],
    ["layers_pattern with a regex", { total_step: 10, target_modules: ".*q_proj", layers_pattern: "layers" }],
    ["layers_pattern alone", { ...q, total_step: 10, layers_pattern: "layers" }],
    ["an embedding target", { total_step: 10, target_modules: ["embed_tokens"] }],
    ["target_parameters", { ...q, total_step: 10, target_parameters: ["mlp.experts.gate_up_proj"] }],
  ])("%s is refused", (_what, raw) => {
    const e = errorOf(() => evaluate(adalora, llama, raw));
    expect(e).toBeInstanceOf(InputError);
    expect(e).not.toBeInstanceOf(OptionsError);
  });

  test("a negative orth_reg_weight is refused from peft 0.20 (#3438), counted before", () => {
    const raw = { ...q, total_step: 10, orth_reg_weight: -1 };
    expect(() => evaluate(adalora, llama, raw)).toThrow(/orth_reg_weight/);
    expect(evaluate(adalora, llama, raw, at("0.19.0")).breakdown.trainable).toBeGreaterThan(0);
  });

  test.each([{ init_r: -1 }, { init_r: 1.5 }, { total_step: "many" }, { bias: "adalora_only" }])("schema violation %j", (bad) => {
    expect(() => evaluate(adalora, llama, { ...q, total_step: 10, ...bad })).toThrow(OptionsError);
  });
});

describe("options PEFT ignores at creation", () => {
  test("r is ignored (init_r is the rank), with PEFT's warning; rank_pattern applies only on loading", () => {
    const plain = evaluate(adalora, llama, { ...base, target_modules: ["q_proj"] }).breakdown;
    const withR = evaluate(adalora, llama, { ...base, target_modules: ["q_proj"], r: 64 }).breakdown;
    expect(withR.trainable).toBe(plain.trainable);
    expect(withR.warnings.join(" ")).toMatch(/r=64 is not used/);
    const pattern = evaluate(adalora, llama, { ...base, target_modules: ["q_proj"], rank_pattern: { "model.layers.0.self_attn.q_proj.lora_E.default": [true, false] } }).breakdown;
    expect(pattern.trainable).toBe(plain.trainable);
    expect(pattern.warnings.join(" ")).toMatch(/rank_pattern/);
  });

  // oracle: peft 0.21.0 + transformers 5.18.0, llama-3.2-1b, {"init_r": 4, "target_modules": ["q_proj"], "total_step": 100, "lora_bias": true, "use_rslora": true}
  test("lora_bias and use_rslora change nothing", () => {
    expect(evaluate(adalora, llama, { init_r: 4, total_step: 100, target_modules: ["q_proj"], lora_bias: true, use_rslora: true }).breakdown.trainable).toBe(262_224);
  });
});
