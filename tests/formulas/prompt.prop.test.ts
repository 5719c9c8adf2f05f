/**
 * Property tests of the prompt-learning formulas on random small models (tests/model/arbitraries.ts): exact
 * safe integers, Σ parts = trainable, allParams = base + what the method adds, strict growth in the size
 * knobs (virtual tokens, layers, adapter length), linearity of the prompt in num_virtual_tokens, the
 * encoder-decoder doubling, GQA never widening the prefix, and PEFT's refusals being errors, never 0.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { adaptionPrompt } from "../../formulas/peft/adaption-prompt.js";
import { cartridge } from "../../formulas/peft/cartridge.js";
import { cpt } from "../../formulas/peft/cpt.js";
import { multitaskPromptTuning } from "../../formulas/peft/multitask-prompt-tuning.js";
import { pTuning } from "../../formulas/peft/p-tuning.js";
import { prefixTuning } from "../../formulas/peft/prefix-tuning.js";
import { promptTuning } from "../../formulas/peft/prompt-tuning.js";
import { evaluate, type Formula, type ParamBreakdown } from "../../formulas/types.js";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { totalParams, type Inventory } from "../../src/model/types.js";
import { anyConfig, gpt2Config, llamaLikeConfig, t5Config } from "../model/arbitraries.js";

const RUNS = { numRuns: 100 };
const tokens = fc.integer({ min: 1, max: 40 });
const model = anyConfig.map((cfg) => buildInventory(cfg));
const count = (f: Formula, inv: Inventory, raw: Record<string, unknown>): ParamBreakdown => evaluate(f, inv, raw).breakdown;
const promptSum = (b: ParamBreakdown) => b.parts.filter((p) => p.kind === "prompt").reduce((s, p) => s + p.count, 0);

/** Each formula sized by n virtual tokens, with the model's own task_type (heads train as copies). */
const SIZED: readonly [string, Formula, (n: number, inv: Inventory) => Record<string, unknown>][] = [
  ["prompt-tuning", promptTuning, (n) => ({ num_virtual_tokens: n })],
  ["multitask-prompt-tuning", multitaskPromptTuning, (n) => ({ num_virtual_tokens: n, num_tasks: 2, num_ranks: 3 })],
  ["prefix-tuning", prefixTuning, (n) => ({ num_virtual_tokens: n })],
  ["prefix-tuning (projection)", prefixTuning, (n) => ({ num_virtual_tokens: n, prefix_projection: true, encoder_hidden_size: 5 })],
  ["cartridge", cartridge, (n) => ({ num_virtual_tokens: n, num_frozen_tokens: 1 })],
  ["p-tuning (MLP)", pTuning, (n) => ({ num_virtual_tokens: n, encoder_hidden_size: 4 })],
  ["p-tuning (LSTM)", pTuning, (n) => ({ num_virtual_tokens: n, encoder_reparameterization_type: "LSTM", encoder_hidden_size: 3, encoder_num_layers: 2 })],
  ["cpt", cpt, (n) => ({ cpt_token_ids: Array.from({ length: n }, (_, i) => i) })],
];

describe.each(SIZED)("%s on random models", (_name, formula, options) => {
  const raw = (n: number, inv: Inventory) => ({ task_type: formula === cpt ? "CAUSAL_LM" : inv.task, ...options(n, inv) });

  test.prop([model, tokens], RUNS)("safe integers, Σ parts = trainable, allParams = base + added ≥ trainable", (inv, n) => {
    const b = count(formula, inv, raw(n, inv));
    for (const x of [b.trainable, b.allParams, ...b.parts.map((p) => p.count)]) expect(Number.isSafeInteger(x) && x >= 0).toBe(true);
    expect(b.parts.reduce((s, p) => s + p.count, 0)).toBe(b.trainable);
    expect(b.allParams).toBeGreaterThanOrEqual(totalParams(inv.modules) + promptSum(b));
    expect(b.trainable).toBeLessThanOrEqual(b.allParams - totalParams(inv.modules));
  });

  test.prop([model, tokens], RUNS)("strictly more virtual tokens, strictly more trainable parameters", (inv, n) => {
    expect(count(formula, inv, raw(n + 1, inv)).trainable).toBeGreaterThan(count(formula, inv, raw(n, inv)).trainable);
  });
});

