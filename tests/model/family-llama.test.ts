/**
 * Heads of the Llama-like families per model_type, as transformers builds them: which tasks exist, where
 * the backbone sits (QA keeps `transformer.` on Llama, Qwen2 and Qwen3 for backward compatibility), and
 * the head shapes.
 */
import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { buildInventory } from "../../src/model/inventory.js";
import { totalParams } from "../../src/model/types.js";

const tiny = (model_type: string) => ({ model_type, hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16, vocab_size: 100 });

describe("QUESTION_ANS", () => {
  test.each([
    ["llama", "transformer"],
    ["qwen2", "transformer"],
    ["qwen3", "transformer"],
    ["mistral", "model"],
  ])("%s: backbone under %s., qa_outputs Linear(h → 2) with bias", (type, base) => {
    const inv = buildInventory(tiny(type), { task: "QUESTION_ANS" });
    expect(inv.inputEmbeddings).toBe(`${base}.embed_tokens`);
    expect(inv.modules.every((m) => m.name.startsWith(`${base}.`) || m.name === "qa_outputs")).toBe(true);
    expect(inv.modules.find((m) => m.name === "qa_outputs")?.params.map((p) => p.shape)).toEqual([[2, 64], [2]]);
  });

  test.each(["gemma", "gemma2", "gemma3_text", "vaultgemma", "phi3"])("%s has no QA class in transformers: refused, with the heads it has", (type) => {
    expect(() => buildInventory(tiny(type), { task: "QUESTION_ANS" })).toThrow(InputError);
    expect(() => buildInventory(tiny(type), { task: "QUESTION_ANS" })).toThrow(/no QUESTION_ANS head/);
  });
});

describe("classification heads", () => {
  test("SEQ_CLS score has no bias, TOKEN_CLS score has one; neither has an LM head", () => {
    const base = totalParams(buildInventory(tiny("llama"), { task: "FEATURE_EXTRACTION" }).modules);
    const seq = buildInventory(tiny("llama"), { task: "SEQ_CLS", numLabels: 3 });
    const tok = buildInventory(tiny("llama"), { task: "TOKEN_CLS", numLabels: 3 });
    expect(totalParams(seq.modules)).toBe(base + 64 * 3);
    expect(totalParams(tok.modules)).toBe(base + 64 * 3 + 3);
    expect(seq.outputEmbeddings).toBeUndefined();
  });

  test("Gemma's tied LM head: CAUSAL_LM adds no parameters over the bare model", () => {
    const bare = totalParams(buildInventory(tiny("gemma"), { task: "FEATURE_EXTRACTION" }).modules);
    expect(totalParams(buildInventory(tiny("gemma")).modules)).toBe(bare);
    expect(totalParams(buildInventory({ ...tiny("gemma"), tie_word_embeddings: false }).modules)).toBe(bare + 100 * 64);
  });
});

describe("vaultgemma (oracle inventory, transformers 5.18.0: tests/golden/inventories-5.json)", () => {
  const VAULTGEMMA_1B = { model_type: "vaultgemma", vocab_size: 256000, num_hidden_layers: 26, num_attention_heads: 4, num_key_value_heads: 4, hidden_size: 1152, intermediate_size: 6912, head_dim: 256 };

  test("google/vaultgemma-1b: 1,038,741,120, tied lm_head, two norms per layer, scaled embedding", () => {
    const inv = buildInventory(VAULTGEMMA_1B);
    expect([inv.modelClass, totalParams(inv.modules), inv.outputEmbeddings]).toEqual(["VaultGemmaForCausalLM", 1_038_741_120, "lm_head"]);
    expect(inv.modules.find((m) => m.name === "model.embed_tokens")?.className).toBe("VaultGemmaTextScaledWordEmbedding");
    expect(inv.modules.filter((m) => m.name.startsWith("model.layers.0.") && m.kind === "norm").map((m) => [m.name, m.className])).toEqual([
      ["model.layers.0.input_layernorm", "VaultGemmaRMSNorm"],
      ["model.layers.0.pre_feedforward_layernorm", "VaultGemmaRMSNorm"],
    ]);
    expect(inv.modules.find((m) => m.name === "model.layers.0.self_attn.q_proj")).toMatchObject({ inFeatures: 1152, outFeatures: 1024 });
  });

  test("VaultGemmaConfig defaults: 2,614,222,080; only CAUSAL_LM and the bare model", () => {
    expect(totalParams(buildInventory({ model_type: "vaultgemma" }).modules)).toBe(2_614_222_080);
    expect(buildInventory(VAULTGEMMA_1B, { task: "FEATURE_EXTRACTION" }).modelClass).toBe("VaultGemmaModel");
    expect(() => buildInventory(VAULTGEMMA_1B, { task: "SEQ_CLS" })).toThrow(/no SEQ_CLS head for model_type "vaultgemma"/);
  });
});
