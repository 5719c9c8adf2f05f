/**
 * Methods from the literature, with the papers' own figures: LLaMA-Adapter V2's "14M on LLaMA-65B" (13,811,712),
 * ParScale on Qwen2.5-3B with P = 2 (10,164,226), SAID's d, initial-state tuning on Mamba, TriAdaptLoRA per module,
 * sparse upcycling's total and active counts; and the refusals.
 */
import { describe, expect, test } from "vitest";
import { evaluate } from "../../formulas/types.js";
import { findFormula } from "../../formulas/index.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import { totalParams } from "../../src/model/types.js";

const f = (id: string) => findFormula(id)!;
// LLaMA-65B (Touvron et al. 2023, params.json: dim 8192, n_layers 80, n_heads 64, multiple_of 256 → FFN 22016)
const LLAMA_65B = { model_type: "llama", hidden_size: 8192, intermediate_size: 22016, num_hidden_layers: 80, num_attention_heads: 64, vocab_size: 32000 };
// Qwen/Qwen2.5-3B config.json
const QWEN25_3B = { model_type: "qwen2", hidden_size: 2048, intermediate_size: 11008, num_hidden_layers: 36, num_attention_heads: 16, num_key_value_heads: 2, vocab_size: 151936, tie_word_embeddings: true };

describe("llama-adapter-v2", () => {
  test("the paper's 14M on LLaMA-65B: bias + scale on every Linear and every norm, no prompts = 13,811,712", () => {
    const { breakdown } = evaluate(f("llama-adapter-v2"), buildInventory(LLAMA_65B), { adapter_len: 0 });
    expect(breakdown.trainable).toBe(13_811_712);
  });

  test("with prompts: + 30 layers × 10 tokens × 4096 and one gate per head (32) on LLaMA-7B", () => {
    const inv = buildInventory(findPreset("llama-2-7b")!.config);
    const noPrompt = evaluate(f("llama-adapter-v2"), inv, { adapter_len: 0 }).breakdown.trainable;
    expect(evaluate(f("llama-adapter-v2"), inv, {}).breakdown.trainable - noPrompt).toBe(30 * 10 * 4096 + 30 * 32);
    expect(evaluate(f("llama-adapter-v2"), inv, { gate: "layer" }).breakdown.trainable - noPrompt).toBe(30 * 10 * 4096 + 30);
  });

  test("all options off trains nothing: an error, not 0", () => {
    expect(() => evaluate(f("llama-adapter-v2"), buildInventory(LLAMA_65B), { adapter_len: 0, w_bias: false, w_scale: false, w_norm: false })).toThrow(/nothing would train/);
  });
});

describe("parscale", () => {
  test("Qwen2.5-3B, P = 2, 48 prefix tokens: 10,164,226 (the issue's figure)", () => {
    const { breakdown } = evaluate(f("parscale"), buildInventory(QWEN25_3B), { parscale_n: 2 });
    expect(breakdown.trainable).toBe(10_164_226);
    expect(breakdown.allParams - totalParams(buildInventory(QWEN25_3B).modules)).toBe(10_164_226);
  });
  test("P = 1 is the plain model: refused, not 0", () => {
    expect(() => evaluate(f("parscale"), buildInventory(QWEN25_3B), { parscale_n: 1 })).toThrow(/plain model/);
  });
});

describe("said", () => {
  test("trains exactly d; SAID needs d above the number of weight tensors", () => {
    const inv = buildInventory(findPreset("bert-base-uncased")!.config, { task: "FEATURE_EXTRACTION" });
    expect(evaluate(f("said"), inv, { d: 20_000 }).breakdown.trainable).toBe(20_000);
    expect(evaluate(f("said"), inv, { d: 150, structured: false }).breakdown.trainable).toBe(150);
    expect(() => evaluate(f("said"), inv, { d: 150 })).toThrow(/must exceed 199/);
  });
});

