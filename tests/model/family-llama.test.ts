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

  test.each(["gemma", "gemma2", "gemma3_text", "phi3"])("%s has no QA class in transformers: refused, with the heads it has", (type) => {
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
