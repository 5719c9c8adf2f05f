/**
 * BitFit: every parameter named `bias` trains in place (tied once), plus the new task head of a
 * classification / QA model. Numbers are sums of the published shapes (no PEFT reference exists: peftType null).
 */
import { describe, expect, test } from "vitest";
import { bitfit } from "../../formulas/classic/bitfit.js";
import { evaluate, OptionsError } from "../../formulas/types.js";
import { buildInventory } from "../../src/model/inventory.js";
import { findPreset } from "../../src/model/presets/index.js";
import type { Task } from "../../src/model/tasks.js";
import { totalParams } from "../../src/model/types.js";

const run = (preset: string, options: Record<string, unknown> = {}, task?: Task) => {
  const inv = buildInventory(findPreset(preset)!.config, task ? { task } : {});
  const { breakdown } = evaluate(bitfit, inv, options);
  expect(breakdown.allParams).toBe(totalParams(inv.modules));
  expect(breakdown.parts.reduce((s, p) => s + p.count, 0)).toBe(breakdown.trainable);
  return breakdown;
};

// BERT-base, per layer: q, k, v, attention.output.dense, attention LayerNorm, output.dense, output LayerNorm (7 × 768)
// + intermediate.dense (3,072); then embeddings.LayerNorm and pooler.dense (2 × 768)
const BERT_BIASES = 12 * (7 * 768 + 3072) + 2 * 768;

describe("bitfit", () => {
  test("BERT-base SEQ_CLS: every bias, and the classifier (768 × 2 + 2) as in the paper", () => {
    expect(run("bert-base-uncased", {}, "SEQ_CLS").trainable).toBe(BERT_BIASES + 1538);
    // without the head, the classifier's own bias is still a bias
    const noHead = run("bert-base-uncased", { train_head: false }, "SEQ_CLS");
    expect(BERT_BIASES).toBe(102_912);
    expect(noHead.trainable).toBe(BERT_BIASES + 2);
    expect(noHead.parts.every((p) => p.kind === "bias")).toBe(true);
  });

  test("GPT-2: ln_1, c_attn, attn.c_proj, ln_2, c_fc, mlp.c_proj biases per layer, ln_f; the LM head is never trained", () => {
    expect(run("gpt2").trainable).toBe(12 * (768 + 2304 + 768 + 768 + 3072 + 768) + 768);
  });

  test("Qwen2.5-0.5B: only q/k/v carry biases (896 + 128 + 128 per layer)", () => {
    expect(run("qwen2.5-0.5b").trainable).toBe(24 * (896 + 128 + 128));
  });

  test("RoBERTa LM head: its bias is shared with lm_head.decoder.bias and counts once", () => {
    const b = run("roberta-base", {}, "CAUSAL_LM");
    const head = b.parts.filter((p) => p.name.startsWith("lm_head"));
    expect(head.map((p) => [p.name, p.count])).toEqual([
      ["lm_head.bias", 50_265],
      ["lm_head.dense.bias", 768],
      ["lm_head.layer_norm.bias", 768],
    ]);
  });

  test("no biases (Llama; T5, whose relative_attention_bias is an embedding table): 0, said", () => {
    for (const preset of ["llama-3.2-1b", "t5-small"]) {
      const b = run(preset);
      expect(b.trainable).toBe(0);
      expect(b.warnings).toContain("this model has no bias parameters: BitFit trains no bias here");
    }
    // the head of a classification model still trains: Llama's score has no bias (2,048 × 2)
    expect(run("llama-3.2-1b", {}, "SEQ_CLS").trainable).toBe(4096);
  });

  test.each([{ train_head: "yes" }, { train_head: 1 }])("bad option %j is an OptionsError", (bad) => {
    expect(() => evaluate(bitfit, buildInventory(findPreset("gpt2")!.config), bad)).toThrow(OptionsError);
  });
});