describe("state-tuning", () => {
  test("mamba-130m: 24 layers × 1536 channels × 16 states = 589,824; rank 4: 24 × 4 × (1536 + 16)", () => {
    const inv = buildInventory(findPreset("mamba-130m")!.config);
    expect(evaluate(f("state-tuning"), inv, {}).breakdown.trainable).toBe(589_824);
    expect(evaluate(f("state-tuning"), inv, { r: 4 }).breakdown.trainable).toBe(24 * 4 * (1536 + 16));
    expect(evaluate(f("state-tuning"), inv, { layers: [0, 1] }).breakdown.trainable).toBe(2 * 1536 * 16);
  });
  test("mamba2: heads × head_dim × state_size per layer", () => {
    const inv = buildInventory({ model_type: "mamba2", hidden_size: 256, num_heads: 8, head_dim: 64, state_size: 32, n_groups: 1, num_hidden_layers: 2, vocab_size: 100 });
    expect(evaluate(f("state-tuning"), inv, {}).breakdown.trainable).toBe(2 * 8 * 64 * 32);
  });
  test("a transformer has no state to tune", () => {
    expect(() => evaluate(f("state-tuning"), buildInventory(findPreset("llama-3.2-1b")!.config), {})).toThrow(/no recurrent/);
  });
});

describe("triadaptlora", () => {
  test("per module r·(in + out) + r² + Σ bᵢ² on llama-3.2-1b q_proj, v_proj", () => {
    const inv = buildInventory(findPreset("llama-3.2-1b")!.config);
    const { breakdown } = evaluate(f("triadaptlora"), inv, { r: 8, target_modules: ["q_proj", "v_proj"], block_sizes: [2, 2, 4] });
    const q = 8 * (2048 + 2048) + 64 + 24;
    const v = 8 * (2048 + 512) + 64 + 24;
    expect(breakdown.trainable).toBe(16 * (q + v));
  });
  test("total_rank is spread evenly and flagged as a bound", () => {
    const inv = buildInventory(findPreset("llama-3.2-1b")!.config);
    const { breakdown } = evaluate(f("triadaptlora"), inv, { target_modules: ["q_proj"], total_rank: 64 });
    expect(breakdown.trainable).toBe(16 * (4 * 4096 + 16));
    expect(breakdown.warnings.join(" ")).toMatch(/depend on training/);
  });
});

describe("moe-upcycle", () => {
  test("llama-3.2-1b into 8 experts, top 2: every FFN ×8 + a router per layer; active keeps 2", () => {
    const inv = buildInventory(findPreset("llama-3.2-1b")!.config);
    const base = totalParams(inv.modules);
    const ffn = 3 * 2048 * 8192;
    const { breakdown } = evaluate(f("moe-upcycle"), inv, {});
    expect(breakdown.trainable).toBe(base + 16 * (7 * ffn + 2048 * 8));
    expect(breakdown.activeTrainable).toBe(base + 16 * (1 * ffn + 2048 * 8));
    expect(evaluate(f("moe-upcycle"), inv, { moe_layer_freq: 2 }).breakdown.trainable).toBe(base + 8 * (7 * ffn + 2048 * 8));
  });
  test("k above E, and an MoE model, are refused", () => {
    const inv = buildInventory(findPreset("llama-3.2-1b")!.config);
    expect(() => evaluate(f("moe-upcycle"), inv, { num_experts: 2, num_experts_per_tok: 3 })).toThrow(/exceeds num_experts/);
    expect(() => evaluate(f("moe-upcycle"), buildInventory(findPreset("mixtral-8x7b")!.config), {})).toThrow(/already a mixture/);
  });
});

describe("budget knobs of the literature methods", () => {
  test("budget finds the largest knob that fits, verified against the count at k and k+1", async () => {
    const { runCli } = await import("../cli/fake-io.js");
    for (const [method, key, limit] of [["triadaptlora", "r", "5M"], ["parscale", "parscale_n_tokens", "10M"], ["state-tuning", "r", "100K"]] as const) {
      const model = method === "state-tuning" ? "mamba-130m" : "llama-3.2-1b";
      const r = await runCli(["budget", "--model", model, "--method", method, "--max-trainable", limit, "--json"]);
      expect(r.code, `${method}: ${r.stderr}`).toBe(0);
      const row = (JSON.parse(r.stdout) as { rows: { options: Record<string, number>; trainableParams: number }[] }).rows[0]!;
      const k = row.options[key]!;
      const inv = buildInventory(findPreset(model)!.config);
      const at = (v: number) => evaluate(f(method), inv, { [key]: v }).breakdown.trainable;
      const max = { "5M": 5e6, "10M": 1e7, "5000": 5000, "100K": 1e5 }[limit];
      expect(at(k)).toBe(row.trainableParams);
      expect(at(k)).toBeLessThanOrEqual(max);
      expect(at(k + 1)).toBeGreaterThan(max);
    }
  }, 120_000);
});
