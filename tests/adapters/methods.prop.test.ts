/**
 * Property tests of the AdapterHub LoRA / (IA)^3 / prefix / prompt / ReFT counts on random small models (BERT, GPT-2, T5,
 * Llama-likes) with a declared anatomy (tests/model/arbitraries.ts): exact safe integers, linearity in the size knobs,
 * monotonicity in leave_out, (IA)^3 = Σ output widths, one prefix module per key. Invariants only.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { adaptersIa3 } from "../../formulas/adapters/ia3.js";
import { adaptersLora } from "../../formulas/adapters/lora.js";
import { adaptersPrefixTuning } from "../../formulas/adapters/prefix-tuning.js";
import { adaptersPromptTuning } from "../../formulas/adapters/prompt-tuning.js";
import { adaptersLoreft } from "../../formulas/adapters/reft.js";
import { supportedModelTypes } from "../../src/adapters/support.js";
import { buildInventory } from "../../src/model/inventory.js";
import type { Inventory } from "../../src/model/types.js";
import { bertConfig, gpt2Config, llamaLikeConfig, t5Config } from "../model/arbitraries.js";
import { run, total, V10, V12 } from "./method-helpers.js";

const RUNS = { numRuns: 60 };
const TASK = { bert: "FEATURE_EXTRACTION", t5: "SEQ_2_SEQ_LM" } as const;
const build = (cfg: { model_type: string }) => buildInventory(cfg, { task: TASK[cfg.model_type as keyof typeof TASK] ?? "CAUSAL_LM" });
const model = fc.oneof(bertConfig, gpt2Config, t5Config, llamaLikeConfig("llama"), llamaLikeConfig("mistral"), llamaLikeConfig("qwen2")).map(build);
/** models whose AdapterHub interface has prefix tuning (Qwen2's plugin interface does not) */
const prefixModel = fc.oneof(bertConfig, gpt2Config, t5Config, llamaLikeConfig("llama"), llamaLikeConfig("mistral")).map(build);
const layersOf = (inv: Inventory) => inv.anatomy!.stacks.reduce((s, st) => s + st.layers.length, 0);
const exact = (n: number) => Number.isSafeInteger(n) && n >= 0;
const matrices = fc.subarray(["q", "k", "v"]);
const loraOptions = fc.record({ attn_matrices: matrices, selfattn_lora: fc.boolean(), intermediate_lora: fc.boolean(), output_lora: fc.boolean() });

describe("adapters:lora properties", () => {
  test.prop([model, loraOptions, fc.integer({ min: 1, max: 8 })], RUNS)("linear in r, exact, parts named once", (inv, o, r) => {
    const one = run(adaptersLora, inv, { ...o, r: 1 });
    const p = run(adaptersLora, inv, { ...o, r });
    expect(exact(total(p))).toBe(true);
    expect(total(p)).toBe(r * total(one));
    expect(new Set(p.parts.map((x) => x.name)).size).toBe(p.parts.length);
  });
  test.prop([model, loraOptions, fc.subarray([0, 1, 2, 3, 4, 5, 6, 7]), fc.boolean()], RUNS)("leave_out never adds, all layers out is 0", (inv, o, leave, gating) => {
    const all = total(run(adaptersLora, inv, { ...o, use_gating: gating }));
    expect(total(run(adaptersLora, inv, { ...o, use_gating: gating, leave_out: leave }))).toBeLessThanOrEqual(all);
    expect(total(run(adaptersLora, inv, { ...o, leave_out: Array.from({ length: layersOf(inv) }, (_, i) => i) }))).toBe(0);
  });
  test.prop([model, loraOptions], RUNS)("DoRA adds Σ output widths, gating Σ (in + 1); both releases agree on plain LoRA", (inv, o) => {
    const ia3 = total(run(adaptersIa3, inv, o)); // one vector of the output width per module
    const plain = total(run(adaptersLora, inv, o));
    // DoRA on Conv1D layers (GPT-2) fails in AdapterHub: refused (tests/adapters/lora.test.ts)
    if (!inv.modules.some((m) => m.kind === "conv1d")) expect(total(run(adaptersLora, inv, { ...o, use_dora: true })) - plain).toBe(ia3);
    if (supportedModelTypes(V10).includes(inv.modelType)) expect(total(run(adaptersLora, inv, o, V10))).toBe(plain); // Qwen2 only from 1.2.0
    const gated = run(adaptersLora, inv, { ...o, use_gating: true });
    expect(exact(total(gated) - plain)).toBe(true);
  });
});

describe("adapters:prefix_tuning properties", () => {
  test.prop([prefixModel, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 64 })], RUNS)("flat is linear in prefix_length; reparametrized grows with both knobs", (inv, P, b) => {
    const flat1 = total(run(adaptersPrefixTuning, inv, { flat: true, prefix_length: 1 }));
    expect(total(run(adaptersPrefixTuning, inv, { flat: true, prefix_length: P }))).toBe(P * flat1);
    const base = total(run(adaptersPrefixTuning, inv, { prefix_length: P, bottleneck_size: b }));
    expect(exact(base)).toBe(true);
    expect(total(run(adaptersPrefixTuning, inv, { prefix_length: P + 1, bottleneck_size: b }))).toBeGreaterThan(base);
    expect(total(run(adaptersPrefixTuning, inv, { prefix_length: P, bottleneck_size: b + 1 }))).toBeGreaterThan(base);
  });
  test.prop([prefixModel], RUNS)("the GQA rule only shrinks the prefix (1.2.0 ≤ 1.0.0); equal without GQA", (inv) => {
    const a = total(run(adaptersPrefixTuning, inv, { flat: true }, V12));
    const b = total(run(adaptersPrefixTuning, inv, { flat: true }, V10));
    expect(a).toBeLessThanOrEqual(b);
    if (inv.dims.numKeyValueHeads === inv.dims.numAttentionHeads) expect(a).toBe(b);
  });
});

describe("adapters prompt tuning and ReFT properties", () => {
  test.prop([fc.integer({ min: 1, max: 200 })], RUNS)("prompt tuning is linear in prompt_length", (P) => {
    expect(total(run(adaptersPromptTuning, "bert-base-uncased", { prompt_length: P }))).toBe(P * 768);
  });
  test.prop([model, fc.integer({ min: 1, max: 8 }), fc.boolean()], RUNS)("ReFT is linear in r and tied halves it", (inv, r, tied) => {
    const one = total(run(adaptersLoreft, inv, { r: 1, tied_weights: tied }));
    expect(total(run(adaptersLoreft, inv, { r, tied_weights: tied }))).toBe(r * one);
    if (!tied) expect(total(run(adaptersLoreft, inv, { r, tied_weights: true })) * 2).toBe(total(run(adaptersLoreft, inv, { r })));
  });
});