describe("shape rules", () => {
  test.prop([model, tokens], RUNS)("the prompt is linear in num_virtual_tokens (prompt tuning, prefix, cartridge without frozen rows)", (inv, n) => {
    for (const [f, extra] of [[promptTuning, {}], [prefixTuning, {}], [cartridge, { num_frozen_tokens: 0 }]] as const)
      expect(promptSum(count(f, inv, { num_virtual_tokens: 3 * n, ...extra }))).toBe(3 * promptSum(count(f, inv, { num_virtual_tokens: n, ...extra })));
  });

  test.prop([t5Config, tokens], RUNS)("SEQ_2_SEQ_LM doubles the prompt of prompt tuning and P-tuning's embedding, never the prefix", (cfg, n) => {
    const inv = buildInventory(cfg, { task: "SEQ_2_SEQ_LM" });
    const embedding = (f: Formula, task: string | null) => count(f, inv, { num_virtual_tokens: n, task_type: task }).parts.find((p) => p.name === "prompt_encoder.embedding")!.count;
    for (const f of [promptTuning, pTuning]) expect(embedding(f, "SEQ_2_SEQ_LM")).toBe(2 * embedding(f, null));
    expect(embedding(prefixTuning, "SEQ_2_SEQ_LM")).toBe(embedding(prefixTuning, null));
  });

  test.prop([fc.constantFrom("llama", "mistral", "qwen2", "gemma", "phi3" as const).chain(llamaLikeConfig), tokens], RUNS)("GQA never widens the prefix, which is linear in num_layers", (cfg, n) => {
    const inv = buildInventory(cfg);
    const gqa = promptSum(count(prefixTuning, inv, { num_virtual_tokens: n }));
    const mha = promptSum(count(prefixTuning, buildInventory({ ...cfg, num_key_value_heads: cfg["num_attention_heads"] }), { num_virtual_tokens: n }));
    expect(gqa).toBeLessThanOrEqual(mha);
    expect(promptSum(count(prefixTuning, inv, { num_virtual_tokens: n, num_layers: 1 })) * inv.dims.numHiddenLayers).toBe(gqa);
  });

  test.prop([model, tokens, fc.integer({ min: 1, max: 4 })], RUNS)("P-tuning: the LSTM grows with encoder_num_layers, the MLP ignores it", (inv, n, layers) => {
    const lstm = (l: number) => count(pTuning, inv, { num_virtual_tokens: n, encoder_reparameterization_type: "LSTM", encoder_hidden_size: 3, encoder_num_layers: l }).trainable;
    expect(lstm(layers + 1)).toBeGreaterThan(lstm(layers));
    const mlp = (l: number) => count(pTuning, inv, { num_virtual_tokens: n, encoder_num_layers: l }).trainable;
    expect(mlp(layers)).toBe(mlp(2));
  });
});

describe("LLaMA-Adapter on the model types PEFT supports", () => {
  const supported = fc.oneof(llamaLikeConfig("llama"), llamaLikeConfig("mistral"), gpt2Config).map((cfg) => buildInventory(cfg));
  const knobs = fc.record({ len: fc.integer({ min: 1, max: 12 }), layers: fc.integer({ min: 1, max: 8 }) });

  test.prop([supported, knobs], RUNS)("grows with adapter_len and adapter_layers; too many layers or no target is an error, not 0", (inv, { len, layers }) => {
    const n = inv.dims.numHiddenLayers;
    const at = (l: number, k: number) => count(adaptionPrompt, inv, { adapter_len: l, adapter_layers: k }).trainable;
    const k = Math.min(layers, n);
    expect(at(len + 1, k)).toBeGreaterThan(at(len, k));
    if (k < n) expect(at(len, k + 1)).toBeGreaterThan(at(len, k));
    expect(() => at(len, n + 1)).toThrow(InputError);
    expect(() => count(adaptionPrompt, inv, { adapter_len: len, adapter_layers: 1, target_modules: "no_such_module" })).toThrow(InputError);
  });

  test.prop([fc.oneof(llamaLikeConfig("qwen2"), t5Config).map((cfg) => buildInventory(cfg))], { numRuns: 20 })("other model types are refused", (inv) => {
    expect(() => count(adaptionPrompt, inv, { adapter_len: 4, adapter_layers: 1 })).toThrow(InputError);
  });
});
