/**
 * The transformers release rules of src/model/releases.ts, each at its boundary: the same config.json
 * builds the 4.43.3 tree before and the 5.18.0 tree after (both checked module for module by
 * inventories.test.ts against tests/golden/inventories.json and inventories-5.json).
 */
import { describe, expect, test } from "vitest";
import { familyOf } from "../../src/model/inventory.js";
import { tasksOf } from "../../src/model/family.js";
import { groupName } from "../../src/model/types.js";
import { build, mod, T4, T5, total } from "./helpers.js";
import type { Inventory } from "../../src/model/types.js";
import type { Version } from "../../src/versions.js";

const tiny = (model_type: string, extra: Record<string, unknown> = {}) => ({
  model_type, hidden_size: 64, intermediate_size: 96, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16, vocab_size: 100, ...extra,
});
/** Module groups in named_modules() order. */
const order = (inv: Inventory, re: RegExp) => [...new Set(inv.modules.map((m) => groupName(m.name)).filter((n) => re.test(n)))];

describe("Gemma / Gemma2 scaled-embedding class from transformers 5.4 (same parameters)", () => {
  test.each([
    ["gemma", "GemmaTextScaledWordEmbedding"],
    ["gemma2", "Gemma2TextScaledWordEmbedding"],
  ])("%s", (type, cls) => {
    const at = (v: Version) => build(tiny(type), "CAUSAL_LM", undefined, v);
    expect([T4, [5, 3, 0] as Version, [5, 4, 0] as Version, T5].map((v) => mod(at(v), "model.embed_tokens")!.className)).toEqual(["Embedding", "Embedding", cls, cls]);
    expect(total(at(T4))).toBe(total(at(T5)));
  });

  test("gemma3_text always had Gemma3TextScaledWordEmbedding", () => {
    expect(mod(build(tiny("gemma3_text"), "CAUSAL_LM", undefined, T4), "model.embed_tokens")!.className).toBe("Gemma3TextScaledWordEmbedding");
  });
});

describe("Phi / Phi-3 token classification: classifier (4.43) → score", () => {
  test.each(["phi", "phi3"])("%s", (type) => {
    const cfg = type === "phi" ? { model_type: "phi", hidden_size: 64, intermediate_size: 96, num_hidden_layers: 2, num_attention_heads: 4, vocab_size: 100 } : tiny(type);
    const tok = (v: Version) => build(cfg, "TOKEN_CLS", 3, v);
    expect(mod(tok(T4), "classifier")).toMatchObject({ inFeatures: 64, outFeatures: 3 });
    expect(mod(tok(T5), "score")).toMatchObject({ inFeatures: 64, outFeatures: 3 });
    expect(mod(tok(T5), "classifier")).toBeUndefined();
    expect(total(tok(T4))).toBe(total(tok(T5)));
  });
});

describe("named_modules() order (order only: counts never change)", () => {
  test("XLM-RoBERTa registers its head first from transformers 5: the LM decoder owns the tied embedding", () => {
    const cfg = { model_type: "xlm-roberta", hidden_size: 64, intermediate_size: 96, num_hidden_layers: 2, num_attention_heads: 4, vocab_size: 100 };
    const v4 = build(cfg, "CAUSAL_LM", undefined, T4);
    const v5 = build(cfg, "CAUSAL_LM", undefined, T5);
    expect(v4.modules[0]!.name).toBe("roberta.embeddings.word_embeddings");
    expect(mod(v4, "lm_head.decoder")!.params.map((p) => p.tiedTo)).toEqual(["roberta.embeddings.word_embeddings.weight", "lm_head.bias"]);
    expect(v5.modules[0]!.name).toBe("lm_head");
    expect(mod(v5, "roberta.embeddings.word_embeddings")!.params[0]!.tiedTo).toBe("lm_head.decoder.weight");
    expect(mod(v5, "lm_head.decoder")!.params.map((p) => p.tiedTo)).toEqual([undefined, "lm_head.bias"]);
    expect([total(v5), v5.outputEmbeddings, v5.inputEmbeddings]).toEqual([total(v4), "lm_head.decoder", "roberta.embeddings.word_embeddings"]);
    expect(build(cfg, "SEQ_CLS", 2, T5).modules[0]!.name).toBe("classifier.dense");
  });

  test("RobertaEmbeddings registers position_embeddings last from transformers 5; BERT keeps its order", () => {
    const cfg = (model_type: string) => ({ model_type, hidden_size: 64, intermediate_size: 96, num_hidden_layers: 1, num_attention_heads: 4, vocab_size: 100 });
    const emb = (type: string, v: Version) => order(build(cfg(type), "FEATURE_EXTRACTION", undefined, v), /^embeddings\./).map((n) => n.slice(11));
    expect(emb("roberta", T4)).toEqual(["word_embeddings", "position_embeddings", "token_type_embeddings", "LayerNorm"]);
    expect(emb("roberta", T5)).toEqual(["word_embeddings", "token_type_embeddings", "LayerNorm", "position_embeddings"]);
    expect(emb("bert", T5)).toEqual(["word_embeddings", "position_embeddings", "token_type_embeddings", "LayerNorm"]);
  });

  test("Phi3Attention: o_proj before qkv_proj; Mixtral experts: w1, w2, w3; Qwen3-MoE fused: experts before gate", () => {
    expect(order(build(tiny("phi3")), /self_attn/)).toEqual(["model.layers.*.self_attn.o_proj", "model.layers.*.self_attn.qkv_proj"]);
    const mixtral = build(tiny("mixtral", { num_local_experts: 4 }), "CAUSAL_LM", undefined, T4);
    expect(order(mixtral, /block_sparse_moe/).map((n) => n.split(".").pop())).toEqual(["gate", "w1", "w2", "w3"]);
    const qwen3 = build(tiny("qwen3_moe", { num_experts: 4, num_experts_per_tok: 2, moe_intermediate_size: 32 }));
    expect(order(qwen3, /\.mlp\./)).toEqual(["model.layers.*.mlp.experts", "model.layers.*.mlp.gate"]);
    expect(order(build(tiny("mixtral", { num_local_experts: 4 })), /\.mlp\./)).toEqual(["model.layers.*.mlp.gate", "model.layers.*.mlp.experts"]);
  });
});

describe("heads per release", () => {
  test("Mixtral / Qwen2-MoE question answering from transformers 4.47", () => {
    for (const type of ["mixtral", "qwen2_moe"]) {
      const f = familyOf(type)!;
      expect(tasksOf(f, type, T4)).not.toContain("QUESTION_ANS");
      expect(tasksOf(f, type, [4, 47, 0])).toContain("QUESTION_ANS");
      expect(tasksOf(f, type)).toContain("QUESTION_ANS");
    }
    expect(tasksOf(familyOf("qwen3_moe")!, "qwen3_moe", T4)).toContain("QUESTION_ANS");
  });
});
